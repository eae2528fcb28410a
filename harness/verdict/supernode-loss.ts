import type { EventOf, HistoryEvent } from '../observe/history-types.js';
import { phaseWindow, steadyBaseline } from './history-series.js';

const DIRECT_CAUSES: ReadonlySet<string> = new Set(['client-bug', 'killed', 'fault']);

export interface SupernodeLoss {
  /** Distinct supernodes lost to the bug or the fault itself. */
  readonly direct: readonly string[];
  /** Distinct supernodes lost for any reason but a clean stop, self-protection included. */
  readonly total: readonly string[];
  readonly atSteadyState: number;
  readonly directShare: number;
  readonly totalShare: number;
  /** total / direct; null when no supernode was lost directly. */
  readonly amplification: number | null;
}

/** Supernode `down` events of the run, before teardown, other than clean stops. */
export function supernodeLosses(events: readonly HistoryEvent[]): EventOf<'node'>[] {
  const teardown = phaseWindow(events, 'teardown')?.from ?? Number.POSITIVE_INFINITY;
  return events.filter(
    (e): e is EventOf<'node'> => e.type === 'node' && e.role === 'supernode' && e.change === 'down' && e.cause !== 'clean' && e.t < teardown,
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

export function measureSupernodeLoss(events: readonly HistoryEvent[]): SupernodeLoss {
  const { direct, total } = lostSupernodes(events);
  const atSteadyState = steadyBaseline(events).supernodes;
  if (!(atSteadyState > 0)) throw new Error('no supernode was in the network at steady state');
  return {
    direct,
    total,
    atSteadyState,
    directShare: direct.length / atSteadyState,
    totalShare: total.length / atSteadyState,
    amplification: direct.length === 0 ? null : total.length / direct.length,
  };
}
