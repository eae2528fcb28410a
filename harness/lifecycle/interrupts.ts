import type { ResourceOwner } from './owner.js';

/**
 * A repeat of the signal this soon is the same interrupt delivered twice, not a user insisting: a
 * signal to the process group reaches the harness directly, and `npm run` forwards it once more.
 */
export const relayWindowMs = 1_000;

export interface InterruptHandlerOptions {
  /** The first signal: say what happens now. */
  readonly announce: (signal: NodeJS.Signals) => void;
  /** A later signal, outside the relay window: the user insists. */
  readonly force: (signal: NodeJS.Signals) => void;
  readonly now?: () => number;
}

export interface InterruptHandler {
  /** Aborted at the first signal: the runs heal, write their histories and tear down. */
  readonly signal: AbortSignal;
  /** `Date.now()` of the first signal; undefined until then. */
  readonly receivedAt: number | undefined;
  /** The live owners of the runs (runs add and delete theirs): each is interrupted at the first signal, or as it joins after it. */
  readonly owners: Set<ResourceOwner>;
  handle(signal: NodeJS.Signals): void;
}

/** What SIGINT and SIGTERM do to a run: the first interrupts, a repeat within the relay window is ignored, a later one forces. */
export function createInterruptHandler(options: InterruptHandlerOptions): InterruptHandler {
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  let receivedAt: number | undefined;
  const owners = new OwnersInterruptedOnJoin(controller.signal);
  return {
    signal: controller.signal,
    get receivedAt() {
      return receivedAt;
    },
    owners,
    handle(signal) {
      if (receivedAt === undefined) {
        receivedAt = now();
        options.announce(signal);
        for (const owner of owners) owner.interrupt();
        controller.abort();
        return;
      }
      if (now() - receivedAt < relayWindowMs) return;
      options.force(signal);
    },
  };
}

class OwnersInterruptedOnJoin extends Set<ResourceOwner> {
  constructor(private readonly interrupted: AbortSignal) {
    super();
  }

  override add(owner: ResourceOwner): this {
    super.add(owner);
    if (this.interrupted.aborted) owner.interrupt();
    return this;
  }
}

export interface InterruptWatch extends Omit<InterruptHandler, 'handle'> {
  dispose(): void;
}

/** Installs the handler for SIGINT and SIGTERM until `dispose()`. */
export function watchInterrupts(options: InterruptHandlerOptions): InterruptWatch {
  const handler = createInterruptHandler(options);
  const listener = (signal: NodeJS.Signals): void => handler.handle(signal);
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return {
    signal: handler.signal,
    get receivedAt() {
      return handler.receivedAt;
    },
    owners: handler.owners,
    dispose() {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    },
  };
}
