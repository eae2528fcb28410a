import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerApi } from '../../harness/platform/docker-engine.js';
import { findComposeClis, type ComposeCli } from '../../harness/provision/compose/compose-cli.js';
import { connectDocker } from '../../harness/provision/docker-client.js';
import { runCommand, type CommandResult } from '../../harness/provision/exec.js';
import { projectRoot } from '../../harness/provision/paths.js';

/*
 * docker-compose.yml, the manual game day, brought up with every Compose this machine has (Debian's
 * docker-compose 1.29 from `npm run setup`, and the `docker compose` plugin where it exists), each
 * under a project name of its own and with every host port left to the engine, so nothing clashes
 * with another run or a game day in progress. Links are broken with Toxiproxy's own HTTP API.
 */

const composeFile = join(projectRoot, 'docker-compose.yml');
const nodes = ['login', 'offline-messages', 'sn-1', 'sn-2', 'sn-3', 'fleet-1'] as const;
const supernodes = ['sn-1', 'sn-2', 'sn-3'] as const;
const servers = ['login', 'offline-messages', ...supernodes];
const portVariables = ['TOXIPROXY', 'LOGIN', 'OFFLINE', 'SN1', 'SN2', 'SN3', 'FLEET'].map((name) => `CHAOS_GAME_DAY_${name}_PORT`);
const projectLabel = 'com.docker.compose.project';

interface Status {
  readonly name: string;
  readonly state?: string;
  readonly counters: Record<string, number>;
  readonly gauges: Record<string, number>;
}

interface Proxy {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly unknown[];
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : ` (last: ${String(last)})`}`);
    await sleep(500);
  }
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

/** Every `...Address` value anywhere in a node's config. */
function addressesIn(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key.endsWith('Address') && typeof inner === 'string' ? [inner] : addressesIn(inner)));
}

function explain(result: CommandResult): string {
  return `exit ${String(result.code)}\n${result.stdout}\n${result.stderr}`;
}

async function leftovers(api: DockerApi, project: string): Promise<string[]> {
  const filters = { label: [`${projectLabel}=${project}`] };
  const [containers, networks, volumes] = await Promise.all([api.listContainers({ all: true, filters }), api.listNetworks({ filters }), api.listVolumes({ filters })]);
  return [
    ...containers.map((c) => `container ${c.Names.join(',')}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...(volumes.Volumes ?? []).map((v) => `volume ${v.Name}`),
  ];
}

const clis = await findComposeClis();

if (clis.length === 0) {
  describe('docker-compose.yml', () => {
    it('needs Docker Compose', () => {
      throw new Error('neither docker-compose nor the docker compose plugin is installed: run `npm run setup` (installs Debian\'s docker-compose as root)');
    });
  });
}

describe.each(clis.map((cli, index) => ({ cli, index, name: `${cli.label} ${cli.version ?? ''}`.trim() })))('docker-compose.yml with $name', ({ cli, index }: { cli: ComposeCli; index: number }) => {
  const project = `chaos-compose-${process.pid}-${index}`;
  const env = { ...process.env, ...Object.fromEntries(portVariables.map((name) => [name, '0'])) };
  const compose = (...args: string[]): Promise<CommandResult> =>
    runCommand(cli.command, [...cli.prefix, '-f', composeFile, '-p', project, ...args], { cwd: projectRoot, env, timeoutMs: 120_000 });
  let api: DockerApi;
  let down = false;
  const ports = new Map<string, number>();
  const statusOf = (node: string): Promise<Status> => getJson<Status>(`http://127.0.0.1:${ports.get(node) ?? 0}/status`);
  const toxiproxy = (): string => `http://127.0.0.1:${ports.get('toxiproxy') ?? 0}`;
  const proxies = async (): Promise<Proxy[]> => Object.values(await getJson<Record<string, Proxy>>(`${toxiproxy()}/proxies`));

  beforeAll(async () => {
    api = (await connectDocker()).api;
    const up = await compose('up', '-d');
    expect(up.code, explain(up)).toBe(0);
    const containers = await api.listContainers({ filters: { label: [`${projectLabel}=${project}`] } });
    for (const container of containers) {
      const service = container.Labels['com.docker.compose.service'] ?? '?';
      expect(container.Ports.map((p) => `${p.IP ?? ''}:${p.PrivatePort}`), `${service} publishes its control port on 127.0.0.1 only`).toEqual([`127.0.0.1:${service === 'toxiproxy' ? 8474 : 7100}`]);
      ports.set(service, container.Ports[0]?.PublicPort ?? 0);
    }
  }, 150_000);

  afterAll(async () => {
    if (!down) await compose('down', '-v', '--remove-orphans');
  }, 120_000);

  it('brings every node up healthy on one network of its own', async () => {
    const containers = await until('every node healthy', async () => {
      const listed = await api.listContainers({ all: true, filters: { label: [`${projectLabel}=${project}`] } });
      const exited = listed.filter((c) => c.State !== 'running');
      if (exited.length > 0) throw new Error(`not running: ${exited.map((c) => `${c.Names.join(',')} ${c.Status}`).join('; ')}`);
      const healthy = listed.filter((c) => c.Status.includes('(healthy)'));
      return healthy.length === nodes.length ? listed : undefined;
    });
    expect(containers.map((c) => c.Labels['com.docker.compose.service']).sort()).toEqual(['toxiproxy', ...nodes].sort());
    const networks = new Set(containers.flatMap((c) => Object.keys(c.NetworkSettings.Networks)));
    expect([...networks]).toEqual([`${project}_game-day`]);
    for (const node of nodes) expect((await fetch(`http://127.0.0.1:${ports.get(node) ?? 0}/healthz`)).status, node).toBe(200);
  });

  it('sends every link through Toxiproxy', async () => {
    const links = await until('the proxies of the config file', async () => {
      const listed = await proxies();
      return listed.length > 0 ? listed : undefined;
    });
    expect(links.every((proxy) => proxy.enabled && proxy.toxics.length === 0)).toBe(true);
    expect(new Set(links.map((proxy) => proxy.upstream.replace(/:7000$/, '')))).toEqual(new Set(servers));
    const listenPorts = new Set(links.map((proxy) => proxy.listen.replace(/^.*:/, '')));
    for (const node of nodes) {
      const [container] = await api.listContainers({ filters: { label: [`${projectLabel}=${project}`, `com.docker.compose.service=${node}`] } });
      const config = (await api.getContainer(container?.Id ?? '').inspect()).Config.Env.find((entry) => entry.startsWith('CHAOS_NODE_CONFIG='));
      for (const address of addressesIn(JSON.parse(config?.slice('CHAOS_NODE_CONFIG='.length) ?? '{}'))) {
        const [host, port] = address.split(':');
        expect(host, `${node} dials ${address}`).toBe('toxiproxy');
        expect(listenPorts.has(port ?? ''), `${node} dials ${address}, a proxy's listener`).toBe(true);
      }
    }
  });

  it('gets the clients online through the supernodes', async () => {
    const fleet = await until('the clients online', async () => {
      const status = await statusOf('fleet-1');
      const total = status.gauges['clientsTotal'] ?? 0;
      return total > 0 && (status.gauges['clientsOnline'] ?? 0) >= 0.95 * total ? status : undefined;
    });
    expect(fleet.gauges['clientsTotal']).toBe(250);
    expect((await statusOf('login')).gauges['liveSupernodes']).toBe(3);
    for (const supernode of supernodes) {
      const status = await until(`${supernode} serving clients`, async () => {
        const read = await statusOf(supernode);
        return read.state === 'serving' && (read.gauges['sessions'] ?? 0) > 0 ? read : undefined;
      });
      expect(status.state).toBe('serving');
    }
  });

  it("moves the clients off a supernode whose client link Toxiproxy's own API takes down", async () => {
    const lostBefore = (await statusOf('fleet-1')).counters['sessionsLost'] ?? 0;
    const heldBySn1 = (await statusOf('sn-1')).gauges['sessions'] ?? 0;
    expect(heldBySn1).toBeGreaterThan(0);
    const response = await fetch(`${toxiproxy()}/proxies/clients-sn-1`, { method: 'POST', body: JSON.stringify({ enabled: false }) });
    expect(response.status).toBe(200);
    expect((await proxies()).find((proxy) => proxy.name === 'clients-sn-1')?.enabled).toBe(false);

    await until('sn-1 without sessions', async () => ((await statusOf('sn-1')).gauges['sessions'] === 0 ? true : undefined));
    const fleet = await until('the clients back online on sn-2 and sn-3', async () => {
      const status = await statusOf('fleet-1');
      return (status.gauges['clientsOnline'] ?? 0) >= 0.95 * (status.gauges['clientsTotal'] ?? 1) ? status : undefined;
    });
    expect((fleet.counters['sessionsLost'] ?? 0) - lostBefore).toBeGreaterThan(0);
    for (const node of ['sn-2', 'sn-3']) expect((await statusOf(node)).gauges['sessions'], node).toBeGreaterThan(0);
  });

  it('comes down with down -v --remove-orphans, leaving no container, network or volume of the project', async () => {
    const result = await compose('down', '-v', '--remove-orphans');
    down = true;
    expect(result.code, explain(result)).toBe(0);
    expect(await leftovers(api, project)).toEqual([]);
    await expect(fetch(`${toxiproxy()}/proxies`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  });
});
