import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AddressHttpWait, waitForAddressHttp, type PolledContainer } from '../../../harness/platform/address-wait.js';

const logFrame = (text: string): Buffer => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = 2;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

/** A container on network `sc-r1` at 127.0.0.1; `exitAfter` inspections later it has exited with code 1. */
function fakeContainer(exitAfter = Number.POSITIVE_INFINITY): PolledContainer & { inspections: number } {
  const container = {
    inspections: 0,
    async inspect() {
      container.inspections += 1;
      const exited = container.inspections > exitAfter;
      return {
        State: { Status: exited ? 'exited' : 'running', ExitCode: exited ? 1 : 0 },
        NetworkSettings: { Networks: { 'sc-r1': { IPAddress: exited ? '' : '127.0.0.1' } } },
      };
    },
    async logs() {
      return logFrame('service failed to start: no config\n');
    },
  };
  return container;
}

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  server = undefined;
});

/** An HTTP server on 127.0.0.1 answering /healthz with 503 for the first `failures` requests, then 200. */
async function healthServer(failures: number): Promise<number> {
  let left = failures;
  server = createServer((request, response) => {
    response.statusCode = request.url === '/healthz' && left-- <= 0 ? 200 : 503;
    response.end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('waiting for a container by its address', () => {
  it('polls http://<address on the network>:<port><path> until it answers 200', async () => {
    const port = await healthServer(3);
    await expect(waitForAddressHttp(fakeContainer(), { network: 'sc-r1', port, path: '/healthz', intervalMs: 10, timeoutMs: 5_000 })).resolves.toBeUndefined();
  });

  it('fails fast when the container exits, with its last logs after ", last N logs: "', async () => {
    const port = await healthServer(Number.POSITIVE_INFINITY);
    const started = Date.now();
    const error = await waitForAddressHttp(fakeContainer(1), { network: 'sc-r1', port, path: '/healthz', intervalMs: 10, timeoutMs: 10_000 }).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    const [reason, logs] = (error?.message ?? '').split(/, last \d+ logs: /);
    expect(reason).toBe(`the container exited with code 1 before http://127.0.0.1:${port}/healthz answered`);
    expect(logs).toBe('service failed to start: no config');
  });

  it('fails at once for a container that has already exited', async () => {
    await expect(waitForAddressHttp(fakeContainer(0), { network: 'sc-r1', port: 7100, path: '/healthz', timeoutMs: 5_000 })).rejects.toThrow(
      /^the container exited with code 1 before port 7100 on network sc-r1 answered, last 50 logs: service failed to start/,
    );
  });

  it('names the network when the container has no address on it', async () => {
    await expect(waitForAddressHttp(fakeContainer(), { network: 'sc-r2', port: 7100, path: '/healthz', timeoutMs: 5_000 })).rejects.toThrow(
      'Docker reports no address for the container on network sc-r2',
    );
  });

  it('gives up after the startup timeout, naming the URL', async () => {
    const port = await healthServer(Number.POSITIVE_INFINITY);
    const wait = new AddressHttpWait({ network: 'sc-r1', port, path: '/healthz', intervalMs: 10 }).withStartupTimeout(300);
    expect(wait.isStartupTimeoutSet()).toBe(true);
    expect(wait.getStartupTimeout()).toBe(300);
    // testcontainers hands the wait dockerode's container; the fake has the part the wait uses.
    const container = fakeContainer() as unknown as Parameters<AddressHttpWait['waitUntilReady']>[0];
    await expect(wait.waitUntilReady(container)).rejects.toThrow(
      `http://127.0.0.1:${port}/healthz did not answer OK within 300 ms (last: HTTP 503)`,
    );
  });

  it('stops waiting when the run is interrupted', async () => {
    const port = await healthServer(Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      waitForAddressHttp(fakeContainer(), { network: 'sc-r1', port, path: '/healthz', intervalMs: 10, timeoutMs: 10_000, signal: controller.signal }),
    ).rejects.toThrow(`interrupted while waiting for http://127.0.0.1:${port}/healthz`);
  });
});
