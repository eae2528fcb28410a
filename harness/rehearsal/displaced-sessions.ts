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
  /** Those sessions as a share of the steady online count. */
  readonly share: number;
  /** The share the victims would hold with the clients spread evenly over the supernodes serving then. */
  readonly evenShare: number;
  /**
   * Three standard deviations of the difference between this run's share and a replay's: which
   * supernode a client lands on is drawn anew each run.
   */
  readonly spread: number;
}

/**
 * Three standard deviations of the difference of two draws of a share of `clients` (each client on
 * the victims or not, with probability `share`): the session's own draw and the replay's.
 */
function spreadOf(share: number, clients: number): number {
  const p = Math.min(1, share);
  return clients > 0 ? 3 * Math.SQRT2 * Math.sqrt((p * (1 - p)) / clients) : 0;
}

/** The node a target names: a node name, or the node a link `<runId>.clients-><node>` leads to (other links carry no client sessions). */
function clientNodeOf(target: string): string | undefined {
  const arrow = target.indexOf('->');
  if (arrow < 0) return target;
  return target.slice(target.indexOf('.') + 1, arrow) === 'clients' ? target.slice(arrow + 2) : undefined;
}

/**
 * When each operator step began, by fault id, from its command: a fault is recorded once it took effect
 * (a Docker kill can take seconds), and a sample taken in between already sees its victims gone. For
 * histories whose faults do not carry their own start (`startedT`).
 */
function stepStarts(events: readonly HistoryEvent[]): Map<string, number> {
  const timelineStart = events.find((e) => e.type === 'phase' && e.phase === 'timeline')?.t;
  const starts = new Map<string, number>();
  if (timelineStart === undefined) return starts;
  for (const command of events.filter((e): e is EventOf<'command'> => e.type === 'command' && e.outcome === 'done')) {
    const id = command.action?.['id'];
    if (typeof id === 'string' && !starts.has(id)) starts.set(id, timelineStart + command.offsetMs);
  }
  return starts;
}

/**
 * A sampled low point after a crash (or a cut, a pause) depends on where the samples fall: the
 * displaced clients may reconnect within one tick, so one run sees the dip and the next does not.
 * What the faults could show at worst is known from the history: the sessions their supernodes
 * held at the last sample before the step began. A replay's victims hold a share of the clients that
 * differs by the luck of the spread: the larger of the session's share and the even share, plus three
 * standard deviations of the difference of two draws. Returns the worst over the run, or undefined
 * when no fault displaced any.
 */
export function worstDisplacement(events: readonly HistoryEvent[]): Displacement | undefined {
  const baseline = steadyBaseline(events);
  const samples = samplesOf(events);
  let worst: Displacement | undefined;
  const startedAt = stepStarts(events);
  for (const fault of events.filter((e): e is EventOf<'fault'> => e.type === 'fault' && e.action === 'inject' && DISCONNECTING.has(e.kind))) {
    const before = samples.findLast((sample) => sample.t <= (fault.startedT ?? startedAt.get(fault.id) ?? fault.t));
    if (before === undefined) continue;
    const hit = [...new Set(fault.targets.map(clientNodeOf))].filter((name): name is string => name !== undefined && before.nodes[name]?.role === 'supernode');
    const sessions = hit.reduce((sum, name) => sum + (before.nodes[name]?.sessions ?? 0), 0);
    if (sessions === 0) continue;
    const share = sessions / baseline.onlineClients;
    const serving = Object.values(before.nodes).filter((node) => node.role === 'supernode' && (node.sessions ?? 0) > 0).length;
    const evenShare = hit.length / Math.max(hit.length, serving);
    const likely = Math.max(share, evenShare);
    const spread = spreadOf(likely, before.totals.clientsOnline);
    const fraction = Math.max(0, onlineFraction(before, baseline) - Math.min(1, likely + spread));
    if (worst === undefined || fraction < worst.fraction) worst = { fraction, fault: `${fault.kind} ${fault.id}`, supernodes: hit, sessions, share, evenShare, spread };
  }
  return worst;
}
