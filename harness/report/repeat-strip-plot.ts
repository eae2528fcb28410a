import { formatMeasured } from './format-values.js';
import { escapeHtml as esc } from './html-escape.js';

/** One run's value of a figure. */
export interface StripPoint {
  readonly value: number | null;
  readonly seed: number;
  /** `pass`, `fail` or `unknown` (saturated runs are unknown). */
  readonly outcome: 'pass' | 'fail' | 'unknown';
}

/** One row of a strip plot: an architecture's runs. */
export interface StripRow {
  readonly label: string;
  readonly points: readonly StripPoint[];
  readonly median: number | null;
}

const layout = { width: 640, rowHeight: 34, labelWidth: 110, nullWidth: 70, top: 8, axisHeight: 22 } as const;

/**
 * An inline SVG strip plot: a horizontal value axis shared by every row, one row per
 * architecture, one dot per run (coloured by the run's verdict, its seed and value in a
 * tooltip), the median as a tick, and the runs without a value counted at the right.
 */
export function renderStripPlot(title: string, rows: readonly StripRow[]): string {
  const values = rows.flatMap((row) => row.points.map((p) => p.value)).filter((v): v is number => v !== null);
  const lo = values.length === 0 ? 0 : Math.min(...values);
  const hi = values.length === 0 ? 1 : Math.max(...values);
  const plotLeft = layout.labelWidth;
  const plotRight = layout.width - layout.nullWidth;
  const x = (value: number): number => (hi === lo ? (plotLeft + plotRight) / 2 : plotLeft + ((value - lo) / (hi - lo)) * (plotRight - plotLeft));
  const height = layout.top + rows.length * layout.rowHeight + layout.axisHeight;
  const body = rows.map((row, index) => renderRow(row, layout.top + index * layout.rowHeight + layout.rowHeight / 2, x)).join('');
  const axisY = layout.top + rows.length * layout.rowHeight;
  const axis = [
    `<line class="axis" x1="${plotLeft}" y1="${axisY}" x2="${plotRight}" y2="${axisY}"/>`,
    `<text class="tick" x="${plotLeft}" y="${axisY + 16}" text-anchor="start">${esc(formatMeasured(values.length === 0 ? null : lo))}</text>`,
    `<text class="tick" x="${plotRight}" y="${axisY + 16}" text-anchor="end">${esc(formatMeasured(values.length === 0 ? null : hi))}</text>`,
  ].join('');
  return `<svg class="strip" role="img" aria-label="${esc(title)}" viewBox="0 0 ${layout.width} ${height}" width="${layout.width}" height="${height}"><title>${esc(title)}</title>${body}${axis}</svg>`;
}

function renderRow(row: StripRow, y: number, x: (value: number) => number): string {
  const nulls = row.points.filter((p) => p.value === null).length;
  const dots = row.points
    .map((point, index) => {
      if (point.value === null) return '';
      // A small fixed vertical offset per run keeps equal values visible as separate dots.
      const dy = ((index % 5) - 2) * 3;
      const tip = `seed ${point.seed}: ${formatMeasured(point.value)} (${point.outcome})`;
      return `<circle class="dot ${point.outcome}" data-seed="${esc(String(point.seed))}" cx="${x(point.value).toFixed(1)}" cy="${y + dy}" r="4"><title>${esc(tip)}</title></circle>`;
    })
    .join('');
  const median =
    row.median === null ? '' : `<line class="median" x1="${x(row.median).toFixed(1)}" y1="${y - 11}" x2="${x(row.median).toFixed(1)}" y2="${y + 11}"><title>${esc(`median ${formatMeasured(row.median)}`)}</title></line>`;
  return [
    `<g class="row" data-label="${esc(row.label)}">`,
    `<text class="label" x="4" y="${y + 4}">${esc(row.label)}</text>`,
    `<line class="guide" x1="${layout.labelWidth}" y1="${y}" x2="${layout.width - layout.nullWidth}" y2="${y}"/>`,
    median,
    dots,
    `<text class="nulls" x="${layout.width - 4}" y="${y + 4}" text-anchor="end">${nulls === 0 ? '' : esc(`${nulls} null`)}</text>`,
    '</g>',
  ].join('');
}
