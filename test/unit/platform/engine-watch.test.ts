import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { listNetworksProbe, unlessEngineLost, watchEngine } from '../../../harness/platform/engine-watch.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('engine watch', () => {
  it('stays quiet while the engine answers', async () => {
    vi.useFakeTimers();
    const probe = vi.fn(() => Promise.resolve());
    const watch = watchEngine({ probe, what: 'GET /networks', boundMs: 10_000, intervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(watch.lost.aborted).toBe(false);
    expect(probe.mock.calls.length).toBeGreaterThanOrEqual(59);
    watch.stop();
  });

  it('gives the engine up once a probe has hung past the bound, asking one question at a time', async () => {
    vi.useFakeTimers();
    const probe = vi.fn(() => new Promise<void>(() => undefined));
    const watch = watchEngine({ probe, what: 'GET /networks', boundMs: 10_000, intervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(watch.lost.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(watch.lost.aborted).toBe(true);
    expect(probe).toHaveBeenCalledTimes(1);
    const reason = watch.lost.reason as ChaosError;
    expect(reason.code).toBe('ENGINE_NOT_ANSWERING');
    expect(reason.message).toMatch(/^Docker engine not answering: GET \/networks had no answer for 1[01] s$/);
    expect(reason.hint).toMatch(/restart dockerd/);
    expect(reason.exitCode).toBe(3);
  });

  it('counts refusals as silence too, and recovers the count on the next answer', async () => {
    vi.useFakeTimers();
    let answering = false;
    const watch = watchEngine({ probe: () => (answering ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'))), what: 'x', boundMs: 5_000, intervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(4_000);
    answering = true;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(watch.lost.aborted).toBe(false);
    answering = false;
    await vi.advanceTimersByTimeAsync(7_000);
    expect(watch.lost.aborted).toBe(true);
  });

  it('ends a waiting call as soon as the engine is lost', async () => {
    const controller = new AbortController();
    const pending = unlessEngineLost(controller.signal, () => new Promise<never>(() => undefined));
    controller.abort(new ChaosError('ENGINE_NOT_ANSWERING', 'gone', { hint: 'restart' }));
    await expect(pending).rejects.toThrow('gone');
    await expect(unlessEngineLost(controller.signal, () => Promise.resolve(1))).rejects.toThrow('gone');
    await expect(unlessEngineLost(new AbortController().signal, () => Promise.resolve(1))).resolves.toBe(1);
  });
});

describe('network list probe', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))));

  const serve = async (handler: Parameters<typeof createServer>[1]): Promise<NodeJS.ProcessEnv> => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return { DOCKER_HOST: `tcp://127.0.0.1:${address.port}` };
  };

  it('asks for the run network by name and resolves on 200', async () => {
    const paths: string[] = [];
    const env = await serve((req, res) => {
      paths.push(req.url ?? '');
      res.end('[]');
    });
    await listNetworksProbe('sc-r1', 1_000, env)();
    expect(decodeURIComponent(paths[0] ?? '')).toBe('/networks?filters={"name":["sc-r1"]}');
  });

  it('rejects an error status and a silent engine', async () => {
    const env = await serve((req, res) => {
      if (req.url?.includes('slow') === true) return;
      res.statusCode = 500;
      res.end();
    });
    await expect(listNetworksProbe('fast', 1_000, env)()).rejects.toThrow(/HTTP 500/);
    await expect(listNetworksProbe('slow', 200, env)()).rejects.toThrow(/timeout/);
  });
});
