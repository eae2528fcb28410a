import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import type { DockerApi } from '../../../harness/platform/docker-engine.js';
import { SwarmNode } from '../../../harness/platform/swarm-node.js';
import type { SwarmTask } from '../../../harness/platform/swarm-tasks.js';

/** A control port: `/healthz` answers, `/machine` says whether the program ended itself. */
interface ControlPort {
  readonly port: number;
  programExit?: number;
  starts: number;
  close(): Promise<void>;
}

async function controlPort(): Promise<ControlPort> {
  const control: { programExit?: number; starts: number } = { starts: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url === '/healthz') return void res.writeHead(200).end('ok');
    if (req.url === '/machine' && control.programExit !== undefined) return void res.writeHead(200).end(JSON.stringify({ program: 'exited', exitCode: control.programExit }));
    if (req.url === '/machine/start' && req.method === 'POST') {
      control.starts += 1;
      delete control.programExit;
      return void res.writeHead(202).end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(control, { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }) as ControlPort;
}

interface FakeContainer {
  State: { Running: boolean; Paused: boolean; ExitCode: number };
  hostPort: number;
}

/** The engine calls a SwarmNode makes, recorded; a forced update starts a new task whose container publishes `nextPort`. */
function fakeEngine(firstPort: number) {
  const containers = new Map<string, FakeContainer>([['c1', { State: { Running: true, Paused: false, ExitCode: 0 }, hostPort: firstPort }]]);
  const tasks: SwarmTask[] = [{ ID: 't1', CreatedAt: '2026-12-06T18:00:00Z', DesiredState: 'running', NodeID: 'n1', Status: { State: 'running', ContainerStatus: { ContainerID: 'c1' } } }];
  const calls: string[] = [];
  let forceUpdate = 0;
  let version = 10;
  const engine = {
    calls,
    containers,
    tasks,
    nextPort: firstPort,
    /** What the next forced update's task does: run, or be rejected with this reason. */
    nextTask: 'run' as 'run' | { rejected: string },
    api: {
      getContainer: (id: string) => {
        const container = (): FakeContainer => {
          const found = containers.get(id);
          if (found === undefined) throw Object.assign(new Error('no such container'), { statusCode: 404 });
          return found;
        };
        return {
          inspect: async () => ({ State: { ...container().State }, NetworkSettings: { Ports: { '7100/tcp': [{ HostPort: String(container().hostPort) }] } } }),
          kill: async ({ signal }: { signal: string }) => {
            calls.push(`kill ${id} ${signal}`);
            container().State = { Running: false, Paused: false, ExitCode: 137 };
          },
          stop: async ({ t }: { t: number }) => {
            calls.push(`stop ${id} -t ${t}`);
            container().State = { Running: false, Paused: false, ExitCode: 0 };
          },
          pause: async () => {
            calls.push(`pause ${id}`);
            container().State.Paused = true;
          },
          unpause: async () => {
            calls.push(`unpause ${id}`);
            container().State.Paused = false;
          },
          logs: async () => Buffer.from(`output of ${id}\n`),
        };
      },
      getService: (id: string) => ({
        inspect: async () => ({ Version: { Index: version }, Spec: { Name: 'sc-r-echo-1', TaskTemplate: { ForceUpdate: forceUpdate } } }),
        update: async (options: { _query: { version: number }; _body: { TaskTemplate: { ForceUpdate: number } } }) => {
          calls.push(`update ${id} version ${options._query.version} ForceUpdate ${options._body.TaskTemplate.ForceUpdate}`);
          forceUpdate = options._body.TaskTemplate.ForceUpdate;
          version += 1;
          const n = tasks.length + 1;
          const containerId = `c${n}`;
          const outcome = engine.nextTask;
          if (outcome === 'run') containers.set(containerId, { State: { Running: true, Paused: false, ExitCode: 0 }, hostPort: engine.nextPort });
          tasks.push({
            ID: `t${n}`,
            CreatedAt: `2026-12-06T18:00:0${n}Z`,
            DesiredState: 'running',
            NodeID: 'n1',
            Status: outcome === 'run' ? { State: 'running', ContainerStatus: { ContainerID: containerId } } : { State: 'rejected', Err: outcome.rejected },
          });
        },
      }),
      listTasks: async () => [...tasks],
    } as unknown as DockerApi,
  };
  return engine;
}

describe('SwarmNode', () => {
  let first: ControlPort;
  let second: ControlPort;

  beforeAll(async () => {
    first = await controlPort();
    second = await controlPort();
  });

  afterAll(async () => {
    await first.close();
    await second.close();
  });

  const nodeOn = (engine: ReturnType<typeof fakeEngine>): SwarmNode =>
    new SwarmNode({
      api: engine.api,
      serviceId: 's1',
      serviceName: 'sc-r-echo-1',
      name: 'echo-1',
      role: 'echo',
      upstream: { host: 'sc-r-echo-1', port: 7000 },
      task: { kind: 'running', taskId: 't1', containerId: 'c1', nodeId: 'n1' },
      control: { host: '127.0.0.1', port: first.port },
      readyTimeoutMs: 3_000,
    });

  it('a crash is SIGKILL to the task container; restart is a forced update, then the new task behind the same upstream', async () => {
    const engine = fakeEngine(first.port);
    const node = nodeOn(engine);
    await node.kill();
    expect(await node.inspect()).toEqual({ state: 'exited', exitCode: 137 });
    engine.nextPort = second.port;
    await node.restart();
    expect(engine.calls).toEqual(['kill c1 SIGKILL', 'update s1 version 10 ForceUpdate 1']);
    expect(node.containerId).toBe('c2');
    expect(node.controlUrl()).toBe(`http://127.0.0.1:${second.port}`);
    expect(node.upstream).toEqual({ host: 'sc-r-echo-1', port: 7000 });
    expect(await node.inspect()).toEqual({ state: 'running' });
    expect(await node.logs()).toBe('output of c1\noutput of c2\n');
  });

  it('pause and resume act on the container; a restart of a paused node unpauses and stops it before the update', async () => {
    const engine = fakeEngine(first.port);
    const node = nodeOn(engine);
    await node.pause();
    expect(await node.inspect()).toEqual({ state: 'paused' });
    await node.resume();
    await node.pause();
    await node.restart();
    expect(engine.calls).toEqual(['pause c1', 'unpause c1', 'pause c1', 'unpause c1', 'stop c1 -t 10', 'update s1 version 10 ForceUpdate 1']);
  });

  it('a program that ended itself is started again in the same container, with no new task', async () => {
    const engine = fakeEngine(first.port);
    const node = nodeOn(engine);
    first.programExit = 70;
    expect(await node.inspect()).toEqual({ state: 'exited', exitCode: 70 });
    await node.restart();
    expect(first.starts).toBe(1);
    expect(engine.calls).toEqual([]);
    expect(node.containerId).toBe('c1');
  });

  it('a new task the swarm rejects fails the restart with what the swarm said', async () => {
    const engine = fakeEngine(first.port);
    const node = nodeOn(engine);
    await node.kill();
    engine.nextTask = { rejected: 'No such image: sha256:0123' };
    const error = await node.restart().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).code).toBe('NODE_NOT_READY');
    expect((error as ChaosError).message).toContain('task t2 rejected: No such image: sha256:0123');
  });

  it('a container the swarm already removed counts as exited', async () => {
    const engine = fakeEngine(first.port);
    const node = nodeOn(engine);
    engine.containers.delete('c1');
    expect(await node.inspect()).toEqual({ state: 'exited' });
    await node.kill();
    expect(engine.calls).toEqual([]);
  });
});
