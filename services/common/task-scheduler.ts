import type { Clock } from './clock.js';
import type { DeliveryMeter } from './delivery-meter.js';

interface Task {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
  /** Set for attempts of a schedule that offers load: their lateness is metered against it. */
  periodMs: number | undefined;
}

export interface ScheduledTask {
  cancel(): void;
}

/**
 * One timer for many virtual clients: tasks sit in a min-heap by due time and a single
 * `setTimeout` is armed for the earliest one.
 */
export class TaskScheduler {
  private readonly heap: Task[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
    private readonly meter?: DeliveryMeter,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** Runs `run` after `delayMs`; with `periodMs`, the task is one attempt of a schedule with that (mean) period and its lateness is metered. */
  after(delayMs: number, run: () => void, periodMs?: number): ScheduledTask {
    const task: Task = { at: this.clock.now() + Math.max(0, delayMs), seq: this.seq++, run, cancelled: false, periodMs };
    this.push(task);
    this.arm();
    return { cancel: () => (task.cancelled = true) };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.heap.length = 0;
  }

  private arm(): void {
    if (this.stopped) return;
    const first = this.heap[0];
    if (first === undefined) return;
    if (first.at >= this.armedFor && this.timer !== undefined) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedFor = first.at;
    this.timer = setTimeout(() => this.runDue(), Math.max(0, first.at - this.clock.now()));
  }

  private runDue(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.clock.now();
    let budget = 5_000;
    while (budget > 0) {
      const first = this.heap[0];
      if (first === undefined || first.at > now) break;
      this.pop();
      if (first.cancelled) continue;
      budget -= 1;
      if (first.periodMs !== undefined) this.meter?.record(first.at, now, first.periodMs);
      try {
        first.run();
      } catch (error) {
        this.onError(error);
      }
    }
    this.arm();
  }

  private push(task: Task): void {
    const heap = this.heap;
    heap.push(task);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(task, heap[parent] as Task)) break;
      heap[index] = heap[parent] as Task;
      index = parent;
    }
    heap[index] = task;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as Task, heap[left] as Task) ? right : left;
      if (!before(heap[child] as Task, last)) break;
      heap[index] = heap[child] as Task;
      index = child;
    }
    heap[index] = last;
  }
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
