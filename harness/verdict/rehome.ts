import type { ClusterTotals, HistoryEvent } from '../observe/history-types.js';
import { samplesOf, stepStartOf, type SampleEvent } from './history-series.js';

/** A crashed box's clients count as re-homed when at most this share of them (or this many) are still without a supernode. */
export const REHOME_LEFT_SHARE = 0.1;
export const REHOME_LEFT_MIN = 2;
const BASELINE_SAMPLES = 5;

export interface BoxRehome {
  readonly box: string;
  /** Real ms (run clock) the crash began. */
  readonly crashedAt: number;
  /** Sessions the box held at its last sample before the crash. */
  readonly sessions: number;
  /** Real ms from the crash until its clients were back online elsewhere; null when they never were; undefined when no sample saw the box down. */
  readonly rehomeMs: number | null | undefined;
}

export interface Rehome {
  readonly boxes: readonly BoxRehome[];
  /** The slowest box's re-home time; null when one never re-homed, was never seen down, or no box was crashed. */
  readonly slowestMs: number | null;
  /** Whether the sampler saw every crashed box down (else its clients' re-home cannot be timed). */
  readonly everyBoxSeenDown: boolean;
}

/**
 * Clients that lost their supernode and have not found another: counted by the fleets where they
 * report it (a client restarting after a crash is not one), else estimated as the running clients
 * that are not online.
 */
function withoutSupernode(totals: ClusterTotals): number {
  if (totals.clientsRehoming !== undefined) return totals.clientsRehoming;
  const crashed = totals.clientsCrashed ?? totals.clientCrashes - totals.clientRestarts;
  return Math.max(0, totals.clientsTotal - crashed - totals.clientsOnline);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function rehomeOf(samples: readonly SampleEvent[], box: string, crashedAt: number, until: number): BoxRehome {
  const before = samples.filter((sample) => sample.t < crashedAt);
  const sessions = before.at(-1)?.nodes[box]?.sessions ?? 0;
  const baseline = median(before.slice(-BASELINE_SAMPLES).map((sample) => withoutSupernode(sample.totals)));
  const allowed = baseline + Math.max(REHOME_LEFT_MIN, REHOME_LEFT_SHARE * sessions);
  const after = samples.filter((sample) => sample.t > crashedAt && sample.t < until);
  // Until the sampler sees the box down its clients may not have noticed the crash yet.
  const seenDown = after.findIndex((sample) => sample.nodes[box]?.up === false);
  if (seenDown < 0) return { box, crashedAt, sessions, rehomeMs: undefined };
  const back = after.slice(seenDown).find((sample) => withoutSupernode(sample.totals) <= allowed);
  return { box, crashedAt, sessions, rehomeMs: back === undefined ? null : back.t - crashedAt };
}

/**
 * For each supernode the timeline crashes: the time until its clients that did not crash themselves
 * are online again, counted from the cluster's clients that run and have no supernode, against
 * their level just before the crash, from the first sample that sees the box down. Measured up to
 * the box's return (or the end of the samples), so a box that comes back does not count as its
 * clients having re-homed.
 */
export function measureRehome(events: readonly HistoryEvent[]): Rehome {
  const samples = samplesOf(events);
  const end = samples.at(-1)?.t ?? 0;
  const boxes: BoxRehome[] = [];
  for (const event of events) {
    if (event.type !== 'fault' || event.kind !== 'crash' || event.action !== 'inject') continue;
    const crashedAt = stepStartOf(event);
    for (const box of event.targets) {
      const returned = events.find((later) => later.type === 'node' && later.node === box && later.change === 'restarted' && later.t > crashedAt);
      boxes.push(rehomeOf(samples, box, crashedAt, returned?.t ?? end));
    }
  }
  const times = boxes.map((box) => box.rehomeMs);
  const seen = times.every((time) => time !== undefined);
  const slowestMs = times.length === 0 || !seen || times.includes(null) ? null : Math.max(...(times as number[]));
  return { boxes, slowestMs, everyBoxSeenDown: seen };
}
