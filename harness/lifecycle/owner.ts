import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { ChaosError, errorMessage } from '../errors.js';
import { unlessAborted } from './unless-aborted.js';

type Release = () => Promise<void> | void;

interface Registration {
  readonly label: string;
  readonly release: Release;
  readonly batch: string | undefined;
  /** The owner it was registered with and every owner that one is a scope of. */
  readonly holders: readonly ResourceOwner[];
}

/** Releases of one batch that run at once (containers removed, proxies deleted, processes killed). */
const batchConcurrency = 16;

/**
 * The one owner of everything a run creates. Resources are released in reverse order of
 * registration, each at most once, and a failing release never stops the others. Registrations
 * with the same `batch` (peers that do not depend on one another, such as the nodes
 * of a run) are released together, a few at a time, when the newest of them is reached. A scope
 * (a platform's part of the run) registers on the same stack and can release its own part alone,
 * the same way.
 */
export class ResourceOwner {
  private readonly stack: Registration[];
  private readonly holders: readonly ResourceOwner[];
  private releasing: Promise<string[]> | undefined;
  private readonly interruption: AbortController;

  constructor(
    private readonly name = 'run',
    parent?: ResourceOwner,
  ) {
    this.stack = parent?.stack ?? [];
    this.holders = [this, ...(parent?.holders ?? [])];
    this.interruption = parent?.interruption ?? unboundedController();
  }

  /** A child owner named for what it holds: its registrations go on this owner's stack, in order with the rest. */
  scope(name: string): ResourceOwner {
    return new ResourceOwner(name, this);
  }

  /** Registers a release; returns a function that releases just this one, early. */
  register(label: string, release: Release, batch?: string): () => Promise<void> {
    const registration: Registration = { label, release, batch, holders: this.holders };
    this.stack.push(registration);
    return async () => {
      const index = this.stack.indexOf(registration);
      if (index === -1) return;
      this.stack.splice(index, 1);
      await registration.release();
    };
  }

  get size(): number {
    return this.stack.filter((registration) => this.holds(registration)).length;
  }

  /**
   * Aborted once the run is interrupted (SIGINT, SIGTERM): starts and health waits under way give up
   * at once, and nothing new is created, so the teardown that follows has only to kill and remove.
   */
  get interrupted(): AbortSignal {
    return this.interruption.signal;
  }

  interrupt(): void {
    this.interruption.abort(new ChaosError('INTERRUPTED', 'interrupted', { hint: 'run again to completion' }));
  }

  /**
   * Gives up on everything under way for `reason` (the engine stopped answering): starts and health
   * waits end at once with it, as on an interrupt, and nothing new is created.
   */
  abandon(reason: Error): void {
    this.interruption.abort(reason);
  }

  /** Throws INTERRUPTED once the run is interrupted: called before creating anything. */
  throwIfInterrupted(what: string): void {
    if (!this.interrupted.aborted) return;
    const reason: unknown = this.interrupted.reason;
    if (reason instanceof ChaosError && reason.code !== 'INTERRUPTED') throw reason;
    throw new ChaosError('INTERRUPTED', `interrupted: ${what} not started`, { hint: 'run again to completion' });
  }

  /** `work`, or INTERRUPTED as soon as the run is interrupted; the work goes on, and its registered release cleans up after it. */
  unlessInterrupted<T>(work: Promise<T>): Promise<T> {
    return unlessAborted(this.interrupted, () => work);
  }

  /** Releases everything this owner holds, newest first. Returns the failures as messages (never throws). */
  releaseAll(): Promise<string[]> {
    this.releasing ??= this.drain();
    return this.releasing;
  }

  /** Releases everything this owner holds; throws naming every release that failed. */
  async releaseOrThrow(): Promise<void> {
    const failures = await this.releaseAll();
    if (failures.length > 0) throw new Error(`${this.name} cleanup: ${failures.join('; ')}`);
  }

  /** Runs `start`; if it throws, releases what this owner holds so far and rethrows. */
  async unwindOnFailure<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.releaseAll();
      throw error;
    }
  }

  private holds(registration: Registration): boolean {
    return registration.holders.includes(this);
  }

  /**
   * Takes this owner's newest registration off the stack, with every other member of its batch.
   * Members registered later in the run (a node restarted, a supernode added) sit apart from the
   * first ones, between registrations of other kinds; they go with them all the same, or a storm's
   * restarted nodes would be removed one at a time.
   */
  private takeNewest(): Registration[] {
    let newest = -1;
    for (let index = this.stack.length - 1; index >= 0 && newest < 0; index -= 1) {
      if (this.holds(this.stack[index] as Registration)) newest = index;
    }
    const first = this.stack[newest];
    if (first === undefined) return [];
    const group = first.batch === undefined ? [first] : this.stack.filter((r) => this.holds(r) && r.batch === first.batch).reverse();
    for (const registration of group) this.stack.splice(this.stack.indexOf(registration), 1);
    return group;
  }

  private async drain(): Promise<string[]> {
    const failures: string[] = [];
    const limit = pLimit(batchConcurrency);
    for (let group = this.takeNewest(); group.length > 0; group = this.takeNewest()) {
      await Promise.all(
        group.map((registration) =>
          limit(async () => {
            try {
              await registration.release();
            } catch (error) {
              failures.push(`${registration.label}: ${errorMessage(error)}`);
            }
          }),
        ),
      );
    }
    this.releasing = undefined;
    return failures;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.releaseAll();
  }
}

/**
 * Every node start and health wait of a run listens on the same signal at once (45 for skype-2010):
 * many listeners are the design, not a leak, so Node's warning past 10 is turned off for it.
 */
export function unboundedController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
