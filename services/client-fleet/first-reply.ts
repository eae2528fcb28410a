import type { FrameChannel } from '../common/frame-channel.js';

/** Sends the request and resolves with the first frame back, or undefined on close or timeout. */
export function firstReply<In>(channel: FrameChannel<In>, timeoutMs: number, send: () => void): Promise<In | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    channel.onFrame = (frame) => {
      clearTimeout(timer);
      resolve(frame);
    };
    channel.onClose = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    send();
  });
}
