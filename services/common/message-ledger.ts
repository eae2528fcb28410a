/**
 * A node's journal of message ids, by which the harness proves that no accepted IM went missing
 * (harness/observe/ledger-collector.ts pulls it, harness/verdict/messages-lost.ts judges it).
 */

export type LedgerKind = 'accepted' | 'received' | 'duplicate';

export interface LedgerEntry {
  /** 1, 2, 3, ... in the order recorded; starts over when the process does. */
  readonly seq: number;
  readonly kind: LedgerKind;
  readonly messageId: string;
}

/** What a virtual client writes: the sender side (`accepted`) and the recipient side (`received`, `duplicate`). */
export interface LedgerRecorder {
  record(kind: LedgerKind, messageId: string): void;
}

/** The JSON served at `GET /ledger?after=<seq>`. */
export interface LedgerDocument {
  readonly node: string;
  /** The latest sequence number: ask `after=seq` next time. */
  readonly seq: number;
  /** When this journal began (ms since the epoch): another value means the process restarted and `seq` started over. */
  readonly startedAt: number;
  /** Ids accepted by this node's clients after `after` (sender side). */
  readonly accepted: readonly string[];
  /** Ids received for the first time after `after`. */
  readonly received: readonly string[];
  /** Ids received again after `after`, once per extra delivery. */
  readonly duplicates: readonly string[];
  /** offline-messages only: every id stored and not yet acknowledged, now (the full list, not a delta). */
  readonly pending?: readonly string[];
  /** Entries after `after` that the journal no longer holds (its bound was reached before they were read). */
  readonly dropped?: number;
}

/** Serves the ledger document for a validated `after`. */
export type LedgerEndpoint = (after: number) => LedgerDocument;

/**
 * The bound: at ~10 IMs/s across the whole network a run of a few minutes writes a few thousand
 * entries in all (one `accepted` at the sender, one `received` at the recipient per IM), so this
 * cap is hours of traffic for one node and at most ~10 MB. The harness reads every tick, so only
 * a node nobody reads for that long loses its oldest entries, and the document says how many.
 * Entries are not dropped when read: after a restart the harness's first question may carry the
 * previous life's cursor, and dropping on it would lose the new life's first entries.
 */
export const defaultLedgerCapacity = 100_000;

/** An append-only in-memory journal with a monotonically increasing sequence number. */
export class MessageLedger implements LedgerRecorder {
  private readonly entries: LedgerEntry[] = [];
  /** Index in `entries` of the oldest entry still held (the ones before it are dropped). */
  private head = 0;
  private latest = 0;

  constructor(
    readonly startedAt: number = Date.now(),
    private readonly capacity: number = defaultLedgerCapacity,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ledger capacity must be a positive integer, not ${capacity}`);
  }

  /** The sequence number of the latest entry; 0 before the first. */
  get seq(): number {
    return this.latest;
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.length - this.head;
  }

  record(kind: LedgerKind, messageId: string): void {
    this.latest += 1;
    this.entries.push({ seq: this.latest, kind, messageId });
    if (this.size > this.capacity) this.dropOldest();
  }

  /** The entries recorded after `seq`, oldest first (those the bound dropped are missing). */
  since(seq: number): LedgerEntry[] {
    const oldest = this.entries[this.head]?.seq ?? this.latest + 1;
    const start = this.head + Math.max(0, Math.floor(seq) + 1 - oldest);
    return this.entries.slice(start);
  }

  /** How many entries after `seq` were dropped by the bound before anyone read them. */
  droppedAfter(seq: number): number {
    const oldest = this.entries[this.head]?.seq ?? this.latest + 1;
    return Math.max(0, oldest - 1 - Math.max(0, Math.floor(seq)));
  }

  /** The `/ledger` document of this journal for `after`. */
  document(node: string, after: number): LedgerDocument {
    const accepted: string[] = [];
    const received: string[] = [];
    const duplicates: string[] = [];
    const lists: Record<LedgerKind, string[]> = { accepted, received, duplicate: duplicates };
    for (const entry of this.since(after)) lists[entry.kind].push(entry.messageId);
    const dropped = this.droppedAfter(after);
    return { node, seq: this.latest, startedAt: this.startedAt, accepted, received, duplicates, ...(dropped > 0 ? { dropped } : {}) };
  }

  private dropOldest(): void {
    this.head += 1;
    // Compact now and then, as the worker pool's queue does, so dropping stays O(1) amortised.
    if (this.head > 1_024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** The `/ledger` document of offline-messages: no journal of its own, only the ids it holds now. */
export function pendingLedgerDocument(node: string, startedAt: number, pending: readonly string[]): LedgerDocument {
  return { node, seq: 0, startedAt, accepted: [], received: [], duplicates: [], pending };
}
