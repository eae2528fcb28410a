import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import type { DockerApi } from '../../../harness/platform/docker-engine.js';
import { removeServiceAndContainers } from '../../../harness/platform/swarm-engine.js';
import {
  connectNodeEngine,
  connectNodeEngines,
  describeNodeEngines,
  enginesByNode,
  parseSwarmEngines,
  swarmEnginesFromEnv,
  type NodeEngineAddress,
  type NodeEngineConnector,
} from '../../../harness/platform/swarm-node-engines.js';
import type { SwarmNodeInfo } from '../../../harness/platform/swarm-placement.js';
import { chaosRefusal } from '../helpers/chaos-refusal.js';

async function rejected(run: () => Promise<unknown>): Promise<ChaosError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof ChaosError) return error;
  throw new Error(`expected a ChaosError, got ${String(error)}`);
}

describe('CHAOS_SWARM_ENGINES parsed', () => {
  it('unix sockets and plain tcp, by hostname, spaces around entries dropped', () => {
    expect(parseSwarmEngines(' sc-w1=unix:///run/sc-w1-docker.sock , w2.lan=tcp://10.0.0.12:2375,w3=tcp://[fd00::3]:2375/', {})).toEqual([
      { hostname: 'sc-w1', engine: 'unix:///run/sc-w1-docker.sock', endpoint: { socketPath: '/run/sc-w1-docker.sock' } },
      { hostname: 'w2.lan', engine: 'tcp://10.0.0.12:2375', endpoint: { host: '10.0.0.12', port: 2375 } },
      { hostname: 'w3', engine: 'tcp://[fd00::3]:2375/', endpoint: { host: 'fd00::3', port: 2375 } },
    ]);
  });

  it('unset or empty: no engines', () => {
    expect(swarmEnginesFromEnv({})).toEqual([]);
    expect(swarmEnginesFromEnv({ CHAOS_SWARM_ENGINES: '' })).toEqual([]);
    expect(swarmEnginesFromEnv({ CHAOS_SWARM_ENGINES: '  ' })).toEqual([]);
    expect(swarmEnginesFromEnv({ CHAOS_SWARM_ENGINES: 'w1=unix:///tmp/w1.sock' })).toHaveLength(1);
  });

  const refusals = [
    { name: 'no =', value: 'w1', message: 'CHAOS_SWARM_ENGINES: "w1" is not HOSTNAME=ENGINE', hint: /docker node ls.*e\.g\. CHAOS_SWARM_ENGINES=w1=unix:\/\/\/tmp\/w1\.sock,w2=tcp:\/\/10\.0\.0\.12:2375$/ },
    { name: 'no hostname', value: '=unix:///tmp/w1.sock', message: 'CHAOS_SWARM_ENGINES: "=unix:///tmp/w1.sock" is not HOSTNAME=ENGINE', hint: /HOSTNAME|hostname/ },
    { name: 'no engine', value: 'w1=', message: 'CHAOS_SWARM_ENGINES: "w1=" is not HOSTNAME=ENGINE', hint: /hostname/ },
    { name: 'an empty entry', value: 'w1=unix:///tmp/w1.sock,,w2=unix:///tmp/w2.sock', message: 'CHAOS_SWARM_ENGINES: entry 2 of 3 is empty', hint: /nothing between two commas/ },
    { name: 'a hostname with a space', value: 'w 1=unix:///tmp/w1.sock', message: 'CHAOS_SWARM_ENGINES: "w 1" is not a hostname', hint: /docker node ls/ },
    {
      name: 'a hostname named twice',
      value: 'w1=unix:///tmp/a.sock,w1=tcp://10.0.0.1:2375',
      message: 'CHAOS_SWARM_ENGINES: w1 is named twice',
      hint: /^give each swarm node one engine: drop one of the w1=\.\.\. entries$/,
    },
    {
      name: 'https',
      value: 'w1=https://10.0.0.12:2376',
      message: "CHAOS_SWARM_ENGINES: the engine of w1 (https://10.0.0.12:2376) is an HTTPS address, and TLS to a node's engine is not built",
      hint: /unix socket.*ssh -NL \/tmp\/w1\.sock:\/var\/run\/docker\.sock w1/,
    },
    { name: 'http', value: 'w1=http://10.0.0.12:2375', message: /has the scheme http:\/\/: only unix:\/\/ and tcp:\/\/ are understood$/, hint: /tcp:\/\/host:port/ },
    { name: 'ssh', value: 'w1=ssh://root@w1', message: /has the scheme ssh:\/\/ \(SSH to a node is not built\): only unix:\/\/ and tcp:\/\/ are understood$/, hint: /ssh -NL/ },
    { name: 'no scheme', value: 'w1=/var/run/docker.sock', message: /\(\/var\/run\/docker\.sock\) has no scheme/, hint: /unix:\/\/\/path\/to\/docker\.sock/ },
    { name: 'a relative socket path', value: 'w1=unix://docker.sock', message: /names no absolute socket path$/, hint: /w1=unix:\/\/\/var\/run\/docker\.sock/ },
    { name: 'tcp without a port', value: 'w1=tcp://10.0.0.12', message: /\(tcp:\/\/10\.0\.0\.12\) is not tcp:\/\/host:port$/, hint: /w1=tcp:\/\/10\.0\.0\.12:2375/ },
    { name: 'tcp with a path', value: 'w1=tcp://10.0.0.12:2375/v1.41', message: /is not tcp:\/\/host:port$/, hint: /nothing after them/ },
    { name: 'tcp with port 0', value: 'w1=tcp://10.0.0.12:0', message: /is not tcp:\/\/host:port$/, hint: /2375/ },
  ] as const;

  it.each(refusals)('refuses $name (INVALID_CONFIG, exit 2)', ({ value, message, hint }) => {
    const error = chaosRefusal(() => parseSwarmEngines(value, {}));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.exitCode).toBe(2);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });

  it('refuses plain tcp while DOCKER_TLS_VERIFY is set: TLS is not built', () => {
    const error = chaosRefusal(() => parseSwarmEngines('w1=tcp://10.0.0.12:2376', { DOCKER_TLS_VERIFY: '1' }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      "CHAOS_SWARM_ENGINES: the engine of w1 (tcp://10.0.0.12:2376) would be asked over TLS (DOCKER_TLS_VERIFY is set), and TLS to a node's engine is not built",
    );
    expect(parseSwarmEngines('w1=unix:///tmp/w1.sock', { DOCKER_TLS_VERIFY: '1' })).toHaveLength(1);
  });
});

describe('connectNodeEngine', () => {
  it('dials the address given, never what DOCKER_HOST or DOCKER_TLS_VERIFY say of this engine', () => {
    const saved = { host: process.env['DOCKER_HOST'], tls: process.env['DOCKER_TLS_VERIFY'] };
    process.env['DOCKER_HOST'] = 'tcp://10.9.9.9:2376';
    process.env['DOCKER_TLS_VERIFY'] = '1';
    try {
      const [unix, tcp] = parseSwarmEngines('w1=unix:///run/w1.sock,w2=tcp://10.0.0.12:2375', {});
      const modemOf = (api: DockerApi): Record<string, unknown> => (api as unknown as { modem: Record<string, unknown> }).modem;
      expect(modemOf(connectNodeEngine(unix!, 3_000))).toMatchObject({ socketPath: '/run/w1.sock', host: undefined, protocol: 'http', timeout: 3_000 });
      expect(modemOf(connectNodeEngine(tcp!))).toMatchObject({ host: '10.0.0.12', port: 2375, protocol: 'http', timeout: undefined });
    } finally {
      for (const [key, value] of [
        ['DOCKER_HOST', saved.host],
        ['DOCKER_TLS_VERIFY', saved.tls],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

const node = (id: string, hostname: string, role: 'manager' | 'worker' = 'worker'): SwarmNodeInfo => ({ id, hostname, role, availability: 'active', state: 'ready', addr: '10.0.0.2' });
const swarm = [node('m1-0123456789ab', 'mgr', 'manager'), node('w1-0123456789ab', 'sc-w1'), node('w2-0123456789ab', 'sc-w2')];

type EngineBehaviour = { nodeId: string; name?: string } | { notInSwarm: true } | 'refused' | 'silent';

/** Fake engines by engine string: what each answers, and how each was made (with or without a request timeout). */
function fakeEngines(behaviour: Record<string, EngineBehaviour>) {
  const made: string[] = [];
  const connect: NodeEngineConnector = (address, requestTimeoutMs) => {
    made.push(`${address.engine}${requestTimeoutMs === undefined ? '' : ` timeout ${requestTimeoutMs}`}`);
    const how = behaviour[address.engine] ?? 'refused';
    const answer = <T>(value: T): Promise<T> =>
      how === 'silent' ? new Promise<T>(() => undefined) : how === 'refused' ? Promise.reject(new Error(`connect ENOENT ${address.engine}`)) : Promise.resolve(value);
    const swarmInfo = typeof how === 'object' && 'nodeId' in how ? { LocalNodeState: 'active', NodeID: how.nodeId } : { LocalNodeState: 'inactive', NodeID: '' };
    const name = typeof how === 'object' && 'name' in how ? how.name : undefined;
    return { ping: () => answer('OK'), info: () => answer({ ...(name === undefined ? {} : { Name: name }), Swarm: swarmInfo }), engine: address.engine } as unknown as DockerApi;
  };
  return { connect, made };
}

const addresses = (value: string): readonly NodeEngineAddress[] => parseSwarmEngines(value, {});

describe('connectNodeEngines: each engine checked against the swarm', () => {
  it('an engine that answers and is its hostname node: kept, by node ID, asked again without a timeout', async () => {
    const fake = fakeEngines({ 'unix:///run/w1.sock': { nodeId: 'w1-0123456789ab' }, 'tcp://10.0.0.3:2375': { nodeId: 'w2-0123456789ab' } });
    const engines = await connectNodeEngines(addresses('sc-w1=unix:///run/w1.sock,sc-w2=tcp://10.0.0.3:2375'), swarm, { connect: fake.connect });
    expect(engines.map((engine) => [engine.node.id, engine.address.hostname])).toEqual([
      ['w1-0123456789ab', 'sc-w1'],
      ['w2-0123456789ab', 'sc-w2'],
    ]);
    expect(fake.made.sort()).toEqual(['tcp://10.0.0.3:2375', 'tcp://10.0.0.3:2375 timeout 4000', 'unix:///run/w1.sock', 'unix:///run/w1.sock timeout 4000']);
    expect([...enginesByNode(engines, 'm1-0123456789ab').keys()]).toEqual(['w1-0123456789ab', 'w2-0123456789ab']);
    expect(describeNodeEngines(engines)).toBe('CHAOS_SWARM_ENGINES: crash, pause, stop and logs reach sc-w1 through unix:///run/w1.sock, sc-w2 through tcp://10.0.0.3:2375');
  });

  it('a hostname that is no node of the swarm: INVALID_CONFIG (exit 2) listing its hostnames, before any engine is asked', async () => {
    const fake = fakeEngines({});
    const error = await rejected(() => connectNodeEngines(addresses('sc-w1=unix:///run/w1.sock,w9=unix:///run/w9.sock,w8=unix:///run/w8.sock'), swarm, { connect: fake.connect }));
    expect(error.exitCode).toBe(2);
    expect(error.describe()).toBe(
      'INVALID_CONFIG: CHAOS_SWARM_ENGINES: w9, w8 are not nodes of the swarm (its nodes: mgr, sc-w1, sc-w2); name each node by its hostname as `docker node ls` shows it, or drop the entry, e.g. CHAOS_SWARM_ENGINES=sc-w1=unix:///tmp/sc-w1.sock',
    );
    expect(fake.made).toEqual([]);
  });

  it('an engine that does not answer within the bound: DOCKER_UNAVAILABLE (exit 3) naming the node and the engine', async () => {
    const fake = fakeEngines({ 'unix:///run/w1.sock': 'silent' });
    const error = await rejected(() => connectNodeEngines(addresses('sc-w1=unix:///run/w1.sock'), swarm, { connect: fake.connect, pingTimeoutMs: 50 }));
    expect(error.code).toBe('DOCKER_UNAVAILABLE');
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^the engine of swarm node sc-w1 \(w1-012345678\) at unix:\/\/\/run\/w1\.sock does not answer within 0\.05 s$/);
    expect(error.hint).toContain('ssh -NL /tmp/w1.sock:/var/run/docker.sock w1');
  });

  it('an engine that refuses the connection: DOCKER_UNAVAILABLE with the reason', async () => {
    const fake = fakeEngines({});
    const error = await rejected(() => connectNodeEngines(addresses('sc-w1=unix:///run/w1.sock'), swarm, { connect: fake.connect }));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('the engine of swarm node sc-w1 (w1-012345678) at unix:///run/w1.sock does not answer a ping (connect ENOENT unix:///run/w1.sock)');
  });

  it("an engine that answers but is another node (its Swarm.NodeID differs): DOCKER_UNAVAILABLE naming what it is", async () => {
    const fake = fakeEngines({ 'unix:///var/run/docker.sock': { nodeId: 'm1-0123456789ab', name: 'mgr' } });
    const error = await rejected(() => connectNodeEngines(addresses('sc-w1=unix:///var/run/docker.sock'), swarm, { connect: fake.connect }));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('the engine at unix:///var/run/docker.sock answers, but it is not swarm node sc-w1 (w1-012345678): it is swarm node m1-012345678 (hostname mgr)');
    expect(error.hint).toContain("`docker info --format '{{.Swarm.NodeID}}'` on it must print the ID `docker node ls` shows for sc-w1");
  });

  it('an engine in no swarm: refused the same way', async () => {
    const fake = fakeEngines({ 'tcp://10.0.0.3:2375': { notInSwarm: true } });
    const error = await rejected(() => connectNodeEngines(addresses('sc-w2=tcp://10.0.0.3:2375'), swarm, { connect: fake.connect }));
    expect(error.message).toBe('the engine at tcp://10.0.0.3:2375 answers, but it is not swarm node sc-w2 (w2-012345678): it is in no swarm (its swarm state: inactive)');
  });

  it('two failures: the first in the order given, the other in its details', async () => {
    const fake = fakeEngines({ 'unix:///run/w1.sock': { nodeId: 'w2-0123456789ab' } });
    const error = await rejected(() => connectNodeEngines(addresses('sc-w1=unix:///run/w1.sock,sc-w2=unix:///run/w2.sock'), swarm, { connect: fake.connect }));
    expect(error.message).toMatch(/^the engine at unix:\/\/\/run\/w1\.sock answers, but it is not swarm node sc-w1/);
    expect(error.details).toEqual(['the engine of swarm node sc-w2 (w2-012345678) at unix:///run/w2.sock does not answer a ping (connect ENOENT unix:///run/w2.sock)']);
  });

  it('two nodes with one hostname: the engine is matched to the one whose ID it reports', async () => {
    const twins = [...swarm, node('w1-bbbbbbbbbbbb', 'sc-w1')];
    const fake = fakeEngines({ 'unix:///run/w1.sock': { nodeId: 'w1-bbbbbbbbbbbb' } });
    const [engine] = await connectNodeEngines(addresses('sc-w1=unix:///run/w1.sock'), twins, { connect: fake.connect });
    expect(engine?.node.id).toBe('w1-bbbbbbbbbbbb');
  });

  it("an entry for this engine's own node is checked, and not used for its tasks", async () => {
    const fake = fakeEngines({ 'unix:///var/run/docker.sock': { nodeId: 'm1-0123456789ab' } });
    const engines = await connectNodeEngines(addresses('mgr=unix:///var/run/docker.sock'), swarm, { connect: fake.connect });
    expect(engines).toHaveLength(1);
    expect(enginesByNode(engines, 'm1-0123456789ab').size).toBe(0);
  });
});

/** An engine's container calls of a service removal: `containers` lists the service's, removals recorded. */
function removalEngine(name: string, containers: string[], options: { silent?: boolean } = {}) {
  const calls: string[] = [];
  const api = {
    getService: (service: string) => ({ remove: async () => void calls.push(`${name}: remove service ${service}`) }),
    listContainers: async () => {
      if (options.silent === true) return new Promise(() => undefined);
      return containers.map((id, i) => ({ Id: id, Created: i }));
    },
    getContainer: (id: string) => ({
      remove: async () => {
        calls.push(`${name}: remove container ${id}`);
        containers.splice(containers.indexOf(id), 1);
      },
    }),
  };
  return { api: api as unknown as DockerApi, calls };
}

describe('removeServiceAndContainers with node engines', () => {
  it("removes the service through this engine, then a straggler on the worker's engine after the grace", async () => {
    const manager = removalEngine('manager', []);
    const worker = removalEngine('worker', ['c-worker']);
    await removeServiceAndContainers(manager.api, 'sc-r-sn-01', { graceMs: 50, timeoutMs: 5_000, nodeEngines: [worker.api] });
    expect(manager.calls).toEqual(['manager: remove service sc-r-sn-01']);
    expect(worker.calls).toEqual(['worker: remove container c-worker']);
  });

  it('a node engine that does not answer is no longer asked: the removal ends with this engine', async () => {
    const manager = removalEngine('manager', []);
    const worker = removalEngine('worker', ['c-worker'], { silent: true });
    const started = Date.now();
    await removeServiceAndContainers(manager.api, 'sc-r-sn-01', { graceMs: 50, timeoutMs: 5_000, nodeEngines: [worker.api], nodeCallTimeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(worker.calls).toEqual([]);
  });
});
