import { randomBytes } from 'node:crypto';
import { ChaosError, errorMessage } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import { imageNamesFrom, type ImageNames } from '../config/images.js';
import { dockerApi, pingDocker } from './docker-engine.js';
import { startDockerPlatform } from './docker-platform.js';
import { findOnPath } from './find-on-path.js';
import { registryFromEnv } from './image-registry.js';
import { startLocalPlatform } from './local-platform.js';
import type { Platform, PlatformKind } from './platform.js';
import { listSwarmNodes, readSwarmMembership } from './swarm-engine.js';
import { requireSwarmManager, type SwarmMembership } from './swarm-membership.js';
import { connectNodeEngines, swarmEnginesFromEnv, type NodeEngine, type NodeEngineAddress, type NodeEngineConnector } from './swarm-node-engines.js';
import { placementFromEnv, placementTargets, type PlacementPolicy, type PlacementTargets, type SwarmNodeInfo } from './swarm-placement.js';
import { startSwarmPlatform } from './swarm-platform.js';

export type PlatformChoice = PlatformKind | 'auto';

export interface CreatePlatformOptions {
  readonly kind: PlatformChoice;
  readonly owner: ResourceOwner;
  readonly runId?: string;
  readonly images?: ImageNames;
}

/** What platform selection asks the machine; injectable for tests. */
export interface PlatformProbes {
  dockerAnswers(): Promise<boolean>;
  toxiproxyServer(): string | undefined;
  /** Asked only for `--platform swarm`; absent, the engine's `GET /info` is asked. */
  swarmMembership?(): Promise<SwarmMembership>;
  /** Asked only for `--platform swarm --place spread` or with CHAOS_SWARM_ENGINES; absent, the engine's `GET /nodes` is asked. */
  swarmNodes?(): Promise<readonly SwarmNodeInfo[]>;
  /** How the engines of CHAOS_SWARM_ENGINES are asked; absent, through dockerode at their addresses. */
  swarmNodeEngine?: NodeEngineConnector;
}

async function engineSwarmMembership(): Promise<SwarmMembership> {
  return readSwarmMembership(await dockerApi());
}

async function engineSwarmNodes(): Promise<readonly SwarmNodeInfo[]> {
  return listSwarmNodes(await dockerApi());
}

export const systemPlatformProbes: PlatformProbes = {
  dockerAnswers: () => pingDocker(1_000),
  toxiproxyServer: () => findOnPath('toxiproxy-server'),
  swarmMembership: engineSwarmMembership,
  swarmNodes: engineSwarmNodes,
};

/** The nodes a swarm run would place its services on under `policy`, asked of the engine (a manager). */
export async function swarmPlacementTargets(policy: PlacementPolicy, probes: PlatformProbes = systemPlatformProbes): Promise<PlacementTargets> {
  const { nodeId } = requireSwarmManager(await (probes.swarmMembership ?? engineSwarmMembership)());
  return placementTargets(await (probes.swarmNodes ?? engineSwarmNodes)(), nodeId, policy);
}

/**
 * The engines of CHAOS_SWARM_ENGINES checked against the swarm (a manager's `GET /nodes`): each hostname a
 * node's (exit 2), each engine answering within 3 s and being that node (exit 3). See swarm-node-engines.ts.
 */
export async function checkSwarmNodeEngines(addresses: readonly NodeEngineAddress[], probes: PlatformProbes = systemPlatformProbes): Promise<readonly NodeEngine[]> {
  if (addresses.length === 0) return [];
  const nodes = await (probes.swarmNodes ?? engineSwarmNodes)();
  return connectNodeEngines(addresses, nodes, probes.swarmNodeEngine === undefined ? {} : { connect: probes.swarmNodeEngine });
}

const dockerUnavailable = (detail: string): ChaosError =>
  new ChaosError('DOCKER_UNAVAILABLE', `no Docker engine answers (${detail})`, {
    hint: 'start dockerd (npm run setup) or use --platform local',
  });

/**
 * `auto`: docker when an engine answers, else local when toxiproxy-server is on PATH, else NO_PLATFORM.
 * `swarm` is only ever chosen by name, and only on an engine that is a swarm manager.
 */
export async function choosePlatformKind(choice: PlatformChoice, probes: PlatformProbes = systemPlatformProbes): Promise<PlatformKind> {
  if (choice === 'local') return 'local';
  const docker = await probes.dockerAnswers();
  if (choice === 'swarm') {
    if (!docker) throw dockerUnavailable(process.env['DOCKER_HOST'] ?? '/var/run/docker.sock');
    requireSwarmManager(await (probes.swarmMembership ?? engineSwarmMembership)());
    return 'swarm';
  }
  if (choice === 'docker') {
    if (!docker) throw dockerUnavailable(process.env['DOCKER_HOST'] ?? '/var/run/docker.sock');
    return 'docker';
  }
  if (docker) return 'docker';
  if (probes.toxiproxyServer() !== undefined) return 'local';
  throw new ChaosError('NO_PLATFORM', 'no Docker engine answers and toxiproxy-server is not on PATH', {
    hint: 'run `npm run setup` (or start dockerd) for the docker platform, or install toxiproxy-server and use --platform local',
  });
}

/** A run id: short, sortable by start time, DNS-safe (lower-case letters and digits, starting with `r`). */
export function newRunId(now: number = Date.now(), random: Buffer = randomBytes(3)): string {
  const time = now.toString(36).padStart(9, '0');
  const suffix = (random.readUIntBE(0, 3) % 36 ** 4).toString(36).padStart(4, '0');
  return `r${time}${suffix}`;
}

/** Starts a platform (network and Toxiproxy up), everything it creates registered with `owner`. */
export async function createPlatform(options: CreatePlatformOptions, probes: PlatformProbes = systemPlatformProbes): Promise<Platform> {
  const kind = await choosePlatformKind(options.kind, probes);
  const runId = options.runId ?? newRunId();
  if (kind === 'local') return startLocalPlatform({ owner: options.owner, runId });
  let api;
  try {
    api = await dockerApi();
  } catch (error) {
    throw dockerUnavailable(errorMessage(error));
  }
  const images = options.images ?? imageNamesFrom();
  if (kind === 'swarm') {
    const { nodeId } = requireSwarmManager(await readSwarmMembership(api));
    return startSwarmPlatform({ owner: options.owner, runId, images, api, nodeId, registry: registryFromEnv(), place: placementFromEnv(), nodeEngines: swarmEnginesFromEnv() });
  }
  return startDockerPlatform({ owner: options.owner, runId, images, api });
}
