import Dockerode from 'dockerode';
import { boundedCall, reportsNoAnswer } from '../network/bounded-call.js';
import { ChaosError, errorMessage } from '../errors.js';
import type { DockerApi } from './docker-engine.js';
import type { SwarmNodeInfo } from './swarm-placement.js';

/**
 * CHAOS_SWARM_ENGINES: the Docker engines of other swarm nodes, by hostname, so that crash, pause,
 * graceful stop and logs reach a task placed on one of them (see docs/platforms.md, where a run's work
 * is placed). `HOSTNAME=ENGINE[,HOSTNAME=ENGINE...]`, ENGINE `unix:///path/to/docker.sock` or
 * `tcp://host:port` (plain TCP: TLS is not built).
 */
export const SWARM_ENGINES_ENV = 'CHAOS_SWARM_ENGINES';

/** How long a node's engine has to answer the ping (and then `GET /info`) before a run is refused. */
export const NODE_ENGINE_PING_MS = 3_000;

export type NodeEngineEndpoint = { readonly socketPath: string } | { readonly host: string; readonly port: number };

/** One entry of CHAOS_SWARM_ENGINES. */
export interface NodeEngineAddress {
  /** The swarm node's hostname, as `docker node ls` shows it. */
  readonly hostname: string;
  /** The engine as given (`unix:///run/w1.sock`, `tcp://10.0.0.12:2375`). */
  readonly engine: string;
  readonly endpoint: NodeEngineEndpoint;
}

/** A swarm node's engine, checked to be that node's. */
export interface NodeEngine {
  readonly node: SwarmNodeInfo;
  readonly address: NodeEngineAddress;
  readonly api: DockerApi;
}

/** Makes an engine API for an address; with `requestTimeoutMs`, every request of it gives up after that long. Injectable for tests. */
export type NodeEngineConnector = (address: NodeEngineAddress, requestTimeoutMs?: number) => DockerApi;

const example = `${SWARM_ENGINES_ENV}=w1=unix:///tmp/w1.sock,w2=tcp://10.0.0.12:2375`;
const sshExample = 'ssh -NL /tmp/w1.sock:/var/run/docker.sock w1';
const hostnamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$/;

function invalid(source: string, problem: string, hint: string): ChaosError {
  return new ChaosError('INVALID_CONFIG', `${source}: ${problem}`, { hint });
}

/** Where an engine listens; INVALID_CONFIG when it is no address the harness can use. */
function engineEndpoint(engine: string, source: string, hostname: string, env: NodeJS.ProcessEnv): NodeEngineEndpoint {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(engine)?.[1]?.toLowerCase();
  const tlsNotBuilt = (why: string): ChaosError =>
    invalid(
      source,
      `the engine of ${hostname} (${engine}) ${why}, and TLS to a node's engine is not built`,
      `give the engine as a unix socket, e.g. one forwarded over SSH (${sshExample}, then ${hostname}=unix:///tmp/w1.sock), or as plain tcp:// with DOCKER_TLS_VERIFY unset`,
    );
  if (scheme === 'unix') {
    const path = engine.slice('unix://'.length);
    if (!path.startsWith('/') || path.length < 2) {
      throw invalid(source, `the engine of ${hostname} (${engine}) names no absolute socket path`, `give unix:// and the socket's absolute path, e.g. ${hostname}=unix:///var/run/docker.sock`);
    }
    return { socketPath: path };
  }
  if (scheme === 'tcp') {
    if ((env['DOCKER_TLS_VERIFY'] ?? '') !== '') throw tlsNotBuilt('would be asked over TLS (DOCKER_TLS_VERIFY is set)');
    const match = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]]+):(\d{1,5})\/?$/.exec(engine.slice('tcp://'.length));
    const port = Number(match?.[2] ?? Number.NaN);
    if (match === null || port < 1 || port > 65_535) {
      throw invalid(source, `the engine of ${hostname} (${engine}) is not tcp://host:port`, `give the engine's address and port, and nothing after them, e.g. ${hostname}=tcp://10.0.0.12:2375`);
    }
    return { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port };
  }
  if (scheme === 'https') throw tlsNotBuilt('is an HTTPS address');
  const what = scheme === undefined ? 'has no scheme' : `has the scheme ${scheme}://${scheme === 'ssh' ? ' (SSH to a node is not built)' : ''}`;
  throw invalid(source, `the engine of ${hostname} (${engine}) ${what}: only unix:// and tcp:// are understood`, `give unix:///path/to/docker.sock (for a remote node, forwarded over SSH: ${sshExample}) or tcp://host:port, e.g. ${example}`);
}

/**
 * CHAOS_SWARM_ENGINES parsed: comma-separated `HOSTNAME=ENGINE` entries. A malformed entry, a hostname
 * named twice, an engine neither `unix://` nor plain `tcp://` (an `https://`, or a `tcp://` with
 * DOCKER_TLS_VERIFY set: TLS is not built) is refused (INVALID_CONFIG, exit 2).
 */
export function parseSwarmEngines(value: string, env: NodeJS.ProcessEnv = process.env, source = SWARM_ENGINES_ENV): readonly NodeEngineAddress[] {
  const entries = value.split(',').map((entry) => entry.trim());
  const parsed: NodeEngineAddress[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry === '') {
      throw invalid(source, `entry ${index + 1} of ${entries.length} is empty`, `give comma-separated HOSTNAME=ENGINE entries with nothing between two commas, e.g. ${example}`);
    }
    const at = entry.indexOf('=');
    const hostname = at < 0 ? '' : entry.slice(0, at).trim();
    const engine = at < 0 ? '' : entry.slice(at + 1).trim();
    if (at < 0 || hostname === '' || engine === '') {
      throw invalid(source, `"${entry}" is not HOSTNAME=ENGINE`, `name each swarm node by its hostname (as \`docker node ls\` shows it) and its engine, e.g. ${example}`);
    }
    if (!hostnamePattern.test(hostname)) {
      throw invalid(source, `"${hostname}" is not a hostname`, `name the node by its hostname as \`docker node ls\` shows it (letters, digits, ".", "_", "-"), e.g. ${example}`);
    }
    if (parsed.some((known) => known.hostname === hostname)) {
      throw invalid(source, `${hostname} is named twice`, `give each swarm node one engine: drop one of the ${hostname}=... entries`);
    }
    parsed.push({ hostname, engine, endpoint: engineEndpoint(engine, source, hostname, env) });
  }
  return parsed;
}

/** CHAOS_SWARM_ENGINES, parsed; none when unset or empty. Read for `--platform swarm` only (other platforms ignore it). */
export function swarmEnginesFromEnv(env: NodeJS.ProcessEnv = process.env): readonly NodeEngineAddress[] {
  const value = env[SWARM_ENGINES_ENV];
  return value === undefined || value.trim() === '' ? [] : parseSwarmEngines(value, env);
}

/**
 * A Dockerode for the address alone: what DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH say of the
 * harness's own engine (docker-modem reads them as defaults) is overridden, so a node's socket is never
 * taken for this engine's host.
 */
export const connectNodeEngine: NodeEngineConnector = (address, requestTimeoutMs) => {
  const endpoint = address.endpoint;
  const options: Dockerode.DockerOptions = {
    ...('socketPath' in endpoint ? { socketPath: endpoint.socketPath, host: undefined, port: undefined } : { socketPath: undefined, host: endpoint.host, port: endpoint.port }),
    protocol: 'http',
    ca: undefined,
    cert: undefined,
    key: undefined,
    username: undefined,
    timeout: requestTimeoutMs,
  };
  return new Dockerode(options) as unknown as DockerApi;
};

/** `swarm node sc-w1` and, when another node has the same hostname, its id. */
function nodeLabel(address: NodeEngineAddress, candidates: readonly SwarmNodeInfo[]): string {
  const [only] = candidates;
  return candidates.length === 1 && only !== undefined ? `swarm node ${address.hostname} (${only.id.slice(0, 12)})` : `swarm node ${address.hostname}`;
}

/** Every hostname given is a node of the swarm; INVALID_CONFIG (exit 2) listing the swarm's hostnames otherwise. */
export function requireSwarmHostnames(addresses: readonly NodeEngineAddress[], nodes: readonly SwarmNodeInfo[]): void {
  const unknown = addresses.filter((address) => !nodes.some((node) => node.hostname === address.hostname)).map((address) => address.hostname);
  if (unknown.length === 0) return;
  const hostnames = [...new Set(nodes.map((node) => node.hostname))].sort();
  const sample = nodes.find((node) => node.role === 'worker')?.hostname ?? hostnames[0] ?? 'w1';
  const which = unknown.length === 1 ? `${unknown[0] ?? ''} is not a node` : `${unknown.join(', ')} are not nodes`;
  throw new ChaosError('INVALID_CONFIG', `${SWARM_ENGINES_ENV}: ${which} of the swarm (its nodes: ${hostnames.join(', ')})`, {
    hint: `name each node by its hostname as \`docker node ls\` shows it, or drop the entry, e.g. ${SWARM_ENGINES_ENV}=${sample}=unix:///tmp/${sample}.sock`,
  });
}

/** The engine answers within `pingTimeoutMs`, and is the swarm node of its hostname; DOCKER_UNAVAILABLE (exit 3) otherwise. */
async function checkNodeEngine(address: NodeEngineAddress, nodes: readonly SwarmNodeInfo[], connect: NodeEngineConnector, pingTimeoutMs: number): Promise<NodeEngine> {
  const candidates = nodes.filter((node) => node.hostname === address.hostname);
  const label = nodeLabel(address, candidates);
  // The requests' own timeout, a little later than the bound, only ends a request the bound gave up on.
  const probe = connect(address, pingTimeoutMs + 1_000);
  const seconds = `${pingTimeoutMs / 1_000} s`;
  let info: { Name?: string; Swarm?: { NodeID?: string; LocalNodeState?: string } };
  try {
    await boundedCall(`ping of ${address.engine}`, () => probe.ping(), { timeoutMs: pingTimeoutMs, tries: 1 });
    info = (await boundedCall(`GET /info of ${address.engine}`, () => probe.info(), { timeoutMs: pingTimeoutMs, tries: 1 })) as typeof info;
  } catch (error) {
    const said = errorMessage(error);
    const why = reportsNoAnswer(said) ? `does not answer within ${seconds}` : `does not answer a ping (${said})`;
    throw new ChaosError('DOCKER_UNAVAILABLE', `the engine of ${label} at ${address.engine} ${why}`, {
      hint: `start that node's dockerd, or fix its address in ${SWARM_ENGINES_ENV} (a remote node's socket forwarded over SSH: ${sshExample}), or unset ${SWARM_ENGINES_ENV}`,
      cause: error,
    });
  }
  const nodeId = info.Swarm?.NodeID ?? '';
  const node = candidates.find((candidate) => candidate.id === nodeId);
  if (node === undefined) {
    const it = nodeId === '' ? `in no swarm (its swarm state: ${info.Swarm?.LocalNodeState ?? 'unknown'})` : `swarm node ${nodeId.slice(0, 12)}${info.Name === undefined ? '' : ` (hostname ${info.Name})`}`;
    throw new ChaosError('DOCKER_UNAVAILABLE', `the engine at ${address.engine} answers, but it is not ${label}: it is ${it}`, {
      hint: `give ${address.hostname} the engine of that node in ${SWARM_ENGINES_ENV} (\`docker info --format '{{.Swarm.NodeID}}'\` on it must print the ID \`docker node ls\` shows for ${address.hostname})`,
    });
  }
  return { node, address, api: connect(address) };
}

export interface NodeEngineCheckOptions {
  readonly connect?: NodeEngineConnector;
  readonly pingTimeoutMs?: number;
}

/**
 * The engines of CHAOS_SWARM_ENGINES, each checked against the swarm's nodes: its hostname a node's
 * (INVALID_CONFIG, exit 2, listing the swarm's hostnames), its engine answering a ping within 3 s and
 * being that node (`GET /info`'s Swarm.NodeID its ID; DOCKER_UNAVAILABLE, exit 3, naming node and engine).
 * All are asked side by side; the first failing entry, in the order given, is thrown, the others in its details.
 */
export async function connectNodeEngines(addresses: readonly NodeEngineAddress[], nodes: readonly SwarmNodeInfo[], options: NodeEngineCheckOptions = {}): Promise<readonly NodeEngine[]> {
  requireSwarmHostnames(addresses, nodes);
  const connect = options.connect ?? connectNodeEngine;
  const pingTimeoutMs = options.pingTimeoutMs ?? NODE_ENGINE_PING_MS;
  const settled = await Promise.allSettled(addresses.map((address) => checkNodeEngine(address, nodes, connect, pingTimeoutMs)));
  const failed = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  const [first, ...others] = failed;
  if (first !== undefined) {
    if (!(first instanceof ChaosError) || others.length === 0) throw first;
    throw new ChaosError(first.code, first.message, { hint: first.hint, details: others.map(errorMessage), cause: first });
  }
  return settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
}

/** The engines by node ID, for the nodes other than `localNodeId` (this engine's node needs none). */
export function enginesByNode(engines: readonly NodeEngine[], localNodeId: string): ReadonlyMap<string, DockerApi> {
  return new Map(engines.filter((engine) => engine.node.id !== localNodeId).map((engine) => [engine.node.id, engine.api]));
}

/** One line for stderr: which nodes the harness reaches directly. */
export function describeNodeEngines(engines: readonly NodeEngine[]): string {
  return `${SWARM_ENGINES_ENV}: crash, pause, stop and logs reach ${engines.map((engine) => `${engine.address.hostname} through ${engine.address.engine}`).join(', ')}`;
}
