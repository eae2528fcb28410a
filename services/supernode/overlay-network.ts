import type { Clock } from '../common/clock.js';
import { FrameChannel } from '../common/frame-channel.js';
import { PendingRequests } from '../common/timeout-map.js';
import { createFrameDecoder } from '../protocol/frame-codec.js';
import type { OverlayPeer } from '../protocol/frame-fields.js';
import { overlayReply, type OverlayReply, type SupernodeInbound, type Outbound } from '../protocol/frames.js';

const replyDecoder = createFrameDecoder(overlayReply);
/** After a failed dial, a peer is not dialled again for this long (requests to it fail at once). */
const redialPauseMs = 1_000;

type OverlayRequest = Outbound<Extract<SupernodeInbound, { type: 'overlay-lookup' | 'overlay-deliver' }>>;

interface LinkOptions {
  readonly selfName: string;
  readonly token: string;
  readonly timeoutMs: number;
  readonly clock: Clock;
}

/** One supernode's outbound connection to one overlay peer, dialled lazily. */
class OverlayLink {
  private channel: FrameChannel<OverlayReply> | undefined;
  private opening: Promise<FrameChannel<OverlayReply> | undefined> | undefined;
  private failedAt = -Infinity;
  private closed = false;
  private readonly pending = new PendingRequests<OverlayReply>();

  constructor(
    readonly peer: OverlayPeer,
    private readonly options: LinkOptions,
  ) {}

  async request(frame: OverlayRequest): Promise<OverlayReply | undefined> {
    const channel = await this.ready();
    if (channel === undefined || !channel.send(frame)) return undefined;
    return this.pending.wait(frame.requestId, this.options.timeoutMs);
  }

  close(): void {
    this.closed = true;
    this.channel?.close('peer left the overlay');
    this.pending.failAll();
  }

  private ready(): Promise<FrameChannel<OverlayReply> | undefined> {
    if (this.channel?.isOpen === true) return Promise.resolve(this.channel);
    if (this.closed || this.options.clock.now() - this.failedAt < redialPauseMs) return Promise.resolve(undefined);
    this.opening ??= FrameChannel.open(this.peer.overlayAddress, replyDecoder, this.options.timeoutMs).then((channel) => {
      this.opening = undefined;
      if (channel === undefined || this.closed) {
        channel?.terminate();
        this.failedAt = this.options.clock.now();
        return undefined;
      }
      channel.onFrame = (frame) => {
        if (frame.type !== 'overlay-welcome' && frame.requestId !== undefined) this.pending.resolve(frame.requestId, frame);
      };
      channel.onClose = () => {
        if (this.channel === channel) this.channel = undefined;
        this.failedAt = this.options.clock.now();
        this.pending.failAll();
      };
      channel.send({ type: 'overlay-hello', name: this.options.selfName, token: this.options.token });
      this.channel = channel;
      return channel;
    });
    return this.opening;
  }
}

export interface LookupOutcome {
  /** The peer holding the user, when one said so. */
  readonly found?: string;
  /** Whether every peer answered (a negative answer is only authoritative when complete). */
  readonly complete: boolean;
}

/** The supernode overlay without a central directory: lookups flood every known peer (ttl 1). */
export class OverlayNetwork {
  private readonly links = new Map<string, OverlayLink>();
  private requestSeq = 0;

  constructor(private readonly options: LinkOptions) {}

  get size(): number {
    return this.links.size;
  }

  setPeers(peers: readonly OverlayPeer[]): void {
    const wanted = new Map(peers.filter((peer) => peer.name !== this.options.selfName).map((peer) => [peer.name, peer]));
    for (const [name, link] of this.links) {
      const peer = wanted.get(name);
      if (peer === undefined || peer.overlayAddress !== link.peer.overlayAddress) {
        link.close();
        this.links.delete(name);
      }
    }
    for (const [name, peer] of wanted) if (!this.links.has(name)) this.links.set(name, new OverlayLink(peer, this.options));
  }

  lookup(userId: string): Promise<LookupOutcome> {
    const links = [...this.links.values()];
    if (links.length === 0) return Promise.resolve({ complete: true });
    const requestId = this.nextId();
    return new Promise((resolve) => {
      let remaining = links.length;
      let complete = true;
      let done = false;
      for (const link of links) {
        void link.request({ type: 'overlay-lookup', requestId, userId }).then((reply) => {
          if (done) return;
          if (reply?.type === 'overlay-lookup-result') {
            if (reply.found) {
              done = true;
              resolve({ found: link.peer.name, complete: true });
              return;
            }
          } else {
            complete = false;
          }
          remaining -= 1;
          if (remaining === 0) {
            done = true;
            resolve({ complete });
          }
        });
      }
    });
  }

  async deliver(peerName: string, im: { messageId: string; from: string; to: string; body: string }): Promise<boolean> {
    const link = this.links.get(peerName);
    if (link === undefined) return false;
    const reply = await link.request({ type: 'overlay-deliver', requestId: this.nextId(), ...im });
    return reply?.type === 'overlay-deliver-result' && reply.delivered;
  }

  close(): void {
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }

  private nextId(): string {
    this.requestSeq += 1;
    return `o${this.requestSeq}`;
  }
}
