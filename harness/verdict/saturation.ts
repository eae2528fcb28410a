import type { HistoryEvent, NodeObservation, RunPhase } from '../observe/history-types.js';
import { phaseWindow, runStartOf, everySampleOf, type SampleEvent } from './history-series.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../services/client-fleet/client-settings.js';
import type { HarnessSaturation } from './verdict-types.js';

/**
 * When the harness itself fell short, the run says nothing about the system under test.
 * Bounds, and why:
 * - more than 10% of the attempts a fleet's schedules promised not made: every schedule that
 *   offers load (retries, heartbeats, lookups, IMs, offline polls) counts an attempt L late on
 *   its (mean) interval I as 1 + L / I scheduled and 1 made (it came every I + L), so the share
 *   not made is how far the offered rate fell below the scenario's, measured directly. 10% below
 *   is enough to move a supernode that the arithmetic puts at 2x capacity toward its threshold
 *   and one at 0.5x away from it;
 * - a fleet's event-loop delay p99 above a tenth of the client's request timeout (500 ms of the
 *   default 5 s, which fleets run with), or no status in time, in more than 10% of the timeline's
 *   samples: after a block, timers run before I/O, so a loop that late can time out replies
 *   that came in time, and the run would judge the system by the harness's lateness. This
 *   bounds the fleet's responsiveness; its offered load is the rule above;
 * - a fleet's event-loop delay p99 at 1 s or more even once: it stalled, and sent that second's
 *   requests late and together; a burst the scenario does not state can trip a supernode's
 *   self-protection (seen on a host busy with compilers: 2.4 s, then 10 peers off in the ramp);
 * - more than 10% of the sampler's ticks late by a whole period: the observer no longer
 *   resolves the run at its stated tick.
 */
export const SaturationBounds = {
  attemptsNotMadeShare: 0.1,
  /** Share of the client's request timeout a fleet's event-loop delay p99 may reach. */
  fleetLagShareOfRequestTimeout: 0.1,
  laggingSampleShare: 0.1,
  lateTickShare: 0.1,
  /** Below this many scheduled attempts the shortfall share is noise. */
  minScheduledAttempts: 100,
  /**
   * Seconds of event-loop delay (p99 over a second) at which a fleet stalled: its clients' requests of
   * that second went out late and together, a burst the scenario does not state. A fifth of the 5 s
   * window supernodes measure their load over; runs on a quiet or a stress-ng host stay under 0.9 s.
   */
  fleetStallSeconds: 1,
} as const;

interface FleetDelivery {
  readonly name: string;
  readonly scheduled: number;
  readonly made: number;
  readonly laggingShare: number;
  readonly lagP99Max: number;
}

/** Whether the harness delivered its load during the phase judged: the timeline, or the steady state for a run that never reached it. */
export function measureSaturation(events: readonly HistoryEvent[], phase: RunPhase = 'timeline'): HarnessSaturation {
  const window = phaseWindow(events, phase);
  if (window === undefined) return { saturated: false, reasons: [], figures: { attemptsNotMadeShare: null, fleetLagP99MaxSeconds: null, lateTickShare: null } };
  const samples = everySampleOf(events).filter((s) => s.t >= window.from && s.t <= window.to);
  const lagBound = fleetLagBoundSeconds();
  const fleets = fleetDeliveries(samples, lagBound);
  const reasons: string[] = [];
  let worstShortfall: number | null = null;
  for (const fleet of fleets) {
    if (fleet.scheduled >= SaturationBounds.minScheduledAttempts) {
      const shortfall = 1 - fleet.made / fleet.scheduled;
      worstShortfall = Math.max(worstShortfall ?? 0, shortfall);
      if (shortfall > SaturationBounds.attemptsNotMadeShare) {
        reasons.push(`${fleet.name}: ${pct(shortfall)} of ${Math.round(fleet.scheduled)} scheduled attempts not made (bound ${pct(SaturationBounds.attemptsNotMadeShare)})`);
      }
    }
    if (fleet.lagP99Max >= SaturationBounds.fleetStallSeconds) {
      reasons.push(
        `${fleet.name}: stalled, event-loop delay p99 reached ${fleet.lagP99Max.toFixed(1)} s (bound ${SaturationBounds.fleetStallSeconds} s): its clients' requests went out late and in a burst`,
      );
    }
    if (fleet.laggingShare > SaturationBounds.laggingSampleShare) {
      reasons.push(
        `${fleet.name}: event-loop delay p99 above ${Math.round(lagBound * 1_000)} ms (a tenth of the ${DEFAULT_REQUEST_TIMEOUT_MS} ms request timeout) or no status in time in ${pct(fleet.laggingShare)} of the ${phase}'s samples (bound ${pct(SaturationBounds.laggingSampleShare)})`,
      );
    }
  }
  const sampleEveryMs = runStartOf(events)?.definition.sampleEveryMs ?? 500;
  // A tick is late when it started a whole period after it was due, or came a whole period after the
  // one before (the sampler skips the ticks it missed, so a slow tick shows as a gap).
  const timed = samples.some((s) => s.lagMs !== undefined);
  const late = samples.filter((s, i) => (s.lagMs ?? 0) >= sampleEveryMs || (i > 0 && s.t - samples[i - 1]!.t >= 2 * sampleEveryMs)).length;
  const lateTickShare = !timed || samples.length === 0 ? null : late / samples.length;
  if (lateTickShare !== null && lateTickShare > SaturationBounds.lateTickShare) {
    reasons.push(`sampler: ${pct(lateTickShare)} of ticks late by a whole ${sampleEveryMs} ms period (bound ${pct(SaturationBounds.lateTickShare)})`);
  }
  const lagValues = fleets.map((f) => f.lagP99Max);
  return {
    saturated: reasons.length > 0,
    reasons,
    figures: {
      attemptsNotMadeShare: worstShortfall === null ? null : round(worstShortfall),
      fleetLagP99MaxSeconds: lagValues.length === 0 ? null : round(Math.max(...lagValues)),
      lateTickShare: lateTickShare === null ? null : round(lateTickShare),
    },
  };
}

/** The event-loop delay p99 a fleet may reach, in seconds: a tenth of its clients' request timeout. */
export function fleetLagBoundSeconds(requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): number {
  return (requestTimeoutMs / 1_000) * SaturationBounds.fleetLagShareOfRequestTimeout;
}

function fleetDeliveries(samples: readonly SampleEvent[], lagBound: number): FleetDelivery[] {
  const names = new Set(samples.flatMap((s) => Object.entries(s.nodes).filter(([, n]) => n.role === 'client-fleet').map(([name]) => name)));
  return [...names].map((name) => {
    const seen = samples.map((s) => s.nodes[name]).filter((n) => n?.up === true);
    const withAttempts = seen.filter((n) => n?.attemptsScheduled !== undefined && n.attemptsMade !== undefined);
    // Counters start over when a fleet restarts: add up the increments, a drop starting a new count.
    const grown = (read: (n: NodeObservation) => number): number =>
      withAttempts.reduce((sum, n, i) => {
        const previous = withAttempts[i - 1];
        if (n === undefined || previous === undefined) return sum;
        const now = read(n);
        const before = read(previous);
        return sum + (now >= before ? now - before : now);
      }, 0);
    const lags = seen.map((n) => n?.eventLoopLagP99Seconds).filter((v): v is number => v !== undefined);
    // A fleet too busy to answer its status in time lagged on that tick too.
    const lagging = samples.length - seen.length + lags.filter((v) => v > lagBound).length;
    return {
      name,
      scheduled: grown((n) => n.attemptsScheduled ?? 0),
      made: grown((n) => n.attemptsMade ?? 0),
      laggingShare: samples.length === 0 ? 0 : lagging / samples.length,
      lagP99Max: lags.length === 0 ? 0 : Math.max(...lags),
    };
  });
}

const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;
const round = (value: number): number => Math.round(value * 1_000) / 1_000;
