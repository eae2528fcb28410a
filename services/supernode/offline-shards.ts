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

/** One supernode's connection to one offline store, dialled on demand and again after it drops. */
class ShardLink {
  private channel: FrameChannel<OfflineToClient> | undefined;
  private opening: Promise<FrameChannel<OfflineToClient> | undefined> | undefined;
  private closed = false;
  private readonly pending = new PendingRequests<OfflineToClient>();

  constructor(
    private readonly address: string,
    private readonly clock: Clock,
  ) {}

  async fetch(requestId: string, userId: string, token: string, deadline: number): Promise<OfflineToClient | undefined> {
    const channel = await this.ready(deadline);
    const remainingMs = deadline - this.clock.now();
    if (channel === undefined || remainingMs <= 0 || !channel.send({ type: 'fetch', requestId, userId, token })) return undefined;
    return this.pending.wait(requestId, remainingMs);
  }

  close(): void {
    this.closed = true;
    this.channel?.close('supernode shutting down');
    this.pending.failAll();
  }

  private ready(deadline: number): Promise<FrameChannel<OfflineToClient> | undefined> {
    if (this.channel?.isOpen === true) return Promise.resolve(this.channel);
    if (this.closed) return Promise.resolve(undefined);
    this.opening ??= FrameChannel.open(this.address, decoder, Math.max(1, deadline - this.clock.now())).then((channel) => {
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

/** The stores at `addresses`, shard `i` at `addresses[i]`. */
export function dialOfflineShards(addresses: readonly string[], clock: Clock): StartupShards {
  const links = addresses.map((address) => new ShardLink(address, clock));
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
