/**
 * What an engine call does to a network's endpoints: a container start joins (the engine builds the
 * container's hosts file from the network's service records: network lock, then controller lock); a
 * kill, stop or removal leaves (the engine's store watcher deletes the endpoint: controller lock, then
 * network lock). Docker 20.10's libnetwork takes the two in opposite orders (moby/moby#42545, not in
 * Debian's 20.10.24), so a join and a leave at once can deadlock the engine for good.
 */
export type EndpointChange = 'join' | 'leave';

/**
 * `run` is a call a run is waiting on (a node started, a fault injected or healed on the timeline's
 * schedule); `cleanup` is one nothing waits on but the end of a teardown. A cleanup call waits while any
 * run call is waiting: one architecture's teardown must not put off the other's timeline.
 */
export type LanePriority = 'run' | 'cleanup';

interface Waiter {
  readonly kind: EndpointChange;
  readonly go: () => void;
}

/** How many calls of each kind may run at once. */
export type LaneLimits = Readonly<Record<EndpointChange, number>>;

/**
 * Lets engine calls of one kind run side by side (up to its limit), never beside a call of the other
 * kind. Run calls are served before cleanup calls; within each, waiters are served in arrival order, a
 * run of same-kind waiters together, so neither kind starves the other.
 */
export class EngineLanes {
  private active: EndpointChange | undefined;
  private running = 0;
  private readonly queues: Readonly<Record<LanePriority, Waiter[]>> = { run: [], cleanup: [] };

  constructor(private readonly limits: LaneLimits = { join: Number.POSITIVE_INFINITY, leave: Number.POSITIVE_INFINITY }) {}

  async run<T>(kind: EndpointChange, call: () => Promise<T>, priority: LanePriority = 'run'): Promise<T> {
    const release = await this.acquire(kind, priority);
    try {
      return await call();
    } finally {
      release();
    }
  }

  /** Waits for the lane of `kind`; the function returned gives it back (only its first call counts). */
  async acquire(kind: EndpointChange, priority: LanePriority = 'run'): Promise<() => void> {
    await this.enter(kind, priority);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.leave();
    };
  }

  /** Calls under way and waiting, for tests and traces. */
  get state(): { readonly active: EndpointChange | undefined; readonly running: number; readonly waiting: number } {
    return { active: this.active, running: this.running, waiting: this.queues.run.length + this.queues.cleanup.length };
  }

  private enter(kind: EndpointChange, priority: LanePriority): Promise<void> {
    const nobodyWaits = this.queues.run.length === 0 && this.queues.cleanup.length === 0;
    if (nobodyWaits && (this.active === undefined || (this.active === kind && this.running < this.limits[kind]))) {
      this.active = kind;
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queues[priority].push({ kind, go: resolve }));
  }

  private leave(): void {
    this.running -= 1;
    if (this.running === 0) this.active = undefined;
    const queue = this.queues.run.length > 0 ? this.queues.run : this.queues.cleanup;
    const next = queue[0];
    if (next === undefined || (this.active !== undefined && this.active !== next.kind)) return;
    this.active = next.kind;
    while (queue[0]?.kind === next.kind && this.running < this.limits[next.kind]) {
      const waiter = queue.shift() as Waiter;
      this.running += 1;
      waiter.go();
    }
  }
}

/**
 * Endpoint creations and deletions one at a time: libnetwork 20.10 keeps a network's endpoint count
 * in one shared object that concurrent updates race on (a count left at 1 with no endpoint makes the
 * network unremovable until dockerd restarts: moby/moby#42119). Seen after skype-2010's teardown of
 * 52 containers 16 at a time; one at a time costs about 50 ms a container.
 */
const engineLaneLimits: LaneLimits = { join: 1, leave: 1 };

/** One set of lanes per engine address: runs side by side on one engine share them. */
const lanesByEngine = new Map<string, EngineLanes>();

export function lanesOfEngine(engine: string): EngineLanes {
  let lanes = lanesByEngine.get(engine);
  if (lanes === undefined) {
    lanes = new EngineLanes(engineLaneLimits);
    lanesByEngine.set(engine, lanes);
  }
  return lanes;
}
