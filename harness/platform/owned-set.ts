import { errorMessage } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';

/**
 * The part of a run's owner that one platform registered: released together by `dispose()`, or when
 * the platform fails halfway through its start, newest first, without touching anything else the owner holds.
 */
export class OwnedSet {
  private readonly releases: { readonly label: string; readonly release: () => Promise<void> }[] = [];

  constructor(private readonly owner: ResourceOwner) {}

  own(label: string, release: () => Promise<void>, batch?: string): void {
    this.releases.push({ label, release: this.owner.register(label, release, batch) });
  }

  /** Releases everything this set registered; never throws, returns the failures. */
  async releaseAll(): Promise<string[]> {
    const failures: string[] = [];
    for (let next = this.releases.pop(); next !== undefined; next = this.releases.pop()) {
      try {
        await next.release();
      } catch (error) {
        failures.push(`${next.label}: ${errorMessage(error)}`);
      }
    }
    return failures;
  }

  /** Runs `start`; if it throws, releases what was registered so far and rethrows. */
  async unwindOnFailure<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.releaseAll();
      throw error;
    }
  }

  async dispose(what: string): Promise<void> {
    const failures = await this.releaseAll();
    if (failures.length > 0) throw new Error(`${what} cleanup: ${failures.join('; ')}`);
  }
}
