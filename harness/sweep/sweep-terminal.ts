import Table from 'cli-table3';
import pc from 'picocolors';
import { formatMeasured } from '../report/format-values.js';
import { formatInterval, formatRate, leftOut } from '../report/repeat-format.js';
import { pointsByValue, type SweepDocument } from './sweep-document.js';
import type { PointStatus } from './sweep-point.js';

type Colors = ReturnType<typeof pc.createColors>;

const marks: Record<PointStatus, string> = { holds: '✔ holds', breaks: '✘ breaks', saturated: '? saturated', unknown: '? unknown' };

function paint(c: Colors, status: PointStatus | 'margin-ok' | 'margin-bad' | 'margin-unknown', text: string): string {
  if (status === 'holds' || status === 'margin-ok') return c.green(text);
  if (status === 'breaks' || status === 'margin-bad') return c.red(text);
  return c.yellow(text);
}

/** The sweep at a glance: the margin first, what ended the bisection, then one row per point by value. */
export function renderSweepTerminal(document: SweepDocument, options: { readonly color: boolean }): string {
  const c = pc.createColors(options.color);
  const { sweep } = document;
  const header = `${c.bold(document.scenario)}  sweep ${sweep.param.path} from ${formatMeasured(sweep.param.from)} to ${formatMeasured(sweep.param.to)}  ${sweep.architecture} expected ${sweep.expectation}  ${sweep.repeat} runs a point  base seed ${sweep.baseSeed}  platform ${document.platform}  ${c.dim(document.generatedAt)}`;
  const holds = sweep.margin.shippedHolds;
  const margin = paint(c, holds === true ? 'margin-ok' : holds === false ? 'margin-bad' : 'margin-unknown', sweep.margin.text);
  const table = new Table({ head: ['value', 'point', 'passed', 'rate', '95% CI', 'left out', 'run #'], style: { head: [], border: [], compact: true } });
  for (const point of pointsByValue(document)) {
    const shipped = point.value === sweep.param.shipped ? ' (shipped)' : '';
    table.push([
      `${formatMeasured(point.value)}${shipped}`,
      paint(c, point.status, marks[point.status]),
      `${point.met.passes}/${point.met.runs}`,
      formatRate(point.met),
      point.met.runs === 0 ? '—' : formatInterval(point.met.wilson95),
      [...leftOut(point.met), ...(point.stoppedEarly ? ['stopped early'] : [])].join(', '),
      String(point.index),
    ]);
  }
  return [header, margin, c.dim(sweep.stop.text), table.toString(), c.dim(`a point ${sweep.holdsRule.replace(/^a point /, '')}`), c.dim('each point\'s runs and repeat reports: point-<#>-value-<value>/')].join('\n');
}
