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
            Status:
              outcome === 'run'
                ? { State: 'running', ContainerStatus: { ContainerID: containerId }, PortStatus: { Ports: [{ TargetPort: 7100, PublishedPort: engine.nextPort }] } }
                : { State: 'rejected', Err: outcome.rejected },
          });
        },
      }),
      listTasks: async () => [...tasks],
      getTask: (id: string) => ({
        inspect: async () => {
          const found = tasks.find((task) => task.ID === id);
          if (found === undefined) throw Object.assign(new Error('no such task'), { statusCode: 404 });
          return found;
        },
      }),
    } as unknown as DockerApi,
  };
  return engine;
}

/** Two control ports open for the describe block that calls it (made before its tests, closed after). */
function controlPortPair(): { readonly first: ControlPort; readonly second: ControlPort } {
  let pair: { first: ControlPort; second: ControlPort } | undefined;
  beforeAll(async () => {
    pair = { first: await controlPort(), second: await controlPort() };
  });
  afterAll(async () => {
    await pair?.first.close();
    await pair?.second.close();
  });
  const opened = (): { first: ControlPort; second: ControlPort } => {
    if (pair === undefined) throw new Error('the control ports are opened before the tests');
    return pair;
  };
  return {
    get first() {
      return opened().first;
    },
    get second() {
      return opened().second;
    },
  };
}

describe('SwarmNode', () => {
  const ports = controlPortPair();

  const nodeOn = (engine: ReturnType<typeof fakeEngine>): SwarmNode =>
    new SwarmNode({
      api: engine.api,
      serviceId: 's1',
      serviceName: 'sc-r-echo-1',
      name: 'echo-1',
      role: 'echo',
      upstream: { host: 'sc-r-echo-1', port: 7000 },
      task: { kind: 'running', taskId: 't1', containerId: 'c1', nodeId: 'n1' },
      control: { host: '127.0.0.1', port: ports.first.port },
      readyTimeoutMs: 3_000,
    });

  it('a crash is SIGKILL to the task container; restart is a forced update, then the new task behind the same upstream', async () => {
    const engine = fakeEngine(ports.first.port);
    const node = nodeOn(engine);
    await node.kill();
    expect(await node.inspect()).toEqual({ state: 'exited', exitCode: 137 });
    engine.nextPort = ports.second.port;
    await node.restart();
    expect(engine.calls).toEqual(['kill c1 SIGKILL', 'update s1 version 10 ForceUpdate 1']);
    expect(node.containerId).toBe('c2');
    expect(node.controlUrl()).toBe(`http://127.0.0.1:${ports.second.port}`);
    expect(node.upstream).toEqual({ host: 'sc-r-echo-1', port: 7000 });
    expect(await node.inspect()).toEqual({ state: 'running' });
    expect(await node.logs()).toBe('output of c1\noutput of c2\n');
  });

  it('pause and resume act on the container; a restart of a paused node unpauses and stops it before the update', async () => {
    const engine = fakeEngine(ports.first.port);
    const node = nodeOn(engine);
    await node.pause();
    expect(await node.inspect()).toEqual({ state: 'paused' });
    await node.resume();
    await node.pause();
    await node.restart();
    expect(engine.calls).toEqual(['pause c1', 'unpause c1', 'pause c1', 'unpause c1', 'stop c1 -t 10', 'update s1 version 10 ForceUpdate 1']);
  });

  it('a program that ended itself is started again in the same container, with no new task', async () => {
    const engine = fakeEngine(ports.first.port);
    const node = nodeOn(engine);
    ports.first.programExit = 70;
    expect(await node.inspect()).toEqual({ state: 'exited', exitCode: 70 });
    await node.restart();
    expect(ports.first.starts).toBe(1);
    expect(engine.calls).toEqual([]);
    expect(node.containerId).toBe('c1');
  });

  it('a new task the swarm rejects fails the restart with what the swarm said', async () => {
    const engine = fakeEngine(ports.first.port);
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
    const engine = fakeEngine(ports.first.port);
    const node = nodeOn(engine);
    engine.containers.delete('c1');
    expect(await node.inspect()).toEqual({ state: 'exited' });
    await node.kill();
    expect(engine.calls).toEqual([]);
  });
});

/**
 * A task on another swarm node: the manager's engine (the swarm's calls) cannot see its container, which
 * only the node's own engine reaches. Both fakes share one engine's state; a container call the manager
 * is asked for is recorded as a mistake.
 */
function splitEngines(engine: ReturnType<typeof fakeEngine>) {
  const managerAsked: string[] = [];
  const manager = {
    ...(engine.api as unknown as Record<string, unknown>),
    getContainer: (id: string) => {
      managerAsked.push(id);
      throw Object.assign(new Error(`no such container: ${id}`), { statusCode: 404 });
    },
  } as unknown as DockerApi;
  const nodeEngine = { getContainer: (id: string) => engine.api.getContainer(id) } as unknown as DockerApi;
  return { manager, nodeEngine, managerAsked };
}

describe('SwarmNode on another swarm node', () => {
  const ports = controlPortPair();

  const remoteNode = (api: DockerApi, engine?: DockerApi): SwarmNode =>
    new SwarmNode({
      api,
      serviceId: 's1',
      serviceName: 'sc-r-sn-01',
      name: 'sn-01',
      role: 'supernode',
      upstream: { host: 'sc-r-sn-01', port: 7000 },
      task: { kind: 'running', taskId: 't1', containerId: 'c1', nodeId: 'w1', ports: { 7100: ports.first.port } },
      control: { host: '127.0.0.1', port: ports.first.port },
      placedOn: { nodeId: 'w1', hostname: 'worker-1', local: false, host: '127.0.0.1', ...(engine === undefined ? {} : { engine }) },
      readyTimeoutMs: 3_000,
    });

  it("with the node's engine: a crash is SIGKILL through it (137), the restart a forced update through the manager, the logs read from it", async () => {
    const engine = fakeEngine(ports.first.port);
    const { manager, nodeEngine, managerAsked } = splitEngines(engine);
    const node = remoteNode(manager, nodeEngine);
    expect(await node.inspect()).toEqual({ state: 'running' });
    await node.kill();
    expect(await node.inspect()).toEqual({ state: 'exited', exitCode: 137 });
    engine.nextPort = ports.second.port;
    await node.restart();
    expect(engine.calls).toEqual(['kill c1 SIGKILL', 'update s1 version 10 ForceUpdate 1']);
    expect(node.containerId).toBe('c2');
    // The new task's port as the swarm reports it, at the node's address.
    expect(node.controlUrl()).toBe(`http://127.0.0.1:${ports.second.port}`);
    expect(await node.logs()).toBe('output of c1\noutput of c2\n');
    expect(managerAsked).toEqual([]);
  });

  it("with the node's engine: pause, resume and a graceful stop through it", async () => {
    const engine = fakeEngine(ports.first.port);
    const { manager, nodeEngine, managerAsked } = splitEngines(engine);
    const node = remoteNode(manager, nodeEngine);
    await node.pause();
    expect(await node.inspect()).toEqual({ state: 'paused' });
    await node.resume();
    expect(await node.inspect()).toEqual({ state: 'running' });
    await node.stop();
    expect(await node.inspect()).toEqual({ state: 'exited', exitCode: 0 });
    expect(engine.calls).toEqual(['pause c1', 'unpause c1', 'stop c1 -t 10']);
    expect(managerAsked).toEqual([]);
  });

  it("with the node's engine: a container already gone reads as the swarm's task (its exit code), not as a plain exit", async () => {
    const engine = fakeEngine(ports.first.port);
    const { manager, nodeEngine } = splitEngines(engine);
    const node = remoteNode(manager, nodeEngine);
    engine.containers.delete('c1');
    expect(await node.inspect()).toEqual({ state: 'running' });
    engine.tasks[0] = { ...engine.tasks[0]!, Status: { State: 'failed', ContainerStatus: { ContainerID: 'c1', ExitCode: 137 } } };
    expect(await node.inspect()).toEqual({ state: 'exited', exitCode: 137 });
    await node.kill();
    expect(engine.calls).toEqual([]);
  });

  it('without an engine for that node: crash, pause and stop refused naming CHAOS_SWARM_ENGINES; its logs a note', async () => {
    const engine = fakeEngine(ports.first.port);
    const { manager, managerAsked } = splitEngines(engine);
    const node = remoteNode(manager);
    expect(await node.inspect()).toEqual({ state: 'running' });
    for (const [fault, act] of [
      ['crash', () => node.kill()],
      ['pause', () => node.pause()],
      ['graceful stop', () => node.stop()],
    ] as const) {
      const error = await act().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ChaosError);
      expect((error as ChaosError).exitCode).toBe(2);
      expect((error as ChaosError).message).toBe(
        `${fault} of node sn-01: it runs on worker-1, and the harness reaches a task's container only through the engine it talks to (this manager's) or that node's own engine, which was not given`,
      );
      expect((error as ChaosError).hint).toMatch(/^give that node's engine in CHAOS_SWARM_ENGINES \(e\.g\. CHAOS_SWARM_ENGINES=worker-1=unix:\/\/\/tmp\/worker-1\.sock.*or use --place manager/);
    }
    expect(await node.logs()).toBe("(node sn-01 runs on worker-1: its containers' output is on that node's engine, which the harness reaches only when CHAOS_SWARM_ENGINES names it)\n");
    expect(engine.calls).toEqual([]);
    expect(managerAsked).toEqual([]);
  });
});
