import type { Clock } from '../common/clock.js';
import { FrameChannel } from '../common/frame-channel.js';
import { PendingRequests } from '../common/timeout-map.js';
import { createFrameDecoder } from '../protocol/frame-codec.js';
import { offlineToClient, type OfflineToClient } from '../protocol/frames.js';

const decoder = createFrameDecoder(offlineToClient);

/** The offline-message stores a supernode reads clients' state from, by shard index. */
export interface StartupShards {
  readonly count: number;
  /** One inbox query to one store; undefined when it is not answered by `deadline` (dialling included). */
  query(shard: number, userId: string, token: string, deadline: number): Promise<OfflineToClient | undefined>;
  close(): void;
}

/**
 * How long a dial to a store may take. A link outlives the queries that wait for it: a query gives up at
 * its own deadline, but the dial goes on, so a slow handshake on a busy host still ends in a link that
 * the next queries use. Bounding the dial by the first query's 0.3 s would make every miss on a busy
 * host dial again and give up again, a storm of handshakes instead of a queue at the store.
 */
export const SHARD_DIAL_TIMEOUT_MS = 5_000;

/** Resolves with `promise`'s value, or `undefined` once `ms` real ms have passed; the work itself goes on. */
function settleWithin<T>(promise: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** One supernode's connection to one offline store: dialled when the supernode starts, and again on the next query after it drops. */
class ShardLink {
  private channel: FrameChannel<OfflineToClient> | undefined;
  private opening: Promise<FrameChannel<OfflineToClient> | undefined> | undefined;
  private closed = false;
  private readonly pending = new PendingRequests<OfflineToClient>();

  constructor(
    private readonly address: string,
    private readonly clock: Clock,
    private readonly dialTimeoutMs: number,
  ) {}

  /** Dials now, if not already linked or dialling: a supernode holds its store connections before its first miss. */
  connect(): void {
    void this.ready();
  }

  async fetch(requestId: string, userId: string, token: string, deadline: number): Promise<OfflineToClient | undefined> {
    const channel = await settleWithin(this.ready(), deadline - this.clock.now());
    const remainingMs = deadline - this.clock.now();
    if (channel === undefined || remainingMs <= 0 || !channel.send({ type: 'fetch', requestId, userId, token })) return undefined;
    return this.pending.wait(requestId, remainingMs);
  }

  close(): void {
    this.closed = true;
    this.channel?.close('supernode shutting down');
    this.pending.failAll();
  }

  private ready(): Promise<FrameChannel<OfflineToClient> | undefined> {
    if (this.channel?.isOpen === true) return Promise.resolve(this.channel);
    if (this.closed) return Promise.resolve(undefined);
    this.opening ??= FrameChannel.open(this.address, decoder, this.dialTimeoutMs).then((channel) => {
      this.opening = undefined;
      if (channel === undefined || this.closed) {
        channel?.terminate();
        return undefined;
      }
      channel.onFrame = (frame) => {
        if (frame.requestId !== undefined) this.pending.resolve(frame.requestId, frame);
      };
      channel.onClose = () => {
        if (this.channel === channel) this.channel = undefined;
        this.pending.failAll();
      };
      this.channel = channel;
      return channel;
    });
    return this.opening;
  }
}

/** The stores at `addresses`, shard `i` at `addresses[i]`, each dialled at once. */
export function dialOfflineShards(addresses: readonly string[], clock: Clock, dialTimeoutMs = SHARD_DIAL_TIMEOUT_MS): StartupShards {
  const links = addresses.map((address) => new ShardLink(address, clock, dialTimeoutMs));
  for (const link of links) link.connect();
  let requestSeq = 0;
  return {
    count: links.length,
    query(shard, userId, token, deadline) {
      const link = links[shard];
      if (link === undefined) return Promise.resolve(undefined);
      requestSeq += 1;
      return link.fetch(`s${requestSeq}`, userId, token, deadline);
    },
    close() {
      for (const link of links) link.close();
    },
  };
}
