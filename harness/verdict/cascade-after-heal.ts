import type { EventOf, HistoryEvent } from '../observe/history-types.js';
import { runStartOf, samplesOf, triggerHealedTime, type SampleEvent } from './history-series.js';
import { supernodeLosses } from './supernode-loss.js';

/**
 * The supernode's calm period (services/supernode/overload-guard.ts): load must stay at or below
 * the threshold this long before an overload episode ends, so shorter dips do not split one.
 */
export const CALM_MS = 1_000;

/** One self-protection exit of a peer supernode and the overload episode it ended. */
export interface SelfProtectionExit {
  readonly node: string;
  readonly exitAt: number;
  /** The first sample of the overload episode (from the node's sampled load); the exit time when no sample saw it overloaded. */
  readonly episodeStartedAt: number;
}

export interface CascadeAfterHeal {
  /** When the trigger (the first injected fault) was healed; undefined when it never was. */
  readonly healedAt: number | undefined;
  /** Some peer supernode shut itself off in an overload episode that began after the heal. */
  readonly continued: boolean;
  /** Per peer supernode, its first exit from an overload episode that began after the heal. */
  readonly selfProtectedAfterHeal: readonly SelfProtectionExit[];
  /** Peer supernodes that exited after the heal, but from an episode that began before it: the trigger's tail, not counted. */
  readonly carriedOverHeal: readonly SelfProtectionExit[];
}

/**
 * The cascade continues after the heal when peer supernodes (not dedicated ones, not those a
 * remedy added) shut themselves off (self-protection, exit code 75) in overload episodes that
 * began after the trigger was healed: overload the trigger started and that merely ended late
 * does not count.
 */
export function measureCascadeAfterHeal(events: readonly HistoryEvent[]): CascadeAfterHeal {
  const healedAt = triggerHealedTime(events);
  if (healedAt === undefined) return { healedAt, continued: false, selfProtectedAfterHeal: [], carriedOverHeal: [] };
  const samples = samplesOf(events);
  const threshold = overloadThreshold(events);
  const isPeer = peerSupernodeTest(events, samples);
  const exits = supernodeLosses(events)
    .filter((e) => e.cause === 'self-protection' && e.t > healedAt && isPeer(e.node, e.t))
    .map((e) => ({ node: e.node, exitAt: e.t, episodeStartedAt: overloadEpisodeStart(samples, e.node, e.t, threshold, previousExitOf(events, e)) }));
  const counted = firstPerNode(exits.filter((e) => e.episodeStartedAt > healedAt));
  const countedNodes = new Set(counted.map((e) => e.node));
  const carried = firstPerNode(exits.filter((e) => e.episodeStartedAt <= healedAt && !countedNodes.has(e.node)));
  return { healedAt, continued: counted.length > 0, selfProtectedAfterHeal: counted, carriedOverHeal: carried };
}

/**
 * Walks back from the exit through the node's samples (after `since`) while its load is above the
 * threshold, tolerating dips at or below it that span less than the calm period; the first sample
 * of that run is the episode start. Samples without a reading of the node (it did not answer) carry
 * no information and are skipped. Without a sample above the threshold, the exit time itself.
 */
export function overloadEpisodeStart(samples: readonly SampleEvent[], node: string, exitAt: number, threshold: number, since = Number.NEGATIVE_INFINITY): number {
  const readings = samples
    .filter((s) => s.t > since && s.t <= exitAt)
    .map((s) => ({ t: s.t, load: s.nodes[node]?.up === true ? s.nodes[node]?.load : undefined }))
    .filter((r): r is { t: number; load: number } => r.load !== undefined);
  let start: number | undefined;
  let calmLatest: number | undefined;
  for (let i = readings.length - 1; i >= 0; i -= 1) {
    const reading = readings[i];
    if (reading === undefined) break;
    if (reading.load > threshold) {
      start = reading.t;
      calmLatest = undefined;
      continue;
    }
    calmLatest ??= reading.t;
    if (calmLatest - reading.t >= CALM_MS) break;
  }
  return start ?? exitAt;
}

/** The architecture's `supernode.overloadThreshold` from run-start; 1 when it is not stated. */
export function overloadThreshold(events: readonly HistoryEvent[]): number {
  const start = runStartOf(events);
  const threshold = start?.definition.architectures[start.architecture]?.topology.supernode.overloadThreshold;
  return typeof threshold === 'number' && Number.isFinite(threshold) ? threshold : 1;
}

/**
 * A peer supernode: not added by a remedy (nor named `mega-*`), and in peer mode by its last
 * sampled mode before the exit, else by the architecture's `supernodeMode`.
 */
function peerSupernodeTest(events: readonly HistoryEvent[], samples: readonly SampleEvent[]): (node: string, at: number) => boolean {
  const added = new Set(events.flatMap((e) => (e.type === 'remedy' ? e.added : [])));
  const start = runStartOf(events);
  const declared = start?.definition.architectures[start.architecture]?.topology.supernodeMode ?? 'peer';
  return (node, at) => {
    if (added.has(node) || node.startsWith('mega-')) return false;
    const sampled = samples.findLast((s) => s.t <= at && s.nodes[node]?.mode !== undefined)?.nodes[node]?.mode;
    return (sampled ?? declared) === 'peer';
  };
}

/** The node's previous exit (any cause), the boundary of the episode that ended in this one. */
function previousExitOf(events: readonly HistoryEvent[], exit: EventOf<'node'>): number {
  const previous = events.findLast((e) => e.type === 'node' && e.node === exit.node && e.change === 'down' && e.t < exit.t);
  return previous?.t ?? Number.NEGATIVE_INFINITY;
}

function firstPerNode(exits: readonly SelfProtectionExit[]): SelfProtectionExit[] {
  const seen = new Set<string>();
  return exits.filter((e) => {
    if (seen.has(e.node)) return false;
    seen.add(e.node);
    return true;
  });
}

/** The counted exits and the ones left out, for the target's detail. */
export function cascadeDetail(cascade: CascadeAfterHeal): string {
  const at = (ms: number): string => `${(ms / 1_000).toFixed(1)}s`;
  const healed = cascade.healedAt === undefined ? 'never healed' : `healed at t=${at(cascade.healedAt)}`;
  const counted = cascade.selfProtectedAfterHeal.map((e) => `${e.node} (overloaded from t=${at(e.episodeStartedAt)}, off at t=${at(e.exitAt)})`);
  const parts = [`trigger ${healed}; ${counted.length} peer supernodes shut themselves off in overload that began after it${counted.length === 0 ? '' : `: ${counted.join(', ')}`}`];
  if (cascade.carriedOverHeal.length > 0) {
    parts.push(`${cascade.carriedOverHeal.length} more exited after it from overload that began before it (not counted): ${cascade.carriedOverHeal.map((e) => e.node).join(', ')}`);
  }
  return parts.join('; ');
}
