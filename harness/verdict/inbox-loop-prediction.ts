import { DEFAULT_OFFLINE_POLL_MS } from '../../services/client-fleet/client-settings.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import { PEER_OFFLINE_POLL_MS } from '../topology/node-configs.js';

/**
 * The arithmetic of an offline-message store with a query capacity, applied to a scenario before it
 * runs (services/offline-messages/query-capacity.ts, services/client-fleet/inbox-resync.ts). Every
 * client, a fleet's and a peer's own, polls its inbox on the one store that holds it.
 */
export interface InboxLoopPrediction {
  /** Inbox queries the store answers a second. */
  readonly capacity: number;
  /** Queries a second at steady state: fleet clients / their poll + peers' own clients / theirs. */
  readonly steadyQueriesPerSecond: number;
  /** capacity / steady queries: above 1 the store keeps up at steady state. */
  readonly headroom: number;
  /** Present when an error answer makes clients re-read their inbox in full. */
  readonly loop?: ResyncLoopPrediction;
}

/**
 * A mean-field model of the re-sync loop. With a share a of the offered queries answered, a valid client
 * turns invalid when its one query is refused (1 - a) and an invalid one valid when its burst of k is
 * answered (about a), so the valid share settles at a and the store is offered n (a + k (1 - a)) of
 * which it answers its capacity C: (k - 1) n a^2 - k n a + C = 0. A root below 1 is a loop that holds
 * itself up; the larger root is the edge past which a disturbance feeds it instead of draining.
 */
export interface ResyncLoopPrediction {
  readonly resyncQueries: number;
  /** Whether the store has a stable loop beside its healthy state. */
  readonly holds: boolean;
  /** The share of clients with a valid inbox (online) in the loop; absent when it does not hold. */
  readonly onlineInLoop?: number;
  /** Queries a second the store is offered in the loop. */
  readonly offeredInLoop?: number;
  /** The share of clients re-syncing at once past which the loop feeds itself. */
  readonly tippingShare?: number;
  /** The smallest re-sync (queries) at which the loop holds with this store and load: 2 C (1 + sqrt(1 - n / C)) / n. */
  readonly tippingResyncQueries: number;
}

export function predictInboxLoop(definition: ScenarioDefinition, architecture: Architecture): InboxLoopPrediction | undefined {
  const topology = definition.architectures[architecture]?.topology;
  const capacity = topology?.offlineMessages?.queryCapacity;
  if (topology === undefined || capacity === undefined) return undefined;
  const fleetClients = topology.fleets * topology.clientsPerFleet;
  const peers = topology.supernodeMode === 'peer' ? topology.supernodes + topology.standbyPeers : 0;
  const polled = definition.load.inboxPollIntervalMs;
  const perPoll = (pollMs: number): number => (pollMs === 0 ? 0 : 1_000 / pollMs);
  const steadyQueriesPerSecond = fleetClients * perPoll(polled ?? DEFAULT_OFFLINE_POLL_MS) + peers * perPoll(polled ?? PEER_OFFLINE_POLL_MS);
  const inboxErrors = definition.load.inboxErrors;
  return {
    capacity,
    steadyQueriesPerSecond,
    headroom: capacity / steadyQueriesPerSecond,
    ...(inboxErrors?.policy === 'full-resync' ? { loop: resyncLoop(capacity, steadyQueriesPerSecond, inboxErrors.resyncQueries) } : {}),
  };
}

function resyncLoop(capacity: number, n: number, k: number): ResyncLoopPrediction {
  const tippingResyncQueries = n >= capacity ? 1 : (2 * capacity * (1 + Math.sqrt(1 - n / capacity))) / n;
  const discriminant = k * k * n * n - 4 * (k - 1) * n * capacity;
  if (k <= 1 || discriminant < 0 || n >= capacity) return { resyncQueries: k, holds: false, tippingResyncQueries };
  const low = (k * n - Math.sqrt(discriminant)) / (2 * (k - 1) * n);
  const high = (k * n + Math.sqrt(discriminant)) / (2 * (k - 1) * n);
  return {
    resyncQueries: k,
    holds: true,
    onlineInLoop: low,
    offeredInLoop: n * (low + k * (1 - low)),
    tippingShare: 1 - Math.min(1, high),
    tippingResyncQueries,
  };
}
