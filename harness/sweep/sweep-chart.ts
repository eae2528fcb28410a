import { formatMeasured } from '../report/format-values.js';
import { escapeHtml as esc } from '../report/html-escape.js';
import { formatInterval } from '../report/repeat-format.js';
import { judgedTally, judgedVerb } from './holds-when.js';
import { pointsByValue, type SweepDocument } from './sweep-document.js';
import { scaledNote } from './sweep-scale.js';

const layout = { width: 640, height: 300, left: 56, right: 24, top: 24, bottom: 64 } as const;

/**
 * An inline SVG of the rate a point is judged by (the expectation's pass rate; under `--holds-when
 * delivered`, the share of runs delivered) against the parameter: one dot per point at its rate with
 * its 95% Wilson interval as a bar, the bracket the breaking point lies in shaded, the shipped value
 * as a dashed line. Points that were not judged (saturated, unknown) sit hollow under the axis.
 */
export function renderSweepChart(document: SweepDocument): string {
  const { sweep } = document;
  const points = pointsByValue(document);
  const lo = Math.min(sweep.param.from, sweep.param.shipped);
  const hi = Math.max(sweep.param.to, sweep.param.shipped);
  const plotRight = layout.width - layout.right;
  const plotBottom = layout.height - layout.bottom;
  const x = (value: number): number => (hi === lo ? (layout.left + plotRight) / 2 : layout.left + ((value - lo) / (hi - lo)) * (plotRight - layout.left));
  const y = (rate: number): number => plotBottom - rate * (plotBottom - layout.top);
  const f = (n: number): string => n.toFixed(1);

  const grid = [0, 0.5, 1]
    .map((rate) => `<line class="guide" x1="${layout.left}" y1="${f(y(rate))}" x2="${plotRight}" y2="${f(y(rate))}"/><text class="tick" x="${layout.left - 6}" y="${f(y(rate) + 4)}" text-anchor="end">${rate * 100}%</text>`)
    .join('');
  const bracket =
    sweep.bracket === null
      ? ''
      : (() => {
          const left = x(Math.min(sweep.bracket.holds, sweep.bracket.breaks));
          const right = x(Math.max(sweep.bracket.holds, sweep.bracket.breaks));
          return `<rect class="bracket" x="${f(left)}" y="${layout.top}" width="${f(Math.max(1, right - left))}" height="${plotBottom - layout.top}"><title>${esc(`the breaking point lies between ${formatMeasured(sweep.bracket.holds)} and ${formatMeasured(sweep.bracket.breaks)}`)}</title></rect>`;
        })();
  const shippedX = x(sweep.param.shipped);
  const shipped = `<line class="shipped" x1="${f(shippedX)}" y1="${layout.top - 8}" x2="${f(shippedX)}" y2="${plotBottom}"/><text class="shipped-label" x="${f(shippedX)}" y="${layout.top - 11}" text-anchor="middle">${esc(`ships ${formatMeasured(sweep.param.shipped)}`)}</text>`;
  const marks = points
    .map((point) => {
      const cx = f(x(point.value));
      const tally = judgedTally(point, sweep.holdsWhen);
      const tip = `${sweep.param.path} = ${formatMeasured(point.value)}${scaledNote(point.set, sweep.param.scaleWith)}: ${point.status}, ${tally.passes}/${tally.runs} ${judgedVerb(sweep.holdsWhen)}${tally.runs === 0 ? '' : `, 95% CI ${formatInterval(tally.wilson95)}`}`;
      if (tally.rate === null || (point.status !== 'holds' && point.status !== 'breaks')) {
        return `<g class="point ${point.status}" data-value="${esc(String(point.value))}"><circle class="dot ${point.status}" cx="${cx}" cy="${f(plotBottom + 16)}" r="5"><title>${esc(tip)}</title></circle><text class="tick" x="${cx}" y="${f(plotBottom + 32)}" text-anchor="middle">${esc(point.status)}</text></g>`;
      }
      const [low, high] = tally.wilson95;
      return `<g class="point ${point.status}" data-value="${esc(String(point.value))}"><line class="ci" x1="${cx}" y1="${f(y(low))}" x2="${cx}" y2="${f(y(high))}"/><line class="ci" x1="${f(x(point.value) - 4)}" y1="${f(y(low))}" x2="${f(x(point.value) + 4)}" y2="${f(y(low))}"/><line class="ci" x1="${f(x(point.value) - 4)}" y1="${f(y(high))}" x2="${f(x(point.value) + 4)}" y2="${f(y(high))}"/><circle class="dot ${point.status}" cx="${cx}" cy="${f(y(tally.rate))}" r="5"><title>${esc(tip)}</title></circle></g>`;
    })
    .join('');
  const axis = [
    `<line class="axis" x1="${layout.left}" y1="${plotBottom}" x2="${plotRight}" y2="${plotBottom}"/>`,
    `<text class="tick" x="${layout.left}" y="${layout.height - 12}" text-anchor="start">${esc(formatMeasured(lo))}</text>`,
    `<text class="tick" x="${plotRight}" y="${layout.height - 12}" text-anchor="end">${esc(formatMeasured(hi))}</text>`,
    `<text class="label" x="${f((layout.left + plotRight) / 2)}" y="${layout.height - 12}" text-anchor="middle">${esc(sweep.param.path)}</text>`,
  ].join('');
  const title = sweep.holdsWhen === 'delivered' ? `share of runs delivered against ${sweep.param.path}` : `${sweep.expectation} pass rate against ${sweep.param.path}`;
  return `<svg class="sweep" role="img" aria-label="${esc(title)}" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}"><title>${esc(title)}</title>${grid}${bracket}${shipped}${marks}${axis}</svg>`;
}
