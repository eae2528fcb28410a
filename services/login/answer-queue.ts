import type { Clock } from '../common/clock.js';

/** Login's directory capacity: how fast it answers, how many requests wait, what a long membership list costs. */
export interface DirectoryCapacity {
  /** Requests answered per second when every answer carries an empty list. */
  readonly capacity: number;
  /** Requests waiting beyond the one being answered; more are refused. */
  readonly queueLimit: number;
  /** Extra milliseconds of work per supernode named in an answer. */
  readonly answerCostMsPerSupernode: number;
}

/** What answering one request produced: sent once its work is done. */
export interface Answer {
  /** How many supernodes the answer names (the membership list or host cache it carries). */
  readonly listSize: number;
  deliver(): void;
}

interface Job {
  readonly arrivedAt: number;
  readonly answer: () => Answer;
}

interface InService {
  readonly arrivedAt: number;
  readonly doneAt: number;
  readonly answer: Answer;
}

/**
 * One worker answering requests in arrival order: each takes `1000 / capacity` ms plus the cost of
 * its list. Time is kept on the clock, not in one timer per request, so a capacity of thousands a
 * second is met whatever the timers' granularity. A request's effect happens when its turn comes;
 * its answer leaves once its work is done.
 */
export class AnswerQueue {
  private readonly waiting: Job[] = [];
  private inService: InService | undefined;
  private freeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly tuning: DirectoryCapacity,
    private readonly clock: Clock,
    private readonly onAnswered: (latencyMs: number) => void,
  ) {}

  /** Requests waiting or being answered. */
  get depth(): number {
    return this.waiting.length + (this.inService === undefined ? 0 : 1);
  }

  /** Queues a request; false when the queue is full (the caller refuses it). */
  submit(answer: () => Answer): boolean {
    if (this.stopped || this.waiting.length >= this.tuning.queueLimit) return false;
    this.waiting.push({ arrivedAt: this.clock.now(), answer });
    if (this.timer === undefined) this.pump();
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.waiting.length = 0;
    this.inService = undefined;
  }

  private serviceMs(answer: Answer): number {
    return 1_000 / this.tuning.capacity + answer.listSize * this.tuning.answerCostMsPerSupernode;
  }

  private pump(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.clock.now();
    for (;;) {
      const current = this.inService;
      if (current !== undefined) {
        if (current.doneAt > now) break;
        this.inService = undefined;
        this.freeAt = current.doneAt;
        current.answer.deliver();
        this.onAnswered(current.doneAt - current.arrivedAt);
      }
      const job = this.waiting.shift();
      if (job === undefined) break;
      const startAt = Math.max(this.freeAt, job.arrivedAt);
      const answer = job.answer();
      this.inService = { arrivedAt: job.arrivedAt, doneAt: startAt + this.serviceMs(answer), answer };
    }
    if (this.inService !== undefined) this.timer = setTimeout(() => this.pump(), Math.max(0, this.inService.doneAt - now));
  }
}
