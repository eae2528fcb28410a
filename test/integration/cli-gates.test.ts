import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skype2010 } from '../../scenarios/skype-2010.js';
import { findLeftovers } from '../../harness/platform/leftovers.js';
import { runCli } from './helpers/run-cli.js';

describe('chaos CLI gates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chaos-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a malformed scenario exits 2 and lists every problem at once', async () => {
    const broken = {
      ...skype2010,
      name: 'broken',
      timeScale: { oneHour: 'soon' },
      load: { ...skype2010.load, crashProbability: 1.7 },
      timeline: [...skype2010.timeline, { at: '1h', action: { do: 'heal', id: 'never-injected' } }],
    };
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(broken));
    const result = await runCli(['run', file, '--platform', 'local']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('INVALID_SCENARIO');
    expect(result.stderr).toContain('timeScale.oneHour');
    expect(result.stderr).toContain('crashProbability');
    expect(result.stderr).toContain('never-injected');
  });

  it('an unknown scenario exits 2 with the fix', async () => {
    const result = await runCli(['run', 'no-such-scenario']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/UNKNOWN_SCENARIO.*chaos list/);
  });

  it('Ctrl-C during a run exits 130, heals the faults, writes the history and leaves nothing behind', async () => {
    const dedicated = skype2010.architectures.dedicated;
    if (dedicated === undefined) throw new Error('skype-2010 defines dedicated');
    // A small fleet that logs in over 5 s: what is asked here is the interrupt, not the load.
    const longTrigger = {
      ...skype2010,
      name: 'interrupted',
      controls: [],
      load: { ...skype2010.load, rampUpMs: 5_000 },
      architectures: { dedicated: { ...dedicated, topology: { ...dedicated.topology, clientsPerFleet: 30 } } },
      timeline: skype2010.timeline.filter((step) => step.action.do !== 'add-supernodes').map((step) => (step.action.do === 'heal' ? { ...step, at: '30h' } : step)),
    };
    const file = join(dir, 'interrupted.json');
    const out = join(dir, 'interrupted-out');
    await writeFile(file, JSON.stringify(longTrigger));
    // Only what this run leaves counts: a shared machine may hold other runs' leftovers (a network the
    // engine refused to remove, until dockerd restarts), which are not this run's to answer for.
    const leftBefore = new Set((await findLeftovers()).map((leftover) => leftover.id));
    let sent = false;
    const result = await runCli(['run', file, '--platform', 'local', '--out', out], {
      whileRunning: (child, output) => {
        const timer = setInterval(() => {
          if (!sent && output().includes('inject latency')) {
            sent = true;
            child.kill('SIGINT');
            clearInterval(timer);
          }
        }, 100);
        child.on('close', () => clearInterval(timer));
      },
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    const events = (await readFile(join(out, 'history-dedicated.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; action?: string; outcome?: string });
    expect(events.some((event) => event.type === 'fault' && event.action === 'heal')).toBe(true);
    expect(events.find((event) => event.type === 'run-end')?.outcome).toBe('interrupted');
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    expect((await findLeftovers()).filter((leftover) => !leftBefore.has(leftover.id))).toEqual([]);
  });
});
