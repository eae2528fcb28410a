import type { ClientFleetConfigInput } from '../../services/client-fleet/client-fleet-config.js';
import type { LoginConfigInput } from '../../services/login/login-config.js';
import type { OfflineMessagesConfigInput } from '../../services/offline-messages/offline-messages-config.js';
import type { StartupCacheConfigInput, SupernodeConfigInput } from '../../services/supernode/supernode-config.js';
import type { RealDistribution, TimeScaleConverter } from '../scenario/time-scale.js';
import { toRealDistribution } from '../scenario/time-scale.js';
import type { Architecture, LinkGroup, OfflineMessagesTuning, ScenarioDefinition, SupernodeStartupCache, TopologySpec } from '../scenario/types.js';
import type { AddressBook, NodeConfigBuilder } from './deploy-topology.js';
import type { PlannedNode } from './plan-types.js';
import { NodeNames } from './plan-topology.js';
import { createRandom } from '../engine/random.js';

export const DEFAULT_RAMP_UP_MS = 4_000;

export interface NodeConfigContext {
  readonly scenario: ScenarioDefinition;
  readonly architecture: Architecture;
  readonly scale: TimeScaleConverter;
  readonly seed: number;
}

/** Peers' own users sit above every fleet's range, so lookups and IMs never pick them. */
const PEER_USER_BASE = 1_000_000;
/** How often a peer's own client polls its inbox (a fleet's clients poll at the services' default). */
export const PEER_OFFLINE_POLL_MS = 2_000;
/** Every client (a fleet's or a peer's own) keeps its inbox on this offline-message server: the owner of every user. */
const INBOX_SHARD = 0;

/** Turns a planned node into its service's `CHAOS_NODE_CONFIG`, every address a Toxiproxy listener. */
export function nodeConfigBuilder(context: NodeConfigContext): NodeConfigBuilder {
  const run = context.scenario.architectures[context.architecture];
  if (run === undefined) throw new Error(`no ${context.architecture} in scenario ${context.scenario.name}`);
  const topology = run.topology;
  const secret = `chaos-${context.scenario.name}-${context.seed}`;
  const load = context.scenario.load;
  const allUsers = { first: 0, count: topology.fleets * topology.clientsPerFleet };
  const defects = topology.defects ?? {};

  /** A supernode's start-up cache asks the offline servers over the supernodes' links, shard `i` at offline-(i+1). */
  const startupCache = ({ owner, fanOut, queryTimeoutMs }: SupernodeStartupCache, addresses: AddressBook): StartupCacheConfigInput => ({
    fanOut,
    queryTimeoutMs,
    shardAddresses: Array.from({ length: topology.offlineMessageServers }, (_, shard) => addresses.dial('supernodes', NodeNames.offline(shard))),
    ownerShard: owner === 'user-hash' ? 'user-hash' : INBOX_SHARD,
  });

  const behaviour = (from: LinkGroup, addresses: AddressBook) => ({
    secret,
    loginAddress: addresses.dial(from, NodeNames.login),
    offlineMessagesAddress: addresses.dial(from, NodeNames.offline(INBOX_SHARD)),
    buggyVersion: load.buggyVersion,
    crashProbability: load.crashProbability,
    delayedReplyThresholdMs: load.delayedReplyThresholdMs,
    reconnect: { ...load.reconnect },
    heartbeatIntervalMs: load.heartbeatIntervalMs,
    lookupsPerClientPerMinute: load.lookupsPerClientPerMinute,
    imsPerClientPerMinute: load.imsPerClientPerMinute,
    ...(load.inboxErrors === undefined ? {} : { inboxErrors: { ...load.inboxErrors } }),
    ...(load.inboxPollIntervalMs === undefined ? {} : { offlinePollIntervalMs: load.inboxPollIntervalMs }),
    ...(load.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: load.requestTimeoutMs }),
    contacts: [allUsers],
  });

  return (node, addresses, view) => {
    switch (node.role) {
      case 'login':
        return {
          secret,
          wantedSupernodes: topology.supernodeMode === 'peer' && defects.promotionOff !== true ? topology.supernodes : 0,
          seed: context.seed,
          ...loginHeartbeatTimeout(topology),
          ...(defects.directoryPinsDeadSupernodes === true ? { pinUsersToFirstSupernode: true } : {}),
          ...(topology.login?.directory === undefined ? {} : { directory: { ...topology.login.directory } }),
          ...(topology.login?.allocation === undefined ? {} : { allocation: topology.login.allocation }),
          ...(topology.login?.overloadShutdown === undefined ? {} : { overloadShutdown: { graceMs: topology.login.overloadShutdown.graceMs } }),
          ...(topology.login?.readmission === undefined ? {} : { readmission: { ...topology.login.readmission } }),
        } satisfies LoginConfigInput;
      case 'offline-messages':
        return {
          secret,
          ...storePool(topology.offlineMessages),
          ...(defects.offlineStoreDropsShare === undefined ? {} : { dropShare: defects.offlineStoreDropsShare, seed: context.seed }),
        } satisfies OfflineMessagesConfigInput;
      case 'supernode':
        return {
          ...supernodeConfig(node, addresses, secret, (from) => behaviour(from, addresses), context.seed, load.heartbeatIntervalMs, load.rampUpMs ?? DEFAULT_RAMP_UP_MS, (cache) =>
            startupCache(cache, addresses),
          ),
          ...(node.tuning?.heartbeatDeadline === true ? { heartbeatSlot: heartbeatSlot(node.name, view.planned('supernodes'), topology) } : {}),
        };
      case 'client-fleet': {
        const index = node.fleetIndex ?? 0;
        return {
          ...behaviour('clients', addresses),
          seed: context.seed * 100 + index,
          users: { first: index * topology.clientsPerFleet, count: topology.clientsPerFleet },
          versionMix: { ...load.versionMix },
          restartDelay: fleetRestartDelay(toRealDistribution(load.restartDelay, context.scale)),
          startSpreadMs: load.rampUpMs ?? DEFAULT_RAMP_UP_MS,
          ...(load.startupThrottle === undefined ? {} : { startupThrottle: { ...load.startupThrottle } }),
        } satisfies ClientFleetConfigInput;
      }
      case 'echo':
        return {};
    }
  };
}

function supernodeConfig(
  node: PlannedNode,
  addresses: AddressBook,
  secret: string,
  behaviour: (from: LinkGroup) => Omit<SupernodeConfigInput['client'] & object, 'userId' | 'clientVersion' | 'seed' | 'vulnerable'>,
  seed: number,
  heartbeatMs: number,
  rampUpMs: number,
  startupCache: (cache: SupernodeStartupCache) => StartupCacheConfigInput,
): SupernodeConfigInput {
  const tuning = node.tuning;
  if (tuning === undefined) throw new Error(`supernode ${node.name} has no tuning`);
  // A dedicated box with the `boxesRunClientVersion` defect is planned with a client version: it runs as a serving peer.
  const runsClientCode = node.supernodeKind === 'peer' || node.supernodeKind === 'standby-peer' || node.clientVersion !== undefined;
  const base = {
    secret,
    clientAddress: addresses.dial('clients', node.name),
    overlayAddress: addresses.dial('supernodes', node.name),
    loginAddress: addresses.dial('supernodes', NodeNames.login),
    capacity: { ...tuning.capacity },
    overloadThreshold: tuning.overloadThreshold,
    overloadGraceMs: tuning.overloadGraceMs,
    rejoinDelayMs: tuning.rejoinDelayMs,
    ...(tuning.loadWindowMs === undefined ? {} : { loadWindowMs: tuning.loadWindowMs }),
    ...(tuning.admission === undefined ? {} : { admission: tuning.admission }),
    ...(tuning.admissionWindowMs === undefined ? {} : { admissionWindowMs: tuning.admissionWindowMs }),
    ...(tuning.registrationTimeoutMs === undefined ? {} : { registrationTimeoutMs: tuning.registrationTimeoutMs }),
    ...(tuning.registrationRetryMs === undefined ? {} : { registrationRetryMs: tuning.registrationRetryMs }),
    ...(tuning.registrationDeadlineAtStart === undefined ? {} : { registrationDeadlineAtStart: tuning.registrationDeadlineAtStart }),
    ...(tuning.heartbeatDeadline === undefined ? {} : { heartbeatDeadline: tuning.heartbeatDeadline }),
    ...(tuning.loginLeaseMs === undefined ? {} : { loginLeaseMs: tuning.loginLeaseMs }),
    ...(tuning.startupCache === undefined ? {} : { startupCache: startupCache(tuning.startupCache) }),
    ...(tuning.loginHeartbeatMs === undefined ? {} : { loginHeartbeatMs: tuning.loginHeartbeatMs }),
    // Clients heartbeat on the scenario's schedule: three missed beats (5 s at least) end a session.
    sessionTimeoutMs: Math.max(5_000, heartbeatMs * 3),
  };
  if (!runsClientCode) return { ...base, mode: 'dedicated' };
  const index = Number(node.name.replace(/\D/g, '')) + (node.supernodeKind === 'standby-peer' ? 500 : 0);
  return {
    ...base,
    mode: 'peer',
    standby: node.supernodeKind === 'standby-peer',
    client: {
      ...behaviour('supernodes'),
      // A supernode's own client syncs more often than a desktop client: a vulnerable peer must
      // meet the delayed reply while the trigger lasts, as 25-30% of Skype's supernodes did.
      offlinePollIntervalMs: behaviour('supernodes').offlinePollIntervalMs ?? PEER_OFFLINE_POLL_MS,
      userId: `u${PEER_USER_BASE + index}`,
      clientVersion: node.clientVersion ?? 'unknown',
      ...(node.vulnerable === undefined ? {} : { vulnerable: node.vulnerable }),
      seed: seed * 1_000 + index,
      // Logins spread over the ramp-up, as the fleets' are, instead of all landing on the first supernodes to serve.
      loginDelayMs: Math.floor(createRandom(seed * 1_000 + index).next() * rampUpMs),
    },
  };
}

function fleetRestartDelay(distribution: RealDistribution): ClientFleetConfigInput['restartDelay'] {
  switch (distribution.kind) {
    case 'fixed':
      return { kind: 'fixed', ms: distribution.valueMs };
    case 'uniform':
      return { kind: 'uniform', minMs: distribution.minMs, maxMs: distribution.maxMs };
    case 'exponential':
      return distribution.maxMs === undefined ? { kind: 'exponential', meanMs: distribution.meanMs } : { kind: 'exponential', meanMs: distribution.meanMs, maxMs: distribution.maxMs };
  }
}

/**
 * A supernode's turn for its membership checks: the supernodes the topology states (standby peers
 * included), in plan order, evenly over the heartbeat interval, whenever each one started. A node
 * added later shares a turn.
 */
export function heartbeatSlot(name: string, supernodes: readonly PlannedNode[], spec: TopologySpec): { index: number; of: number } {
  const of = Math.max(1, spec.supernodes + (spec.supernodeMode === 'peer' ? spec.standbyPeers : 0));
  const position = supernodes.findIndex((node) => node.name === name);
  return { index: Math.max(0, position) % of, of };
}

/** A supernode a remedy adds: a hosted box (no client code) with the mega tuning. */
export function planAddedSupernode(spec: TopologySpec, name: string, tuning: 'mega' | 'default'): PlannedNode {
  return {
    name,
    role: 'supernode',
    group: 'supernodes',
    supernodeKind: 'mega',
    tuning: tuning === 'mega' ? (spec.megaSupernode ?? spec.supernode) : spec.supernode,
  };
}

/** The store's query capacity and worker pool as the scenario states them; what it leaves out, the store's defaults. */
function storePool(tuning: OfflineMessagesTuning | undefined): Pick<OfflineMessagesConfigInput, 'queryCapacity' | 'workers' | 'serviceTimeMs' | 'maxQueue'> {
  const { queryCapacity, workers, serviceTimeMs, maxQueue } = tuning ?? {};
  return {
    ...(queryCapacity === undefined ? {} : { queryCapacity }),
    ...(workers === undefined ? {} : { workers }),
    ...(serviceTimeMs === undefined ? {} : { serviceTimeMs }),
    ...(maxQueue === undefined ? {} : { maxQueue }),
  };
}

/** Login's default heartbeat timeout, three of the supernodes' default 1 s heartbeats. */
const LOGIN_HEARTBEAT_TIMEOUT_MS = 3_000;

/**
 * Three of the slowest supernode heartbeat to login, so a slower schedule is not taken for death; set
 * only when that is longer than login's own default.
 */
export function loginHeartbeatTimeout(topology: TopologySpec): { heartbeatTimeoutMs?: number } {
  const tunings = [topology.supernode, topology.megaSupernode];
  const slowest = Math.max(0, ...tunings.map((tuning) => tuning?.loginHeartbeatMs ?? 0));
  return slowest * 3 > LOGIN_HEARTBEAT_TIMEOUT_MS ? { heartbeatTimeoutMs: slowest * 3 } : {};
}
