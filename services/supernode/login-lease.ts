/**
 * A supernode's lease on its membership: every answer from login renews it for `leaseMs` from the
 * moment the answer arrived; when none arrives in time, including because login cannot be reached
 * at all, the lease expires once (until it is renewed again).
 */
export class LoginLease {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly leaseMs: number,
    private readonly expired: (reason: string) => void,
  ) {}

  renew(): void {
    if (this.timer !== undefined) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.expired(`no answer from login for ${this.leaseMs} ms`);
    }, this.leaseMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
