import { z } from 'zod';
import type { Clock } from '../engine/clock.js';
import type { EventOf } from './history-types.js';
import { readWithin } from './read-within.js';
import type { SampledNode } from './sample-aggregator.js';

export type LedgerEvent = EventOf<'ledger'>;

/** Reads a node's `GET /ledger?after=<after>`; undefined (or a throw) when it does not answer. Must honour the signal. */
export type FetchLedger = (node: SampledNode, after: number, signal: AbortSignal) => Promise<unknown>;

export interface LedgerCollectorOptions {
  readonly fetchLedger: FetchLedger;
  readonly clock: Clock;
  /** A node slower than this is skipped on this tick (its cursor stays, the next tick asks again). */
  readonly timeoutMs: number;
  /** Run time now: the `t` of this pull's events. */
  readonly now: () => number;
  readonly onEvent: (event: LedgerEvent) => void;
}

export interface LedgerCollector {
  /**
   * Pulls every ledger node that answered `/status` on this tick (a node that did not would only
   * hold the tick up) and emits one event per node that changed, all with the same `t`.
   */
  collect(tick: { readonly nodes: Readonly<Record<string, { readonly role: SampledNode['role']; readonly up: boolean }>> }): Promise<LedgerEvent[]>;
}

const ids = z.array(z.string());
const ledgerDocument = z.looseObject({
  seq: z.number().int().min(0),
  startedAt: z.number().optional(),
  accepted: ids,
  received: ids,
  duplicates: ids,
  pending: ids.optional(),
});
type LedgerDocument = z.output<typeof ledgerDocument>;

interface Cursor {
  /** The last `seq` read from this node's current life. */
  after: number;
  startedAt?: number;
  /** The pending list last written (offline-messages), to write it only when it changes. */
  pending?: readonly string[];
}

const ledgerRoles: ReadonlySet<SampledNode['role']> = new Set(['client-fleet', 'supernode', 'offline-messages']);

/**
 * Pulls each node's message ledger on every sampler tick, so that a node that dies (a peer
 * supernode exits 70 or 75) has lost at most what it journalled since the last tick. Messages a
 * peer's own client had accepted in that last tick before its crash are invisible: neither
 * accepted nor lost in the verdict.
 *
 * Within one pull offline-messages is read first, the journals after it: a message acknowledged
 * at offline-messages before its pending list was read was received before that, so it is in the
 * recipient's journal read later. With acceptance recorded only after receipt (direct) or after
 * storage (offline), every id accepted by the end of one pull is, unless lost, received or
 * pending as of the next pull; the verdict leaves ids accepted in the very last pull unjudged.
 */
export function createLedgerCollector(options: LedgerCollectorOptions): LedgerCollector {
  const { clock } = options;
  const cursors = new Map<string, Cursor>();

  const read = async (node: SampledNode, after: number): Promise<LedgerDocument | undefined> => {
    const raw = await readWithin(clock, options.timeoutMs, (signal) => options.fetchLedger(node, after, signal));
    const parsed = ledgerDocument.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  };

  /** A restarted node's seq starts over: its startedAt changes, or its seq is behind our cursor. */
  const restarted = (cursor: Cursor, document: LedgerDocument): boolean =>
    document.seq < cursor.after || (cursor.startedAt !== undefined && document.startedAt !== undefined && document.startedAt !== cursor.startedAt);

  const pull = async (node: SampledNode): Promise<LedgerDocument | undefined> => {
    const cursor = cursors.get(node.name) ?? { after: 0 };
    cursors.set(node.name, cursor);
    let document = await read(node, cursor.after);
    if (document === undefined) return undefined;
    if (restarted(cursor, document)) {
      // The answer skipped the new life's entries up to our old cursor: read that life from its start.
      cursor.after = 0;
      if (document.startedAt !== undefined) cursor.startedAt = document.startedAt;
      document = await read(node, 0);
      if (document === undefined) return undefined;
    }
    cursor.after = document.seq;
    if (document.startedAt !== undefined) cursor.startedAt = document.startedAt;
    return document;
  };

  const eventOf = (name: string, document: LedgerDocument, t: number): LedgerEvent | undefined => {
    const cursor = cursors.get(name);
    let pending: readonly string[] | undefined;
    if (document.pending !== undefined && cursor !== undefined && !sameList(cursor.pending, document.pending)) {
      pending = document.pending;
      cursor.pending = document.pending;
    }
    const { accepted, received, duplicates } = document;
    if (accepted.length + received.length + duplicates.length === 0 && pending === undefined) return undefined;
    return { t, type: 'ledger', node: name, accepted, received, duplicates, ...(pending === undefined ? {} : { pending }) };
  };

  return {
    async collect(tick) {
      const nodes = Object.entries(tick.nodes)
        .filter(([, observation]) => observation.up && ledgerRoles.has(observation.role))
        .map(([name, observation]): SampledNode => ({ name, role: observation.role }));
      const stores = nodes.filter((node) => node.role === 'offline-messages');
      const journals = nodes.filter((node) => node.role !== 'offline-messages');
      const first = await Promise.all(stores.map(async (node) => [node.name, await pull(node)] as const));
      const then = await Promise.all(journals.map(async (node) => [node.name, await pull(node)] as const));
      const t = options.now();
      const events: LedgerEvent[] = [];
      for (const [name, document] of [...first, ...then]) {
        const event = document === undefined ? undefined : eventOf(name, document, t);
        if (event === undefined) continue;
        events.push(event);
        options.onEvent(event);
      }
      return events;
    },
  };
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((value, index) => value === b[index]);
}
