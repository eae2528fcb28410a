import { createTimeScale } from '../scenario/time-scale.js';
import type { Architecture, ScenarioDefinition, TimelineStep } from '../scenario/types.js';

/**
 * The cascade arithmetic of the design notes, applied to a scenario before it runs: the offered
 * request rate on each surviving supernode at the peak of the storm, against its capacity.
 * A cascade is predicted when R/(1-f) > 1+a, that is when `peakLoad` > 1.
 *
 * - A client online sends heartbeats, lookups and IMs (and acks the IMs it receives); every lookup (and IM to a user elsewhere)
 *   floods the other supernodes once (overlay lookups), which is supernode-to-supernode upkeep,
 *   not offered load: a supernode's load is what clients offer it.
 * - The storm: clients whose supernode was lost (share f of the supernodes) and clients that
 *   crashed and restart, all retrying at the reconnect policy's densest rate until admitted: a
 *   naive client every interval; a backed-off one makes its first retry within `baseMs` (full
 *   jitter), so the whole displaced population's first wave comes at one attempt per `baseMs`
 *   each, and later waves are sparser. One attempt offers two requests (the connection and its
 *   register frame).
 * - The busiest survivor: each displaced client lands on a survivor drawn from its shuffled host
 *   cache, so a survivor's share is Binomial(displaced, 1/survivors); the busiest of them, in 19
 *   networks in 20, takes at most `busiest.displaced` of them.
 * - f: p2p, the chance that a peer runs a vulnerable buggy client (its version mix times the
 *   crash probability), plus the supernodes the timeline crashes and the peers its reboot waves restart;
 *   dedicated, the supernodes the timeline crashes.
 * - Supernodes the timeline cuts off from their clients (a partition) are not lost, but their clients
 *   are displaced onto the rest as if they were.
 * - A start-up throttle caps the storm: each fleet lets `perSecond` registrations through a second.
 * - Clients a reboot wave restarts come back spread over its window, one attempt each: their share of
 *   the clients over the window's real seconds, two requests an attempt, on top of the storm.
 */
export interface LoadPrediction {
  readonly clients: number;
  readonly supernodes: number;
  readonly directLossShare: number;
  readonly survivors: number;
  readonly crashedClientShare: number;
  /** Requests a retrying client offers per second. */
  readonly attemptRequestsPerSecond: number;
  readonly steadyRequestsPerSupernode: number;
  readonly peakRequestsPerSurvivor: number;
  readonly capacityRequestsPerSecond: number;
  /** Peak offered rate over capacity on a survivor: > 1 predicts a cascade. */
  readonly peakLoad: number;
  /** The same as the design's R: storm demand over steady demand, network-wide. */
  readonly demandSurge: number;
  /**
   * p2p only: the same arithmetic at an unlucky draw, the 5th percentile of the seeded direct loss
   * (each peer is vulnerable on its own, so the loss is Binomial(supernodes, directLossShare)):
   * 19 draws in 20 lose at least `lostSupernodes`.
   */
  readonly lowDraw?: { readonly lostSupernodes: number; readonly peakLoad: number };
  /**
   * The busiest survivor at the expected draw: the displaced clients it takes in 19 networks in 20
   * (the 95th percentile of the largest share), and its peak offered rate over capacity.
   */
  readonly busiest: { readonly displaced: number; readonly peakLoad: number };
}

/** The quantile of the direct-loss draw that `lowDraw` is computed at. */
export const lowDrawQuantile = 0.05;

const requestsPerAttempt = 2;

export function predictOfferedLoad(definition: ScenarioDefinition, architecture: Architecture): LoadPrediction | undefined {
  const run = definition.architectures[architecture];
  if (run === undefined) return undefined;
  const { topology } = run;
  const load = definition.load;
  const peers = topology.supernodeMode === 'peer';
  const supernodes = topology.supernodes;
  // Peer supernodes run a client of their own, which needs a session too.
  const clients = topology.fleets * topology.clientsPerFleet + (peers ? supernodes + topology.standbyPeers : 0);
  // An IM is two frames to supernodes: the sender's send-im and the recipient's im-ack.
  const contactRatePerClient = (load.lookupsPerClientPerMinute + 2 * load.imsPerClientPerMinute) / 60;
  const clientRate = 1_000 / load.heartbeatIntervalMs + contactRatePerClient;
  const steadyTotal = clients * clientRate;

  const buggyShare = (mix: Readonly<Record<string, number>>): number => {
    const total = Object.values(mix).reduce((sum, weight) => sum + weight, 0);
    return total > 0 ? (mix[load.buggyVersion] ?? 0) / total : 0;
  };
  const bugLossShare = peers ? buggyShare(topology.peerVersionMix ?? load.versionMix) * load.crashProbability : 0;
  const timelineLost = Math.min(supernodes, lostByTimeline(definition.timeline, architecture, supernodes, peers));
  const directLossShare = Math.min(1, bugLossShare + timelineLost / supernodes);
  // Supernodes whose client links are cut are not lost, but their clients are displaced onto the rest.
  const unreachableShare = Math.min(1 - directLossShare, cutFromClients(definition.timeline, architecture, supernodes) / supernodes);
  const crashedClientShare = buggyShare(load.versionMix) * load.crashProbability;
  const rebootArrivals = rebootedClientArrivalsPerSecond(definition, architecture) * (topology.fleets * topology.clientsPerFleet) * requestsPerAttempt;
  const attemptRequestsPerSecond = requestsPerAttempt * (1_000 / densestRetryPeriodMs(load.reconnect));
  // A fleet's start-up throttle lets at most so many registrations through a second, however many wait.
  const throttledRequestsPerSecond = load.startupThrottle === undefined ? Infinity : load.startupThrottle.perSecond * topology.fleets * requestsPerAttempt;

  const capacity = topology.supernode.capacity.requestsPerSecond;
  const placedRate = clients * (1 - crashedClientShare) * clientRate;
  const stormOn = (lossShare: number) => {
    const survivors = Math.max(1, supernodes * (1 - lossShare - unreachableShare));
    const displaced = clients * Math.min(1, lossShare + unreachableShare + crashedClientShare);
    const total = placedRate + Math.min(displaced * attemptRequestsPerSecond, throttledRequestsPerSecond) + rebootArrivals;
    return { survivors, displaced, total, peakLoad: total / survivors / capacity };
  };
  const { survivors, displaced, total: stormTotal } = stormOn(directLossShare);
  const survivorCount = Math.max(1, Math.round(survivors));
  const busiestDisplaced = largestShareQuantile(Math.round(displaced), survivorCount, busiestQuantile);
  // Under a throttle the busiest survivor takes its share of the throttled stream.
  const busiestStorm = Math.min(busiestDisplaced * attemptRequestsPerSecond, (throttledRequestsPerSecond * busiestDisplaced) / Math.max(1, displaced));
  const busiestLoad = (placedRate / survivors + busiestStorm + rebootArrivals / survivors) / capacity;
  const lostAtLowDraw = bugLossShare > 0 ? Math.min(supernodes, timelineLost + binomialQuantile(supernodes, bugLossShare, lowDrawQuantile)) : undefined;
  return {
    clients,
    supernodes,
    directLossShare,
    survivors,
    crashedClientShare,
    attemptRequestsPerSecond,
    steadyRequestsPerSupernode: steadyTotal / supernodes,
    peakRequestsPerSurvivor: stormTotal / survivors,
    capacityRequestsPerSecond: capacity,
    peakLoad: stormTotal / survivors / capacity,
    demandSurge: stormTotal / steadyTotal,
    ...(lostAtLowDraw === undefined ? {} : { lowDraw: { lostSupernodes: lostAtLowDraw, peakLoad: stormOn(lostAtLowDraw / supernodes).peakLoad } }),
    busiest: { displaced: busiestDisplaced, peakLoad: busiestLoad },
  };
}

/** The quantile of the busiest survivor's share that `busiest` is computed at. */
export const busiestQuantile = 0.95;

/**
 * The smallest k such that, with n clients each landing on one of m survivors at random, no survivor
 * takes more than k with probability at least q (the shares taken as independent: P(X <= k)^m >= q
 * for X ~ Binomial(n, 1/m), a close and slightly cautious bound for the multinomial).
 */
export function largestShareQuantile(n: number, m: number, q: number): number {
  if (n <= 0) return 0;
  if (m <= 1) return n;
  const p = 1 / m;
  let cumulative = 0;
  let probability = (1 - p) ** n;
  for (let k = 0; k <= n; k += 1) {
    cumulative += probability;
    if (cumulative ** m >= q - 1e-12) return k;
    probability *= ((n - k) / (k + 1)) * (p / (1 - p));
  }
  return n;
}

/** The smallest k with P(X <= k) >= q for X ~ Binomial(n, p). */
export function binomialQuantile(n: number, p: number, q: number): number {
  let cumulative = 0;
  let probability = (1 - p) ** n;
  for (let k = 0; k <= n; k += 1) {
    cumulative += probability;
    if (cumulative >= q - 1e-12) return k;
    probability *= ((n - k) / (k + 1)) * (p / (1 - p));
  }
  return n;
}

/**
 * The densest retry rate a displaced population offers: a naive client retries every interval; a
 * backed-off one makes its first retry uniformly within `baseMs` (its later ones spread over 2, 4, ...
 * times that), so at the storm's start each offers one attempt per `baseMs`.
 */
function densestRetryPeriodMs(reconnect: ScenarioDefinition['load']['reconnect']): number {
  return reconnect.policy === 'naive' ? reconnect.intervalMs : reconnect.baseMs;
}

function stepsFor(timeline: readonly TimelineStep[], architecture: Architecture): TimelineStep[] {
  return timeline.filter((step) => step.only === undefined || step.only.includes(architecture));
}

/** Supernodes the timeline takes down: those it crashes, and the peers a reboot wave restarts (a dedicated box never reboots). */
export function lostByTimeline(timeline: readonly TimelineStep[], architecture: Architecture, supernodes: number, peers: boolean): number {
  return stepsFor(timeline, architecture).reduce((sum, step) => {
    const action = step.action;
    if (action.do === 'reboot-wave') return sum + (peers && action.target.of !== 'clients' ? Math.round(action.target.share * supernodes) : 0);
    if (action.do !== 'crash' || action.target.nodes.group !== 'supernodes') return sum;
    const { count, fraction } = action.target.nodes;
    return sum + (count ?? Math.round((fraction ?? 1) * supernodes));
  }, 0);
}

/** Supernodes the timeline cuts off from their clients (a partition of the links from clients, or from anything, into them). */
function cutFromClients(timeline: readonly TimelineStep[], architecture: Architecture, supernodes: number): number {
  return stepsFor(timeline, architecture).reduce((sum, step) => {
    const action = step.action;
    if (action.do !== 'cut' || action.target.links.from === 'supernodes' || action.target.links.from === 'harness') return sum;
    const { group, count, fraction } = action.target.links.to;
    if (group !== 'supernodes') return sum;
    return sum + (count ?? Math.round((fraction ?? 1) * supernodes));
  }, 0);
}

/**
 * The share of the fleets' clients that reboot waves bring back per real second: each wave's clients
 * come back spread over its window, each with one attempt (its login and registration).
 */
function rebootedClientArrivalsPerSecond(definition: ScenarioDefinition, architecture: Architecture): number {
  const scale = createTimeScale(definition.timeScale);
  return stepsFor(definition.timeline, architecture).reduce((sum, step) => {
    const action = step.action;
    if (action.do !== 'reboot-wave' || action.target.of === 'peers') return sum;
    return sum + action.target.share / Math.max(1, scale.toRealMs(action.over) / 1_000);
  }, 0);
}
