import type { NodePlacement } from '../platform/platform.js';
import { describeNodeFailure } from '../verdict/node-failures.js';
import type { ArchitectureVerdict } from '../verdict/verdict-types.js';
import { formatPercent } from './format-values.js';

/** `vm: login, toxiproxy, sn-2 (+14); sc-w1: sn-1, sn-3 (+20)`: each machine, its node count and the first nodes. */
export function describePlacement(placement: NodePlacement, namesShown = 3): string {
  return Object.entries(placement.byHost)
    .map(([host, names]) => `${host}: ${names.length} (${names.slice(0, namesShown).join(', ')}${names.length > namesShown ? ', ...' : ''})`)
    .join('; ');
}

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
    ...(run.placement === undefined ? [] : [{ label: 'placed on', value: describePlacement(run.placement) }]),
  ];
}
