import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../../harness/platform/free-port.js';
import { programExitCode, startProgram } from '../../../harness/platform/program-control.js';
import type { ProcessHooks } from '../../../services/common/process-hooks.js';
import { ServiceMachine } from '../../../services/common/service-machine.js';
import { stopControlServer } from '../../../services/common/stop-control-server.js';
import { waitFor } from './local-network.js';

/** A program whose control port answers `/healthz` with its start number, and which records its hooks. */
function fakeProgram(port: number) {
  const starts: ProcessHooks[] = [];
  const restarted: boolean[] = [];
  let closes = 0;
  const start = async (hooks: ProcessHooks, again: boolean) => {
    starts.push(hooks);
    restarted.push(again);
    const number = starts.length;
    const server: Server = createServer((request, response) => {
      if (request.url === '/healthz') return void response.writeHead(200).end(`start ${number}\n`);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return {
      async close() {
        closes += 1;
        await stopControlServer(server);
      },
    };
  };
  return { start, starts, restarted, closes: () => closes };
}

async function healthz(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: (await response.text()).trim() };
}

describe('a service machine: the program ends and starts again, the process stays', () => {
  let machine: ServiceMachine | undefined;
  afterEach(async () => {
    await machine?.shutdown();
    machine = undefined;
  });

  it('reports the exit code on the control port, and starts the program again when asked', async () => {
    const port = await freeLoopbackPort();
    const url = `http://127.0.0.1:${port}`;
    const program = fakeProgram(port);
    const failures: string[] = [];
    machine = new ServiceMachine({ host: '127.0.0.1', controlPort: port, start: program.start, fail: (code, reason) => failures.push(`${code} ${reason}`), log: () => undefined });
    await machine.start();
    expect(await healthz(url)).toEqual({ status: 200, body: 'start 1' });
    expect(await programExitCode(url)).toBeUndefined();

    program.starts[0]!.exit(75, 'self-protection: load 2.0x');
    program.starts[0]!.exit(70, 'a second exit while ending is the same ending');
    await waitFor(() => machine?.state.program === 'exited', 2_000, 'program exited');
    expect(program.closes()).toBe(1);
    expect(await programExitCode(url)).toBe(75);
    expect((await healthz(url)).status).toBe(503);

    await startProgram(url);
    await waitFor(() => machine?.state.program === 'running', 2_000, 'program running again');
    expect(await healthz(url)).toEqual({ status: 200, body: 'start 2' });
    // The program learns whether the machine ran it before (login stages its readmission then).
    expect(program.restarted).toEqual([false, true]);
    expect(await programExitCode(url)).toBeUndefined();

    // The first program's late exit call must not end its successor.
    program.starts[0]!.exit(70, 'late call from the replaced program');
    expect(machine.state.program).toBe('running');
    expect(failures).toEqual([]);
  });

  it('refuses a start while the program runs, and a shutdown frees the control port', async () => {
    const port = await freeLoopbackPort();
    const url = `http://127.0.0.1:${port}`;
    const program = fakeProgram(port);
    machine = new ServiceMachine({ host: '127.0.0.1', controlPort: port, start: program.start, fail: () => undefined, log: () => undefined });
    await machine.start();
    await expect(startProgram(url)).rejects.toThrow(/HTTP 404/);
    program.starts[0]!.exit(70, 'client crash');
    await waitFor(() => machine?.state.program === 'exited', 2_000, 'program exited');
    await machine.shutdown();
    expect(machine.state.program).toBe('stopped');
    await expect(fetch(`${url}/machine`)).rejects.toThrow();
    expect(program.closes()).toBe(1);
  });
});
