import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import type { DockerApi } from '../../../harness/platform/docker-engine.js';
import { readSwarmMembership } from '../../../harness/platform/swarm-engine.js';

const run = promisify(execFile);

/**
 * A second Docker engine on this machine, joined to this engine's swarm as a worker, so that placement
 * over two swarm nodes is tested for real on one host. The engine gets what a second machine would
 * have: its own network namespace (a veth pair to this host: 10.213.0.1 here, 10.213.0.2 there), its own
 * hostname (a UTS namespace), data root, exec root (and containerd), socket and cgroup parent. Only the
 * mount namespace is shared: `ip netns exec` would remount /sys and hide the cgroup hierarchies
 * dockerd needs, so the engine is entered with `nsenter --net` instead.
 *
 * Needs root, iproute2, util-linux's nsenter and unshare, and dockerd on PATH. Opt-in
 * (CHAOS_TEST_SWARM_TWO_ENGINES=1): the swarm listens on the veth address and its tasks publish
 * control ports there.
 */
export const twoEngineTestsWanted = process.env['CHAOS_TEST_SWARM_TWO_ENGINES'] === '1';

export const SECOND_ENGINE = {
  namespace: 'sc-w1',
  hostLink: 'sc-w1-host',
  engineLink: 'sc-w1-ns',
  hostAddress: '10.213.0.1',
  engineAddress: '10.213.0.2',
  prefix: 24,
  hostname: 'sc-w1',
  socket: '/run/sc-w1-docker.sock',
  pidFile: '/run/sc-w1-docker.pid',
  /** Its own daemon.json: dockerd refuses a directive given both as a flag and in the config file it reads (by default this engine's). */
  configFile: '/run/sc-w1-docker.json',
  logFile: '/run/sc-w1-docker.log',
  execRoot: '/run/sc-w1-docker',
  dataRoot: '/var/lib/sc-w1-docker',
  bridge: '172.31.250.1/24',
  readyTimeoutMs: 30_000,
} as const;

export interface TwoEngineSwarm {
  /** The worker engine's API (its own socket). */
  readonly worker: DockerApi;
  /** The worker's swarm node id. */
  readonly workerNodeId: string;
  /** Takes the worker out of the swarm, stops its engine and removes its namespace, link and data; leaves the swarm this made. */
  dispose(): Promise<void>;
}

async function sh(command: string, args: readonly string[]): Promise<string> {
  return (await run(command, [...args], { maxBuffer: 4 * 1024 * 1024 })).stdout;
}

/** What stops a second engine here, in words; undefined when it can be made. */
export async function secondEngineProblem(api: DockerApi): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'it needs root (a network namespace, a veth pair, a dockerd)';
  for (const tool of ['ip', 'nsenter', 'unshare', 'dockerd']) {
    if ((await sh('sh', ['-c', `command -v ${tool}`]).catch(() => '')) === '') return `${tool} is not on PATH`;
  }
  if ((await readSwarmMembership(api)).inSwarm) return 'this engine is in a swarm already: the test makes its own, advertised on the veth address the worker reaches (docker swarm leave --force first)';
  if (existsSync(`/var/run/netns/${SECOND_ENGINE.namespace}`)) return `a network namespace ${SECOND_ENGINE.namespace} exists (a run of this test that was killed): ip netns delete ${SECOND_ENGINE.namespace}`;
  return undefined;
}

async function makeNamespace(): Promise<void> {
  const e = SECOND_ENGINE;
  await sh('ip', ['netns', 'add', e.namespace]);
  await sh('ip', ['link', 'add', e.hostLink, 'type', 'veth', 'peer', 'name', e.engineLink]);
  await sh('ip', ['link', 'set', e.engineLink, 'netns', e.namespace]);
  await sh('ip', ['addr', 'add', `${e.hostAddress}/${e.prefix}`, 'dev', e.hostLink]);
  await sh('ip', ['link', 'set', e.hostLink, 'up']);
  const inside = (args: readonly string[]): Promise<string> => sh('ip', ['-n', e.namespace, ...args]);
  await inside(['addr', 'add', `${e.engineAddress}/${e.prefix}`, 'dev', e.engineLink]);
  await inside(['link', 'set', e.engineLink, 'up']);
  await inside(['link', 'set', 'lo', 'up']);
  await inside(['route', 'add', 'default', 'via', e.hostAddress]);
}

async function startEngine(insecureRegistries: readonly string[]): Promise<void> {
  const e = SECOND_ENGINE;
  await writeFile(e.configFile, JSON.stringify({ 'insecure-registries': insecureRegistries }));
  const dockerd = [
    'dockerd',
    `--data-root=${e.dataRoot}`,
    `--exec-root=${e.execRoot}`,
    `--host=unix://${e.socket}`,
    `--pidfile=${e.pidFile}`,
    `--bip=${e.bridge}`,
    `--cgroup-parent=/${e.namespace}-docker`,
    `--config-file=${e.configFile}`,
  ];
  const script = `hostname ${e.hostname} && exec ${dockerd.join(' ')}`;
  const log = openSync(e.logFile, 'w');
  try {
    const child = spawn('nsenter', [`--net=/var/run/netns/${e.namespace}`, 'unshare', '--uts', 'sh', '-c', script], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
  } finally {
    closeSync(log);
  }
}

async function waitForEngine(worker: DockerApi): Promise<void> {
  const deadline = Date.now() + SECOND_ENGINE.readyTimeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await worker.ping();
      return;
    } catch (error) {
      last = error;
      await delay(250);
    }
  }
  const tail = (await readFile(SECOND_ENGINE.logFile, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-5).join('\n');
  throw new Error(`the second engine did not answer on ${SECOND_ENGINE.socket} within ${SECOND_ENGINE.readyTimeoutMs} ms: ${String(last)}; its log ends:\n${tail}`);
}

async function stopEngine(): Promise<void> {
  const pid = Number((await readFile(SECOND_ENGINE.pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < 20_000; waited += 250) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await delay(250);
  }
  process.kill(pid, 'SIGKILL');
}

async function removeNamespace(): Promise<void> {
  const e = SECOND_ENGINE;
  await sh('ip', ['link', 'delete', e.hostLink]).catch(() => undefined);
  await sh('ip', ['netns', 'delete', e.namespace]).catch(() => undefined);
  await rm(e.dataRoot, { recursive: true, force: true, maxRetries: 3 });
  await rm(e.execRoot, { recursive: true, force: true });
  await rm(e.configFile, { force: true });
  await rm(e.logFile, { force: true });
}

/**
 * Takes the second engine out of the swarm, stops it, removes its namespace, link and data, and (when
 * asked) leaves the swarm on this engine too. Each step goes on whatever the one before it met.
 */
export async function removeSecondEngine(manager: DockerApi, options: { readonly leaveSwarm: boolean; readonly removeGatewayBridge: boolean }): Promise<void> {
  const worker = new Dockerode({ socketPath: SECOND_ENGINE.socket }) as unknown as DockerApi;
  const workerInfo = (await worker.info().catch(() => undefined)) as { Swarm?: { NodeID?: string } } | undefined;
  await worker.swarmLeave({ force: true }).catch(() => undefined);
  await stopEngine();
  await removeNamespace();
  const nodeId = workerInfo?.Swarm?.NodeID;
  if (nodeId !== undefined && nodeId !== '') await manager.getNode(nodeId).remove({ force: true }).catch(() => undefined);
  if (options.leaveSwarm) await manager.swarmLeave({ force: true }).catch(() => undefined);
  if (options.removeGatewayBridge) await manager.getNetwork('docker_gwbridge').remove().catch(() => undefined);
}

/**
 * This engine as a swarm manager advertised on the veth address, and the second engine joined to it as
 * a worker. `insecureRegistries` go to the worker's engine (the manager's own list is its daemon.json's).
 */
export async function twoEngineSwarm(manager: DockerApi, insecureRegistries: readonly string[]): Promise<TwoEngineSwarm> {
  const e = SECOND_ENGINE;
  const worker = new Dockerode({ socketPath: e.socket }) as unknown as DockerApi;
  const hadGatewayBridge = (await manager.listNetworks({ filters: { name: ['docker_gwbridge'] } })).some((n) => n.Name === 'docker_gwbridge');
  let swarmMade = false;
  const dispose = (): Promise<void> => removeSecondEngine(manager, { leaveSwarm: swarmMade, removeGatewayBridge: swarmMade && !hadGatewayBridge });
  try {
    await makeNamespace();
    await startEngine(insecureRegistries);
    await waitForEngine(worker);
    await manager.swarmInit({ ListenAddr: `${e.hostAddress}:2377`, AdvertiseAddr: e.hostAddress });
    swarmMade = true;
    const swarm = (await manager.swarmInspect()) as { JoinTokens: { Worker: string } };
    await worker.swarmJoin({ ListenAddr: `${e.engineAddress}:2377`, AdvertiseAddr: e.engineAddress, RemoteAddrs: [`${e.hostAddress}:2377`], JoinToken: swarm.JoinTokens.Worker });
    const workerNodeId = ((await worker.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
    await waitForReadyNode(manager, workerNodeId);
    return { worker, workerNodeId, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function waitForReadyNode(manager: DockerApi, nodeId: string): Promise<void> {
  for (let waited = 0; waited < SECOND_ENGINE.readyTimeoutMs; waited += 500) {
    const node = (await manager.getNode(nodeId).inspect()) as { Status?: { State?: string } };
    if (node.Status?.State === 'ready') return;
    await delay(500);
  }
  throw new Error(`the worker node ${nodeId} was not ready within ${SECOND_ENGINE.readyTimeoutMs} ms`);
}
