import pLimit from 'p-limit';
import { errorMessage } from '../errors.js';

type Release = () => Promise<void> | void;

interface Registration {
  readonly label: string;
  readonly release: Release;
  readonly batch: string | undefined;
}

/** Releases of one batch that run at once (containers stopping, proxies deleted). */
const batchConcurrency = 8;

/**
 * The one owner of everything a run creates. Resources are released in reverse order of
 * registration, each at most once, and a failing release never stops the others. Neighbours
 * on the stack registered with the same `batch` (peers that do not depend on one another,
 * such as the nodes of a run) are released together, a few at a time.
 */
export class ResourceOwner {
  private readonly stack: Registration[] = [];
  private releasing: Promise<string[]> | undefined;

  /** Registers a release; returns a function that releases just this one, early. */
  register(label: string, release: Release, batch?: string): () => Promise<void> {
    const registration: Registration = { label, release, batch };
    this.stack.push(registration);
    return async () => {
      const index = this.stack.indexOf(registration);
      if (index === -1) return;
      this.stack.splice(index, 1);
      await registration.release();
    };
  }

  get size(): number {
    return this.stack.length;
  }

  /** Releases everything, newest first. Returns the failures as messages (never throws). */
  releaseAll(): Promise<string[]> {
    this.releasing ??= this.drain();
    return this.releasing;
  }

  private async drain(): Promise<string[]> {
    const failures: string[] = [];
    const limit = pLimit(batchConcurrency);
    for (let next = this.stack.pop(); next !== undefined; next = this.stack.pop()) {
      const group = [next];
      while (next.batch !== undefined && this.stack.at(-1)?.batch === next.batch) group.push(this.stack.pop() as Registration);
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
