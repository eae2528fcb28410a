import type { HistoryEvent } from '../observe/history-types.js';
import { phaseWindow } from './history-series.js';
import type { NodeFailure } from './verdict-types.js';

/**
 * Exits the services have no code for (anything but clean 0, 70, 75 or 137) and a configuration
 * refused at start: the service itself crashed. Neither the fault nor self-protection, so never cascade.
 */
const FAILURE_CAUSES: ReadonlySet<string> = new Set(['unknown', 'config-error']);

export function isNodeFailureCause(cause: string | undefined): boolean {
  return cause !== undefined && FAILURE_CAUSES.has(cause);
}

/** Every node (any role) that failed before teardown, in the order they went down. */
export function nodeFailures(events: readonly HistoryEvent[]): NodeFailure[] {
  const teardown = phaseWindow(events, 'teardown')?.from ?? Number.POSITIVE_INFINITY;
  return events.flatMap((e) =>
    e.type === 'node' && e.change === 'down' && e.t < teardown && isNodeFailureCause(e.cause)
      ? [{ node: e.node, role: e.role, t: e.t, exitCode: e.exitCode ?? null }]
      : [],
  );
}

/** `node failed (exit 1)` */
export function describeNodeFailure(failure: NodeFailure): string {
  return `node failed (exit ${failure.exitCode ?? 'unknown'})`;
}
