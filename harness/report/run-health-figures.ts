import { describeNodeFailure } from '../verdict/node-failures.js';
import type { ArchitectureVerdict } from '../verdict/verdict-types.js';
import { formatPercent } from './format-values.js';

export interface RunHealthFigure {
  readonly label: string;
  readonly value: string;
}

/**
 * What the harness could not read, and the nodes that failed on their own: in every report, beside
 * the summary. `—` for a verdict judged before these were counted.
 */
export function runHealthFigures(run: ArchitectureVerdict): readonly RunHealthFigure[] {
  const unread = run.unreadFleetSamples;
  const failed = run.nodesFailed;
  return [
    {
      label: 'fleet samples unread',
      value: unread === undefined ? '—' : `${unread.unread} of ${unread.samples}${unread.share === null ? '' : ` (${formatPercent(unread.share)})`}`,
    },
    {
      label: 'nodes failed (not cascade)',
      value: failed === undefined ? '—' : failed.length === 0 ? 'none' : failed.map((f) => `${f.node}: ${describeNodeFailure(f)}`).join(', '),
    },
  ];
}
