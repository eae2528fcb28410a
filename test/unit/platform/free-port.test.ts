import { describe, expect, it } from 'vitest';
import { ephemeralPortRange, freeLoopbackPorts, listenPortRange } from '../../../harness/platform/free-port.js';

describe('listening ports are drawn from outside the ephemeral range', () => {
  it('reads the kernel range, and falls back to the IANA range when it cannot', () => {
    expect(ephemeralPortRange(() => '32768\t60999\n')).toEqual({ first: 32768, last: 60999 });
    expect(ephemeralPortRange(() => 'garbage')).toEqual({ first: 49152, last: 65535 });
    expect(ephemeralPortRange(() => {
      throw new Error('ENOENT');
    })).toEqual({ first: 49152, last: 65535 });
  });

  it('takes the wider gap beside the ephemeral range, or everything above 20000 when neither gap is usable', () => {
    expect(listenPortRange({ first: 32768, last: 60999 })).toEqual({ first: 20000, last: 32767 });
    expect(listenPortRange({ first: 20500, last: 40000 })).toEqual({ first: 40001, last: 65535 });
    expect(listenPortRange({ first: 1024, last: 65535 })).toEqual({ first: 20000, last: 65535 });
  });

  it('gives distinct bindable ports that avoid the taken ones and the ephemeral range', async () => {
    const ephemeral = ephemeralPortRange();
    const taken = new Set([20000, 20001]);
    const ports = await freeLoopbackPorts(20, taken);
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(taken.has(port)).toBe(false);
      expect(port >= ephemeral.first && port <= ephemeral.last).toBe(false);
    }
  });
});
