import { WebSocket } from 'ws';

/** A bare WebSocket for tests: sends whatever it is told and keeps every reply. */
export class RawSocket {
  readonly replies: Record<string, unknown>[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      try {
        this.replies.push(JSON.parse(String(data)) as Record<string, unknown>);
      } catch {
        this.replies.push({ unparsable: String(data) });
      }
    });
    socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawSocket> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RawSocket(socket);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  async next(predicate: (reply: Record<string, unknown>) => boolean = () => true, timeoutMs = 2_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.replies.find(predicate);
      if (found !== undefined) {
        this.replies.splice(this.replies.indexOf(found), 1);
        return found;
      }
      if (Date.now() > deadline) throw new Error(`no matching reply within ${timeoutMs} ms; have ${JSON.stringify(this.replies.slice(-3))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.terminate();
  }
}
