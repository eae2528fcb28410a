import { WebSocket } from 'ws';
import type { FrameDecoder } from '../protocol/frame-codec.js';
import { sendFrame } from '../protocol/frame-codec.js';
import { MAX_FRAME_BYTES } from '../protocol/frame-fields.js';
import type { AnyFrame, Outbound } from '../protocol/frames.js';
import { wsUrl } from './address.js';

/** A dialled WebSocket that yields validated frames; bad frames from the far side are dropped and counted. */
export class FrameChannel<In> {
  onFrame: (frame: In) => void = () => undefined;
  onClose: (code: number, reason: string) => void = () => undefined;
  badFrames = 0;
  private closed = false;

  private constructor(
    private readonly socket: WebSocket,
    decoder: FrameDecoder<In>,
  ) {
    socket.on('message', (data) => {
      const decoded = decoder.decode(data);
      if (decoded.ok) this.onFrame(decoded.frame);
      else this.badFrames += 1;
    });
    socket.on('close', (code, reason) => this.finish(code, reason.toString()));
  }

  /** Dials `host:port`; resolves `undefined` when the connection fails or takes longer than `timeoutMs`. */
  static open<In>(address: string, decoder: FrameDecoder<In>, timeoutMs: number): Promise<FrameChannel<In> | undefined> {
    return new Promise((resolve) => {
      const socket = new WebSocket(wsUrl(address), { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, handshakeTimeout: timeoutMs });
      let settled = false;
      const settle = (channel: FrameChannel<In> | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (channel === undefined) socket.terminate();
        resolve(channel);
      };
      const timer = setTimeout(() => settle(undefined), timeoutMs);
      socket.on('error', () => {
        socket.terminate();
        settle(undefined);
      });
      socket.once('unexpected-response', () => settle(undefined));
      socket.once('close', () => settle(undefined));
      socket.once('open', () => settle(new FrameChannel(socket, decoder)));
    });
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN;
  }

  send(frame: Outbound<AnyFrame>): boolean {
    return !this.closed && sendFrame(this.socket, frame);
  }

  /** Graceful close with a reason. */
  close(reason: string): void {
    if (this.closed) return;
    this.socket.close(1000, reason);
    this.finish(1000, reason);
  }

  /** Abrupt end, as a crashing process leaves its sockets. */
  terminate(): void {
    if (this.closed) return;
    this.socket.terminate();
    this.finish(1006, 'terminated');
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(code, reason);
  }
}
