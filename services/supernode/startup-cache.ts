import { deriveSeed } from '../common/seeded-random.js';
import type { StartupCacheConfig } from './supernode-config.js';
import type { StartupShards } from './offline-shards.js';

/** What one store holds for a user: the messages on its first page and whether more wait. */
export interface ShardHolding {
  readonly shard: number;
  readonly held: number;
  readonly more: boolean;
}

/** A client's state as the supernode needs it at start-up: which store holds what of its inbox. */
export type InboxSummary = readonly ShardHolding[];

export const startupCounterNames = [
  /** registrations answered from the start-up cache */
  'startupCacheHits',
  /** registrations that had to query the offline stores */
  'startupCacheMisses',
  /** inbox queries a miss sent to the stores (one per store asked) */
  'startupQueriesSent',
  /** misses with a store that erred or did not answer in time: the registration failed, nothing cached */
  'startupFanOutsFailed',
  /** misses answered while the cache was warming (the state it held before the run): no store asked */
  'startupCacheWarmed',
] as const;
export type StartupCounterName = (typeof startupCounterNames)[number];

type LookupSettings = Pick<StartupCacheConfig, 'fanOut' | 'queryTimeoutMs' | 'ownerShard'>;

interface LookupParts {
  readonly shards: StartupShards;
  readonly now: () => number;
  readonly counters: { inc(name: StartupCounterName, by?: number): void };
}

/**
 * The supernode's start-up cache: it lives in the process's memory, so every (re)start begins
 * cold. A warm entry answers at once; a miss asks the stores the fan-out names and caches only a
 * complete answer, so a miss that failed misses again at the user's next start-up.
 *
 * While warming (told so on its control port, only ever before a scenario's steady state), a miss
 * is the state the cache held before the run began: it is cached at once and asks no store. A
 * (re)start begins not warming.
 */
export class StartupLookup {
  private readonly entries = new Map<string, InboxSummary>();
  private warmingNow = false;

  constructor(
    private readonly settings: LookupSettings,
    private readonly parts: LookupParts,
  ) {}

  /** Users with a warm entry. */
  get size(): number {
    return this.entries.size;
  }

  get warming(): boolean {
    return this.warmingNow;
  }

  setWarming(on: boolean): void {
    this.warmingNow = on;
  }

  /** The user's state, from the cache or the stores; undefined when the stores did not all answer in time. */
  async stateOf(userId: string, token: string): Promise<InboxSummary | undefined> {
    const { counters } = this.parts;
    const cached = this.entries.get(userId);
    if (cached !== undefined) {
      counters.inc('startupCacheHits');
      return cached;
    }
    if (this.warmingNow) {
      counters.inc('startupCacheWarmed');
      const held: InboxSummary = [];
      this.entries.set(userId, held);
      return held;
    }
    counters.inc('startupCacheMisses');
    const shards = this.shardsToAsk(userId);
    counters.inc('startupQueriesSent', shards.length);
    const deadline = this.parts.now() + this.settings.queryTimeoutMs;
    const replies = await Promise.all(shards.map((shard) => this.parts.shards.query(shard, userId, token, deadline)));
    const holdings: ShardHolding[] = [];
    for (const [index, reply] of replies.entries()) {
      if (reply?.type !== 'messages') {
        counters.inc('startupFanOutsFailed');
        return undefined;
      }
      holdings.push({ shard: shards[index] ?? 0, held: reply.items.length, more: reply.more });
    }
    this.entries.set(userId, holdings);
    return holdings;
  }

  close(): void {
    this.parts.shards.close();
  }

  private shardsToAsk(userId: string): number[] {
    const { fanOut, ownerShard } = this.settings;
    if (fanOut === 'all-shards') return Array.from({ length: this.parts.shards.count }, (_, shard) => shard);
    return [ownerShard === 'user-hash' ? userShard(userId, this.parts.shards.count) : ownerShard];
  }
}

/** The store that owns a user's start-up state under `ownerShard: 'user-hash'`: the same for a user on every supernode and in every run. */
export function userShard(userId: string, shardCount: number): number {
  return deriveSeed(0, `startup-owner:${userId}`) % shardCount;
}
