/**
 * The deadline on a supernode's heartbeats to login, each a confirmation of its membership: a
 * heartbeat carries a sequence number that login echoes in its `sn-peers`, and only one waits for
 * its answer at a time. An answer to an abandoned heartbeat (missed, or superseded by a
 * registration) is ignored.
 */
export class HeartbeatDeadline {
  private seq = 0;
  private pending: { readonly seq: number; readonly timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly missed: (reason: string) => void,
  ) {}

  /** Whether a heartbeat is waiting for its answer (no other may go meanwhile). */
  get awaitingAnswer(): boolean {
    return this.pending !== undefined;
  }

  /** A heartbeat goes now: its sequence number. */
  begin(): number {
    this.abandon();
    this.seq += 1;
    const seq = this.seq;
    const timer = setTimeout(() => {
      this.pending = undefined;
      this.missed(`login did not answer heartbeat ${seq} within ${this.timeoutMs} ms`);
    }, this.timeoutMs);
    this.pending = { seq, timer };
    return seq;
  }

  /** An `sn-peers` arrived: true when it answers the pending heartbeat in time. */
  answered(seq: number): boolean {
    if (this.pending === undefined || seq !== this.pending.seq) return false;
    this.abandon();
    return true;
  }

  /** Stops waiting for the pending heartbeat, without penalty. */
  abandon(): void {
    if (this.pending !== undefined) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }
}
