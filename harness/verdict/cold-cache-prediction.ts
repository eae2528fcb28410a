import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../services/client-fleet/client-settings.js';
import { DEFAULT_STORE_SERVICE_TIME_MS, DEFAULT_STORE_WORKERS } from '../../services/offline-messages/offline-messages-config.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import { DEFAULT_RAMP_UP_MS } from '../topology/node-configs.js';
import { lostByTimeline } from './load-prediction.js';

/**
 * The arithmetic of supernodes with a start-up cache in front of the offline stores, applied to a
 * scenario before it runs (services/supernode/startup-cache.ts). A registration the cache misses asks
 * every store (`all-shards`) or one (`owner-shard`) and fails when any is later than the timeout; a store
 * serves its queue in order, whether or not the asker still waits. The clients the timeline's crashes
 * displace each try the next supernode of their host cache on their retry schedule; an attempt at a live
 * one is a miss (it has never seen them), an attempt at one that is gone costs the client's request
 * timeout and asks no store. So, while the host caches still name the crashed share f, the storm offers
 * each store displaced x (1 - f) / spacing misses a second (the mean time between one client's
 * attempts), times the share of the stores one miss asks. Over 1 the queue grows without end, every
 * answer is late, nothing is cached: the storm never drains. Once the clients log in again for fresh
 * host caches, every attempt is a miss and the storm is stronger still.
 */
export interface ColdCachePrediction {
  readonly fanOut: 'all-shards' | 'owner-shard';
  readonly stores: number;
  /** Queries a store serves a second: workers x 1000 / serviceTimeMs. */
  readonly storeCapacity: number;
  /** The caches held their users before the run (`prewarmed`): the ramp's logins ask no store. */
  readonly prewarmed: boolean;
  /** Queries a second on each store while the fleets log in (every login a miss unless prewarmed), over its capacity. */
  readonly rampLoad: number;
  /** The same on the store that also answers each login's inbox read. */
  readonly rampLoadOnInboxStore: number;
  /**
   * Clients failing at once (each back every attempt cycle) that the ramp's spare on its busiest store
   * carries: a burst larger than this (logins piled up behind a supernode still joining, a stalled
   * store) tips the ramp itself into the storm.
   */
  readonly rampCarriesFailingClients: number;
  /** Clients whose supernode the timeline crashes. */
  readonly displacedClients: number;
  /** Real ms a miss waits for the stores. */
  readonly queryTimeoutMs: number;
  /** Real ms between one client's attempts at live supernodes: a naive client's interval (counted from each attempt's start) or the wait, whichever is longer; a backed-off one's first retry after the wait. */
  readonly attemptCycleMs: number;
  /** Real ms between a displaced client's attempts on average, those at supernodes that are gone costing the request timeout. */
  readonly attemptSpacingMs: number;
  /** Registrations a second the displaced clients make, a start-up throttle's limit applied. */
  readonly stormMissesPerSecond: number;
  /** Queries a second the storm offers each store, over its capacity: above 1 it never drains. */
  readonly stormLoad: number;
  /** The fewest displaced clients whose misses outgrow a store, at this fan-out. */
  readonly tippingDisplacedClients: number;
}

export function predictColdCache(definition: ScenarioDefinition, architecture: Architecture): ColdCachePrediction | undefined {
  const topology = definition.architectures[architecture]?.topology;
  const cache = topology?.supernode.startupCache;
  if (topology === undefined || cache === undefined) return undefined;
  const load = definition.load;
  const stores = topology.offlineMessageServers;
  const workers = topology.offlineMessages?.workers ?? DEFAULT_STORE_WORKERS;
  const serviceTimeMs = topology.offlineMessages?.serviceTimeMs ?? DEFAULT_STORE_SERVICE_TIME_MS;
  const storeCapacity = serviceTimeMs === 0 ? Number.POSITIVE_INFINITY : (workers * 1_000) / serviceTimeMs;
  const shareAsked = cache.fanOut === 'all-shards' ? 1 : 1 / stores;
  const peers = topology.supernodeMode === 'peer' ? topology.supernodes + topology.standbyPeers : 0;
  const fleetClients = topology.fleets * topology.clientsPerFleet;
  const rampSeconds = (load.rampUpMs ?? DEFAULT_RAMP_UP_MS) / 1_000;
  const loginsPerSecond = (fleetClients + peers) / rampSeconds;
  const prewarmed = cache.prewarmed === true;
  const rampQueries = prewarmed ? 0 : loginsPerSecond * shareAsked;
  const rampOnInboxStore = rampQueries + loginsPerSecond;
  const crashedShare = Math.min(1, lostByTimeline(definition.timeline, architecture, topology.supernodes, topology.supernodeMode === 'peer') / topology.supernodes);
  const displacedClients = fleetClients * crashedShare;
  const attemptAfter = (attemptMs: number): number =>
    load.reconnect.policy === 'naive' ? Math.max(load.reconnect.intervalMs, attemptMs) : attemptMs + load.reconnect.baseMs;
  const attemptCycleMs = attemptAfter(cache.queryTimeoutMs);
  const attemptSpacingMs = (1 - crashedShare) * attemptCycleMs + crashedShare * attemptAfter(load.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const missesPerAttempt = 1 - crashedShare;
  const throttleLimit = load.startupThrottle === undefined ? Number.POSITIVE_INFINITY : load.startupThrottle.perSecond * topology.fleets;
  const rampCarriesFailingClients = Math.max(0, storeCapacity - rampOnInboxStore) * (attemptCycleMs / 1_000) / shareAsked;
  const stormMissesPerSecond = Math.min(throttleLimit, (displacedClients * missesPerAttempt * 1_000) / attemptSpacingMs);
  return {
    fanOut: cache.fanOut,
    stores,
    storeCapacity,
    prewarmed,
    rampLoad: rampQueries / storeCapacity,
    rampLoadOnInboxStore: rampOnInboxStore / storeCapacity,
    rampCarriesFailingClients,
    displacedClients,
    queryTimeoutMs: cache.queryTimeoutMs,
    attemptCycleMs,
    attemptSpacingMs,
    stormMissesPerSecond,
    stormLoad: (stormMissesPerSecond * shareAsked) / storeCapacity,
    tippingDisplacedClients: (storeCapacity * attemptSpacingMs) / 1_000 / shareAsked / Math.max(1e-9, missesPerAttempt),
  };
}
