import type { EventOf, HistoryEvent } from '../observe/history-types.js';
import { onlineFraction, samplesOf, steadyBaseline } from '../verdict/history-series.js';

/** Fault kinds that cut the client sessions of the supernodes they hit at once (a latency toxic does not). */
const DISCONNECTING = new Set(['crash', 'pause', 'cut', 'reset_peer', 'timeout', 'limit_data']);

export interface Displacement {
  /** The lowest online fraction the faults could have shown: online before each, less the sessions it displaced. */
  readonly fraction: number;
  /** The fault and the supernodes whose sessions it displaced, for the note. */
  readonly fault: string;
  readonly supernodes: readonly string[];
  readonly sessions: number;
}

/** The node a target names: a node name, or the node a link `<runId>.clients-><node>` leads to (other links carry no client sessions). */
function clientNodeOf(target: string): string | undefined {
  const arrow = target.indexOf('->');
  if (arrow < 0) return target;
  return target.slice(target.indexOf('.') + 1, arrow) === 'clients' ? target.slice(arrow + 2) : undefined;
}

/**
 * A sampled low point after a crash (or a cut, a pause) depends on where the samples fall: the
 * displaced clients may reconnect within one tick, so one run sees the dip and the next does not.
 * What the faults could show at worst is known from the history: the sessions their supernodes
 * held at the sample before. Returns the worst over the run, or undefined when no fault displaced any.
 */
export function worstDisplacement(events: readonly HistoryEvent[]): Displacement | undefined {
  const baseline = steadyBaseline(events);
  const samples = samplesOf(events);
  let worst: Displacement | undefined;
  for (const fault of events.filter((e): e is EventOf<'fault'> => e.type === 'fault' && e.action === 'inject' && DISCONNECTING.has(e.kind))) {
    const before = samples.findLast((sample) => sample.t <= fault.t);
    if (before === undefined) continue;
    const hit = [...new Set(fault.targets.map(clientNodeOf))].filter((name): name is string => name !== undefined && before.nodes[name]?.role === 'supernode');
    const sessions = hit.reduce((sum, name) => sum + (before.nodes[name]?.sessions ?? 0), 0);
    if (sessions === 0) continue;
    const fraction = Math.max(0, onlineFraction(before, baseline) - sessions / baseline.onlineClients);
    if (worst === undefined || fraction < worst.fraction) worst = { fraction, fault: `${fault.kind} ${fault.id}`, supernodes: hit, sessions };
  }
  return worst;
}
