import { FrameChannel } from '../common/frame-channel.js';
import { createFrameDecoder } from '../protocol/frame-codec.js';
import { loginToSupernode, type AnyFrame, type LoginToSupernode, type Outbound } from '../protocol/frames.js';

const decoder = createFrameDecoder(loginToSupernode);
const redialMs = 500;

/** A supernode's (or standby peer's) connection to login, redialled whenever it drops. */
export class LoginLink {
  private channel: FrameChannel<LoginToSupernode> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly address: string,
    private readonly timeoutMs: number,
    private readonly handlers: { onOpen: () => void; onFrame: (frame: LoginToSupernode) => void },
  ) {}

  get connected(): boolean {
    return this.channel?.isOpen === true;
  }

  start(): void {
    void this.dial();
  }

  send(frame: Outbound<AnyFrame>): boolean {
    return this.channel?.send(frame) ?? false;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.channel?.close('supernode shutting down');
  }

  private async dial(): Promise<void> {
    const channel = await FrameChannel.open(this.address, decoder, this.timeoutMs);
    if (this.closed) {
      channel?.terminate();
      return;
    }
    if (channel === undefined) {
      this.redial();
      return;
    }
    this.channel = channel;
    channel.onFrame = this.handlers.onFrame;
    channel.onClose = () => {
      this.channel = undefined;
      this.redial();
    };
    this.handlers.onOpen();
  }

  private redial(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.dial(), redialMs);
  }
}
