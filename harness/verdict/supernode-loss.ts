import type { EventOf, HistoryEvent } from '../observe/history-types.js';
import { phaseWindow, samplesOf, steadyBaseline } from './history-series.js';
import { isNodeFailureCause } from './node-failures.js';

const DIRECT_CAUSES: ReadonlySet<string> = new Set(['client-bug', 'killed', 'fault']);

export interface SupernodeLoss {
  /** Distinct supernodes lost to the bug or the fault itself. */
  readonly direct: readonly string[];
  /** Distinct supernodes lost for any reason but a clean stop, self-protection included. */
  readonly total: readonly string[];
  readonly atSteadyState: number;
  /** The most supernodes the network ever had (remedies add some), the denominator of the total share. */
  readonly everInNetwork: number;
  /** Direct losses over the supernodes at steady state: the trigger comes before any remedy. */
  readonly directShare: number;
  readonly totalShare: number;
  /** total / direct; null when no supernode was lost directly. */
  readonly amplification: number | null;
}

/**
 * Supernode `down` events of the run, after deployment and before teardown, other than clean stops
 * and node failures (an exit the services have no code for: see node-failures.ts, listed apart, never
 * cascade). A standby peer (a client login has not promoted) that crashes was no supernode yet, and a
 * supernode that exited while the network started (and was started again) was in no network yet:
 * neither is a supernode loss.
 */
export function supernodeLosses(events: readonly HistoryEvent[]): EventOf<'node'>[] {
  const teardown = phaseWindow(events, 'teardown')?.from ?? Number.POSITIVE_INFINITY;
  const deployed = phaseWindow(events, 'deploying')?.to ?? 0;
  const samples = samplesOf(events);
  const wasStandby = (loss: EventOf<'node'>): boolean => {
    const seen = samples.findLast((s) => s.t <= loss.t && s.nodes[loss.node]?.up === true);
    return seen?.nodes[loss.node]?.state === 'standby';
  };
  return events.filter(
    (e): e is EventOf<'node'> =>
      e.type === 'node' && e.role === 'supernode' && e.change === 'down' && e.cause !== 'clean' && !isNodeFailureCause(e.cause) && e.t >= deployed && e.t < teardown && !wasStandby(e),
  );
}

/** Distinct supernodes lost directly and in total. */
export function lostSupernodes(events: readonly HistoryEvent[]): { readonly direct: string[]; readonly total: string[] } {
  const losses = supernodeLosses(events);
  return {
    direct: [...new Set(losses.filter((e) => DIRECT_CAUSES.has(e.cause ?? 'unknown')).map((e) => e.node))],
    total: [...new Set(losses.map((e) => e.node))],
  };
}

/** The most supernodes in the network at any sample before teardown, and never fewer than at steady state. */
export function supernodesEverInNetwork(events: readonly HistoryEvent[], atSteadyState: number): number {
  const teardown = phaseWindow(events, 'teardown')?.from ?? Number.POSITIVE_INFINITY;
  return samplesOf(events)
    .filter((s) => s.t < teardown)
    .reduce((most, s) => Math.max(most, s.totals.supernodesTotal), atSteadyState);
}

export function measureSupernodeLoss(events: readonly HistoryEvent[]): SupernodeLoss {
  const { direct, total } = lostSupernodes(events);
  const atSteadyState = steadyBaseline(events).supernodes;
  if (!(atSteadyState > 0)) throw new Error('no supernode was in the network at steady state');
  const everInNetwork = supernodesEverInNetwork(events, atSteadyState);
  return {
    direct,
    total,
    atSteadyState,
    everInNetwork,
    directShare: direct.length / atSteadyState,
    totalShare: total.length / everInNetwork,
    amplification: direct.length === 0 ? null : total.length / direct.length,
  };
}
