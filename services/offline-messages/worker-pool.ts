/**
 * A bounded pool: at most `workers` jobs in service at once, each taking `serviceTimeMs`,
 * the rest queued. Overload shows up as queueing delay, as it did in 2010.
 */
export class WorkerPool {
  private readonly queue: (() => void)[] = [];
  private head = 0;
  private busy = 0;

  constructor(
    private readonly workers: number,
    private readonly serviceTimeMs: number,
    private readonly maxQueue: number,
  ) {}

  get queueDepth(): number {
    return this.queue.length - this.head;
  }

  get inService(): number {
    return this.busy;
  }

  /** Queues a job; false when the queue is full. The job runs after its service time. */
  submit(job: () => void): boolean {
    if (this.queueDepth >= this.maxQueue) return false;
    this.queue.push(job);
    this.pump();
    return true;
  }

  /** Drops queued jobs (shutdown). */
  clear(): void {
    this.queue.length = 0;
    this.head = 0;
  }

  private pump(): void {
    while (this.busy < this.workers && this.head < this.queue.length) {
      const job = this.queue[this.head] as () => void;
      this.head += 1;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.busy += 1;
      setTimeout(() => {
        this.busy -= 1;
        try {
          job();
        } finally {
          this.pump();
        }
      }, this.serviceTimeMs);
    }
  }
}
