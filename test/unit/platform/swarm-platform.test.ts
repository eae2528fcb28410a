import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { ResourceOwner } from '../../../harness/lifecycle/owner.js';
import type { DockerApi } from '../../../harness/platform/docker-engine.js';
import type { ListedSwarmNode } from '../../../harness/platform/swarm-engine.js';
import type { SwarmNode } from '../../../harness/platform/swarm-node.js';
import { parseSwarmEngines, type NodeEngineConnector } from '../../../harness/platform/swarm-node-engines.js';
import { startSwarmPlatform, type SwarmPlatform } from '../../../harness/platform/swarm-platform.js';
import type { SwarmServiceSpec } from '../../../harness/platform/swarm-specs.js';
import type { SwarmTask } from '../../../harness/platform/swarm-tasks.js';

/**
 * The swarm platform against a fake engine: which node each service is pinned to, and where the harness
 * dials its control port. Tasks on the worker publish on a server bound to 127.0.0.2 (the worker's
 * address here), and the fake engine cannot see their containers, as a manager cannot see a worker's.
 */

// The leftover sweep asks the real engine; the pushes would need a registry.
vi.mock('../../../harness/platform/leftovers.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../harness/platform/leftovers.js')>()),
  cleanEarlierRuns: async () => [],
}));
vi.mock('../../../harness/platform/image-registry.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../harness/platform/image-registry.js')>()),
  pushImage: async (_api: unknown, image: string, registry: string) => `${registry}/${image.split(':')[0] ?? image}@sha256:${'1'.repeat(64)}`,
}));

const managerAddr = '127.0.0.1';
const workerAddr = '127.0.0.2';

const listed = (id: string, hostname: string, role: 'manager' | 'worker', addr: string): ListedSwarmNode => ({
  ID: id,
  Description: { Hostname: hostname },
  Spec: { Role: role, Availability: 'active' },
  Status: { State: 'ready', Addr: addr },
});
const mgr = listed('m1', 'mgr', 'manager', '0.0.0.0');
const worker = listed('w1', 'worker-1', 'worker', workerAddr);

/** Answers what the platform asks of Toxiproxy's API and of a node's control port. */
async function listen(host: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/version') return void res.writeHead(200).end('{"version":"2.12.0"}');
    if (req.url === '/healthz') return void res.writeHead(200).end('ok');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface Servers {
  readonly toxiproxy: number;
  readonly managerControl: number;
  readonly workerControl: number;
}

/** A manager's engine: services become running tasks on the node their constraint names; only the manager's containers can be inspected. */
function fakeSwarm(nodes: readonly ListedSwarmNode[], servers: Servers) {
  const services: SwarmServiceSpec[] = [];
  const tasks = new Map<string, SwarmTask>();
  const calls: string[] = [];
  const nodeOfService = (spec: SwarmServiceSpec): string => (spec.TaskTemplate.Placement.Constraints[0] ?? '').replace('node.id==', '');
  const containerPorts = (spec: SwarmServiceSpec): Record<number, number> =>
    spec.Name.endsWith('-toxiproxy') ? { 8474: servers.toxiproxy, 20000: 40000, 20001: 40001 } : { 7100: nodeOfService(spec) === 'm1' ? servers.managerControl : servers.workerControl };
  const api = {
    listNodes: async () => nodes,
    getImage: (name: string) => ({ inspect: async () => ({ Id: `sha256:local-${name}` }) }),
    createNetwork: async ({ Name }: { Name: string }) => void calls.push(`create network ${Name}`),
    createService: async (spec: SwarmServiceSpec) => {
      services.push(spec);
      calls.push(`create service ${spec.Name}`);
      const n = services.length;
      const ports = Object.entries(containerPorts(spec)).map(([target, published]) => ({ TargetPort: Number(target), PublishedPort: published }));
      tasks.set(`s${n}`, {
        ID: `t${n}`,
        CreatedAt: '2026-12-06T18:00:00Z',
        NodeID: nodeOfService(spec),
        DesiredState: 'running',
        Status: { State: 'running', ContainerStatus: { ContainerID: `c${n}` }, PortStatus: { Ports: ports } },
      });
      return { ID: `s${n}` };
    },
    listTasks: async ({ filters }: { filters: { service: string[] } }) => filters.service.flatMap((id) => (tasks.has(id) ? [tasks.get(id)] : [])),
    getTask: (id: string) => ({ inspect: async () => [...tasks.values()].find((task) => task.ID === id) }),
    getContainer: (id: string) => ({
      inspect: async () => {
        const n = Number(id.slice(1));
        const spec = services[n - 1];
        if (spec === undefined || nodeOfService(spec) !== 'm1') throw Object.assign(new Error(`no such container: ${id}`), { statusCode: 404 });
        const ports = Object.fromEntries(Object.entries(containerPorts(spec)).map(([target, published]) => [`${target}/tcp`, [{ HostPort: String(published) }]]));
        return { State: { Running: true }, NetworkSettings: { Ports: ports, Networks: { [spec.TaskTemplate.Networks[0]?.Target ?? '']: { IPAddress: '10.0.9.2' } } } };
      },
      remove: async () => undefined,
    }),
    getService: (name: string) => ({ remove: async () => void calls.push(`remove service ${name}`) }),
    listContainers: async () => [],
    getNetwork: (name: string) => ({ inspect: async () => ({ Containers: {} }), disconnect: async () => undefined, remove: async () => void calls.push(`remove network ${name}`) }),
  };
  return { api: api as unknown as DockerApi, services, calls, nodeOfService };
}

/**
 * A swarm node's own engine (`nodeId` its Swarm.NodeID): it sees the containers of the tasks the fake
 * swarm placed there, kills them (137), and lists a service's containers (none: the swarm removed them).
 */
function workerEngine(swarm: ReturnType<typeof fakeSwarm>, nodeId: string) {
  const calls: string[] = [];
  const killed = new Set<string>();
  const api = {
    ping: async () => 'OK',
    info: async () => ({ Swarm: { LocalNodeState: 'active', NodeID: nodeId } }),
    getContainer: (id: string) => {
      const spec = swarm.services[Number(id.slice(1)) - 1];
      const here = (): void => {
        if (spec === undefined || swarm.nodeOfService(spec) !== nodeId) throw Object.assign(new Error(`no such container: ${id}`), { statusCode: 404 });
      };
      return {
        inspect: async () => {
          here();
          return { State: killed.has(id) ? { Running: false, ExitCode: 137 } : { Running: true } };
        },
        kill: async ({ signal }: { signal: string }) => {
          here();
          calls.push(`kill ${id} ${signal}`);
          killed.add(id);
        },
      };
    },
    listContainers: async ({ filters }: { filters: { label: string[] } }) => {
      calls.push(`list ${(filters.label[0] ?? '').replace('com.docker.swarm.service.name=', '')}`);
      return [];
    },
  };
  return { api: api as unknown as DockerApi, calls };
}

const images = { toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0', nodeBase: 'node:20-slim', services: 'supernode-chaos/services:dev' };

describe('the swarm platform places its services by the plan', () => {
  let servers: Servers;
  const closers: (() => Promise<void>)[] = [];
  const savedDockerHost = process.env['DOCKER_HOST'];

  beforeAll(async () => {
    // The engine watch asks the engine's socket itself: a dead one here, never the machine's engine.
    process.env['DOCKER_HOST'] = 'unix:///nonexistent.sock';
    const toxiproxy = await listen(managerAddr);
    const managerControl = await listen(managerAddr);
    const workerControl = await listen(workerAddr);
    closers.push(toxiproxy.close, managerControl.close, workerControl.close);
    servers = { toxiproxy: toxiproxy.port, managerControl: managerControl.port, workerControl: workerControl.port };
  });

  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    if (savedDockerHost === undefined) delete process.env['DOCKER_HOST'];
    else process.env['DOCKER_HOST'] = savedDockerHost;
  });

  const start = (
    swarm: ReturnType<typeof fakeSwarm>,
    extra: { place?: 'manager' | 'spread'; registry?: string; nodeEngines?: ReturnType<typeof parseSwarmEngines>; connectNodeEngine?: NodeEngineConnector },
  ): Promise<SwarmPlatform> =>
    startSwarmPlatform({ owner: new ResourceOwner(), runId: 'rtest', images, api: swarm.api, nodeId: 'm1', readyTimeoutMs: 3_000, hostProxyPorts: 2, ...extra });

  const startNodes = async (platform: SwarmPlatform): Promise<SwarmNode[]> => {
    const specs = [
      { name: 'login', role: 'login' as const },
      { name: 'sn-01', role: 'supernode' as const },
      { name: 'sn-02', role: 'supernode' as const },
      { name: 'fleet-1', role: 'client-fleet' as const },
    ];
    const started: SwarmNode[] = [];
    for (const spec of specs) started.push((await platform.startNode({ ...spec, config: {} })) as SwarmNode);
    return started;
  };

  it('spread: Toxiproxy and login on the manager, supernodes and fleets round robin from the worker, each dialled on its own node', async () => {
    const swarm = fakeSwarm([mgr, worker], servers);
    const platform = await start(swarm, { place: 'spread', registry: '10.0.0.5:5000' });
    try {
      const [login, sn1, sn2, fleet1] = await startNodes(platform);
      expect(swarm.services.map((spec) => [spec.Name, swarm.nodeOfService(spec)])).toEqual([
        ['sc-rtest-toxiproxy', 'm1'],
        ['sc-rtest-login', 'm1'],
        ['sc-rtest-sn-01', 'w1'],
        ['sc-rtest-sn-02', 'm1'],
        ['sc-rtest-fleet-1', 'w1'],
      ]);
      expect(swarm.services.every((spec) => spec.TaskTemplate.ContainerSpec.Image.startsWith('10.0.0.5:5000/'))).toBe(true);
      expect(platform.toxiproxy.apiUrl).toBe(`http://127.0.0.1:${servers.toxiproxy}`);
      expect(login?.controlUrl()).toBe(`http://127.0.0.1:${servers.managerControl}`);
      expect(sn1?.controlUrl()).toBe(`http://${workerAddr}:${servers.workerControl}`);
      expect(sn2?.controlUrl()).toBe(`http://127.0.0.1:${servers.managerControl}`);
      expect(fleet1?.placedOn).toEqual({ nodeId: 'w1', hostname: 'worker-1', local: false, host: workerAddr });
      expect(sn2?.placedOn).toMatchObject({ nodeId: 'm1', hostname: 'mgr', local: true });

      const plan = platform.placement();
      expect(plan.summary).toBe('toxiproxy, login on mgr; 2 supernodes and 1 fleet over 2 nodes: mgr 1, worker-1 2');
      expect(Object.fromEntries(plan.nodeOf)).toEqual({ toxiproxy: 'm1', login: 'm1', 'sn-01': 'w1', 'sn-02': 'm1', 'fleet-1': 'w1' });

      // On the worker: its state from the swarm's task, and a crash refused (its container is on the worker's engine).
      expect(await sn1?.inspect()).toEqual({ state: 'running' });
      const crash = await sn1?.kill().catch((error: unknown) => error);
      expect(crash).toBeInstanceOf(ChaosError);
      expect((crash as ChaosError).message).toBe(
        "crash of node sn-01: it runs on worker-1, and the harness reaches a task's container only through the engine it talks to (this manager's) or that node's own engine, which was not given",
      );
      expect((crash as ChaosError).hint).toContain('CHAOS_SWARM_ENGINES');
      expect((crash as ChaosError).hint).toContain('use --place manager');
    } finally {
      await platform.dispose();
    }
    expect(swarm.calls.at(-1)).toBe('remove network sc-rtest');
  });

  it('manager (the default): every service pinned to the manager, images by local ID, though the swarm has a worker', async () => {
    const swarm = fakeSwarm([worker, mgr], servers);
    const platform = await start(swarm, {});
    try {
      const nodes = await startNodes(platform);
      expect(new Set(swarm.services.map((spec) => swarm.nodeOfService(spec)))).toEqual(new Set(['m1']));
      expect(swarm.services.every((spec) => spec.TaskTemplate.ContainerSpec.Image.startsWith('sha256:local-'))).toBe(true);
      expect(nodes.map((node) => node.controlUrl())).toEqual(nodes.map(() => `http://127.0.0.1:${servers.managerControl}`));
      expect(platform.placement().summary).toBe('toxiproxy, login, 2 supernodes and 1 fleet on mgr');
      expect(platform.placement().notice).toBeUndefined();
    } finally {
      await platform.dispose();
    }
  });

  it('spread with a ready worker and no registry: refused before anything is created', async () => {
    const swarm = fakeSwarm([mgr, worker], servers);
    const error = await start(swarm, { place: 'spread' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).exitCode).toBe(2);
    expect((error as ChaosError).message).toBe('--place spread puts tasks on other nodes (worker-1), which can only pull images from a registry');
    expect(swarm.calls).toEqual([]);
  });

  it('spread on a swarm of one node: everything on the manager, and the notice', async () => {
    const swarm = fakeSwarm([mgr], servers);
    const platform = await start(swarm, { place: 'spread' });
    try {
      await startNodes(platform);
      expect(new Set(swarm.services.map((spec) => swarm.nodeOfService(spec)))).toEqual(new Set(['m1']));
      expect(platform.placement().notice).toBe('--place spread: the swarm has no other node, so every service runs on mgr, as with --place manager');
    } finally {
      await platform.dispose();
    }
  });
  it("spread with the worker's engine given: a crash of a node on the worker goes through that engine, and teardown asks it for the service's containers", async () => {
    const swarm = fakeSwarm([mgr, worker], servers);
    const engine = workerEngine(swarm, 'w1');
    const connected: string[] = [];
    const connect: NodeEngineConnector = (address, timeoutMs) => {
      connected.push(`${address.hostname} ${address.engine}${timeoutMs === undefined ? '' : ` ${timeoutMs} ms`}`);
      return engine.api;
    };
    const platform = await start(swarm, { place: 'spread', registry: '10.0.0.5:5000', nodeEngines: parseSwarmEngines('worker-1=unix:///run/w1.sock', {}), connectNodeEngine: connect });
    let sn1: SwarmNode | undefined;
    try {
      const started = await startNodes(platform);
      sn1 = started[1];
      expect(connected).toEqual(['worker-1 unix:///run/w1.sock 4000 ms', 'worker-1 unix:///run/w1.sock']);
      expect(sn1?.placedOn).toMatchObject({ nodeId: 'w1', hostname: 'worker-1', local: false, host: workerAddr });
      expect(sn1?.placedOn.engine).toBe(engine.api);
      expect(started[2]?.placedOn.engine).toBeUndefined();
      expect(await sn1?.inspect()).toEqual({ state: 'running' });
      await sn1?.kill();
      expect(await sn1?.inspect()).toEqual({ state: 'exited', exitCode: 137 });
      expect(engine.calls).toEqual(['kill c3 SIGKILL']);
    } finally {
      await platform.dispose();
    }
    // The services on the worker (sn-01, fleet-1) were waited for on its engine too; the manager's were not.
    expect(engine.calls.filter((call) => call.startsWith('list')).sort()).toEqual(expect.arrayContaining(['list sc-rtest-fleet-1', 'list sc-rtest-sn-01']));
    expect(engine.calls.some((call) => /list sc-rtest-(login|sn-02|toxiproxy)$/.test(call))).toBe(false);
  });

  it('an engine named for a hostname that is no node of the swarm: refused (exit 2) before anything is created', async () => {
    const swarm = fakeSwarm([mgr, worker], servers);
    const error = await start(swarm, { place: 'spread', registry: '10.0.0.5:5000', nodeEngines: parseSwarmEngines('worker-9=unix:///run/w9.sock', {}), connectNodeEngine: () => workerEngine(swarm, 'w1').api }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).exitCode).toBe(2);
    expect((error as ChaosError).message).toBe('CHAOS_SWARM_ENGINES: worker-9 is not a node of the swarm (its nodes: mgr, worker-1)');
    expect(swarm.calls).toEqual([]);
  });

  it("an engine that is another node's: refused (exit 3) before anything is created", async () => {
    const swarm = fakeSwarm([mgr, worker], servers);
    const error = await start(swarm, { place: 'spread', registry: '10.0.0.5:5000', nodeEngines: parseSwarmEngines('worker-1=unix:///var/run/docker.sock', {}), connectNodeEngine: () => workerEngine(swarm, 'm1').api }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).exitCode).toBe(3);
    expect((error as ChaosError).message).toBe('the engine at unix:///var/run/docker.sock answers, but it is not swarm node worker-1 (w1): it is swarm node m1');
    expect(swarm.calls).toEqual([]);
  });
});
