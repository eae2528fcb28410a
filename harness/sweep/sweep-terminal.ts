import Table from 'cli-table3';
import pc from 'picocolors';
import { formatMeasured } from '../report/format-values.js';
import { formatInterval, formatPasses, formatRate, leftOut } from '../report/repeat-format.js';
import { judgedTally, judgedVerb, sweptSubject } from './holds-when.js';
import { pointsByValue, type SweepDocument } from './sweep-document.js';
import type { PointStatus } from './sweep-point.js';
import { scaledNote, scalingText } from './sweep-scale.js';

type Colors = ReturnType<typeof pc.createColors>;

const marks: Record<PointStatus, string> = { holds: '✔ holds', breaks: '✘ breaks', saturated: '? saturated', unknown: '? unknown' };

function paint(c: Colors, status: PointStatus | 'margin-ok' | 'margin-bad' | 'margin-unknown', text: string): string {
  if (status === 'holds' || status === 'margin-ok') return c.green(text);
  if (status === 'breaks' || status === 'margin-bad') return c.red(text);
  return c.yellow(text);
}

/**
 * The sweep at a glance: the margin first, what ended the bisection, then one row per point by value
 * (with the values of the `--scale-with` fields it set) and the tally it is judged by (under
 * `--holds-when delivered`, the runs delivered, and what the expectation did beside it).
 */
export function renderSweepTerminal(document: SweepDocument, options: { readonly color: boolean }): string {
  const c = pc.createColors(options.color);
  const { sweep } = document;
  const scaling = scalingText(sweep.param.scaleWith);
  const header = `${c.bold(document.scenario)}  sweep ${sweep.param.path} from ${formatMeasured(sweep.param.from)} to ${formatMeasured(sweep.param.to)}${scaling === '' ? '' : `, ${scaling}`}  ${sweptSubject(sweep)}  ${sweep.repeat} runs a point  base seed ${sweep.baseSeed}  platform ${document.platform}  ${c.dim(document.generatedAt)}`;
  const holds = sweep.margin.shippedHolds;
  const margin = paint(c, holds === true ? 'margin-ok' : holds === false ? 'margin-bad' : 'margin-unknown', sweep.margin.text);
  const delivered = sweep.holdsWhen === 'delivered';
  const head = ['value', 'point', judgedVerb(sweep.holdsWhen), 'rate', '95% CI', 'left out', ...(delivered ? ['expectation'] : []), 'run #'];
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const point of pointsByValue(document)) {
    const shipped = point.value === sweep.param.shipped ? ' (shipped)' : '';
    const tally = judgedTally(point, sweep.holdsWhen);
    table.push([
      `${formatMeasured(point.value)}${scaledNote(point.set, sweep.param.scaleWith)}${shipped}`,
      paint(c, point.status, marks[point.status]),
      `${tally.passes}/${tally.runs}`,
      formatRate(tally),
      tally.runs === 0 ? '—' : formatInterval(tally.wilson95),
      [...leftOut(tally), ...(point.stoppedEarly ? ['stopped early'] : [])].join(', '),
      ...(delivered ? [formatPasses(point.met)] : []),
      String(point.index),
    ]);
  }
  return [header, margin, c.dim(sweep.stop.text), table.toString(), c.dim(`a point ${sweep.holdsRule.replace(/^a point /, '')}`), c.dim('each point\'s runs and repeat reports: point-<#>-value-<value>/')].join('\n');
}
