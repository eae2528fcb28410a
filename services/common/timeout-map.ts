/** Pending requests by id, each settled once: by its reply, its timeout, or a bulk failure. */
export class PendingRequests<T> {
  private readonly pending = new Map<string, { settle: (value: T | undefined) => void; timer: NodeJS.Timeout }>();

  get size(): number {
    return this.pending.size;
  }

  /** Resolves with the reply, or `undefined` on timeout or `failAll`. */
  wait(id: string, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.pending.set(id, {
        timer,
        settle: (value) => {
          clearTimeout(timer);
          this.pending.delete(id);
          resolve(value);
        },
      });
    });
  }

  resolve(id: string, value: T): boolean {
    const entry = this.pending.get(id);
    if (entry === undefined) return false;
    entry.settle(value);
    return true;
  }

  failAll(): void {
    for (const entry of [...this.pending.values()]) entry.settle(undefined);
  }
}
