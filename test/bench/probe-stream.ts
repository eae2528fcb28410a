import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';

export interface ProbeRecord {
  readonly sentAt: number;
  readonly answeredAt: number;
}

/**
 * Lookups sent on one socket every `everyMs` without waiting for answers, each answer matched to
 * its request: a steady trace of round trips in which the moment a fault starts acting shows.
 */
export class ProbeStream {
  private readonly pending = new Map<string, number>();
  private readonly answered: ProbeRecord[] = [];
  private readonly timer: NodeJS.Timeout;
  private sent = 0;
  private closedAt: number | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly userId: string,
    everyMs = 2,
  ) {
    socket.on('message', this.onMessage);
    socket.once('close', () => {
      this.closedAt = performance.now();
    });
    this.timer = setInterval(() => this.send(), everyMs);
  }

  /** When the socket closed (the wire's own effect of a link going down), if it did. */
  get closedAtMs(): number | undefined {
    return this.closedAt;
  }

  /** The first answer after `afterMs` that `matches`, waiting up to `timeoutMs` for it. */
  async firstAnswer(afterMs: number, matches: (record: ProbeRecord) => boolean, timeoutMs: number): Promise<ProbeRecord | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.answered.find((record) => record.answeredAt > afterMs && matches(record));
      if (found !== undefined || performance.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Resolves with the close time once the socket closed, or undefined after `timeoutMs`. */
  async closed(timeoutMs: number): Promise<number | undefined> {
    const deadline = performance.now() + timeoutMs;
    while (this.closedAt === undefined && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
    return this.closedAt;
  }

  stop(): void {
    clearInterval(this.timer);
    this.socket.off('message', this.onMessage);
    this.socket.terminate();
  }

  private send(): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.sent += 1;
    const requestId = `probe-${this.sent}`;
    this.pending.set(requestId, performance.now());
    this.socket.send(JSON.stringify({ v: 1, type: 'lookup', requestId, userId: this.userId }));
  }

  private readonly onMessage = (data: WebSocket.RawData): void => {
    const frame = JSON.parse(String(data)) as { type?: unknown; requestId?: unknown };
    if (frame.type !== 'lookup-result' || typeof frame.requestId !== 'string') return;
    const sentAt = this.pending.get(frame.requestId);
    if (sentAt === undefined) return;
    this.pending.delete(frame.requestId);
    this.answered.push({ sentAt, answeredAt: performance.now() });
    // Only the recent trace is looked at; keep memory flat over a long bench.
    if (this.answered.length > 20_000) this.answered.splice(0, 10_000);
  };
}
