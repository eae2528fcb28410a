import type { EventOf, HistoryEvent } from '../observe/history-types.js';

type LedgerEvent = EventOf<'ledger'>;

/** The message ledger's account of a run, by message id (ledger events of the history, see ledger-collector.ts). */
export interface MessagesLost {
  /** Accepted ids neither received nor pending at the end. Not clamped, not netted: each one is an id. */
  readonly lost: number;
  /** Those ids, in the order they were accepted. */
  readonly missing: readonly string[];
  /** Distinct ids accepted. */
  readonly accepted: number;
  /** Distinct ids received at least once. */
  readonly received: number;
  /** Ids still held by offline-messages at the end (its last pending list). */
  readonly pending: number;
  /** Ids received more than once: how many ids, and which. */
  readonly duplicates: number;
  readonly duplicated: readonly string[];
  /** Deliveries beyond the first, over all duplicated ids. */
  readonly extraDeliveries: number;
  /**
   * Accepted in the very last pull and not (yet) seen received or pending: in flight when the run
   * ended, not judged (the pulls of one tick are not one instant).
   */
  readonly inFlight: readonly string[];
  /**
   * Received or pending ids no ledger recorded as accepted: the sender never heard back (it
   * crashed, or the reply was lost), or a peer crashed before its last acceptances were pulled.
   */
  readonly unaccepted: number;
  /** The checker's detail: the counts, then the first missing and duplicated ids. */
  readonly detail: string;
}

const noMessageLedger = 'the history has no message ledger (it was recorded before ledgers existed)';

/** Ledger events up to run-end, in history order. */
function ledgerEventsOf(events: readonly HistoryEvent[]): LedgerEvent[] {
  const ledger: LedgerEvent[] = [];
  for (const event of events) {
    if (event.type === 'run-end') break;
    if (event.type === 'ledger') ledger.push(event);
  }
  return ledger;
}

/**
 * Lost = every accepted id that was neither received nor pending at offline-messages at the end
 * (each offline-messages node's last pending list). The ids of peers' embedded clients count
 * too: they send IMs to fleet users (and receive none); what a peer accepted in the tick before it
 * crashed was never pulled, so it is neither accepted nor lost here. Ids first accepted in the
 * last pull and not yet seen arriving are in flight, not lost (a receipt is journalled before the
 * sender hears `im-accepted`, but the recipient's journal may have been read a moment earlier);
 * every earlier acceptance must show up by the next pull (see ledger-collector.ts).
 */
export function measureMessagesLost(events: readonly HistoryEvent[]): MessagesLost {
  const ledger = ledgerEventsOf(events);
  if (ledger.length === 0) throw new Error(noMessageLedger);
  const lastPull = ledger.reduce((latest, event) => Math.max(latest, event.t), Number.NEGATIVE_INFINITY);
  const acceptedAt = new Map<string, number>();
  const deliveries = new Map<string, number>();
  const duplicated: string[] = [];
  const lastPending = new Map<string, readonly string[]>();
  const deliver = (id: string): void => {
    const count = (deliveries.get(id) ?? 0) + 1;
    deliveries.set(id, count);
    if (count === 2) duplicated.push(id);
  };
  for (const event of ledger) {
    for (const id of event.accepted) if (!acceptedAt.has(id)) acceptedAt.set(id, event.t);
    event.received.forEach(deliver);
    event.duplicates.forEach(deliver);
    if (event.pending !== undefined) lastPending.set(event.node, event.pending);
  }
  const pending = new Set([...lastPending.values()].flat());
  const missing: string[] = [];
  const inFlight: string[] = [];
  for (const [id, at] of acceptedAt) {
    if (deliveries.has(id) || pending.has(id)) continue;
    (at === lastPull ? inFlight : missing).push(id);
  }
  const unaccepted = new Set([...deliveries.keys(), ...pending].filter((id) => !acceptedAt.has(id)));
  const measured = {
    lost: missing.length,
    missing,
    accepted: acceptedAt.size,
    received: deliveries.size,
    pending: pending.size,
    duplicates: duplicated.length,
    duplicated,
    extraDeliveries: [...deliveries.values()].reduce((sum, count) => sum + count - 1, 0),
    inFlight,
    unaccepted: unaccepted.size,
  };
  return { ...measured, detail: describe(measured) };
}

const shownIds = 10;
const listIds = (ids: readonly string[]): string => ids.slice(0, shownIds).join(', ') + (ids.length > shownIds ? `, ... (${ids.length - shownIds} more)` : '');

function describe(m: Omit<MessagesLost, 'detail'>): string {
  const parts = [`accepted ${m.accepted}, received ${m.received}, pending offline ${m.pending}, lost ${m.lost}`];
  if (m.lost > 0) parts.push(`missing: ${listIds(m.missing)}`);
  if (m.duplicates > 0) parts.push(`duplicated ${m.duplicates} (${m.extraDeliveries} extra deliveries): ${listIds(m.duplicated)}`);
  if (m.inFlight.length > 0) parts.push(`${m.inFlight.length} accepted in the last pull and still in flight, not judged`);
  if (m.unaccepted > 0) parts.push(`${m.unaccepted} received or pending without a recorded acceptance`);
  return parts.join('; ');
}
