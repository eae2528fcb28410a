import type { ResourceOwner } from './owner.js';

export type InterruptHandler = (signal: NodeJS.Signals) => void;

/**
 * Releases the owner's resources on SIGINT or SIGTERM, then exits with 130 (SIGINT) or
 * 143 (SIGTERM). `onInterrupt` runs first, so a runner can heal faults and flush its history.
 * Returns a function that removes the handlers.
 */
export function releaseOnSignals(
  owner: ResourceOwner,
  onInterrupt: (signal: NodeJS.Signals) => Promise<void> | void = () => undefined,
): () => void {
  let handling = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (handling) return;
    handling = true;
    void (async () => {
      try {
        await onInterrupt(signal);
      } finally {
        const failures = await owner.releaseAll();
        for (const failure of failures) process.stderr.write(`cleanup: ${failure}\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
    })();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
