import { errorMessage } from '../errors.js';

type Release = () => Promise<void> | void;

interface Registration {
  readonly label: string;
  readonly release: Release;
}

/**
 * The one owner of everything a run creates. Resources are released in reverse order of
 * registration, each at most once, and a failing release never stops the others.
 */
export class ResourceOwner {
  private readonly stack: Registration[] = [];
  private releasing: Promise<string[]> | undefined;

  /** Registers a release; returns a function that releases just this one, early. */
  register(label: string, release: Release): () => Promise<void> {
    const registration: Registration = { label, release };
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
    for (let next = this.stack.pop(); next !== undefined; next = this.stack.pop()) {
      try {
        await next.release();
      } catch (error) {
        failures.push(`${next.label}: ${errorMessage(error)}`);
      }
    }
    this.releasing = undefined;
    return failures;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.releaseAll();
  }
}
