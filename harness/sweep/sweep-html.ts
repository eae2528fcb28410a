import { writeFile } from 'node:fs/promises';
import { formatMeasured, outcomeMark } from '../report/format-values.js';
import { escapeHtml as esc } from '../report/html-escape.js';
import { pageHead, SUMMARY_PAGE_CSS } from '../report/html-page.js';
import { formatInterval, formatPasses, formatRate, leftOut } from '../report/repeat-format.js';
import { judgedTally, judgedVerb, sweptSubject, type HoldsWhen } from './holds-when.js';
import { renderSweepChart } from './sweep-chart.js';
import { pointsByValue, type SweepDocument, type SweepPointEntry } from './sweep-document.js';
import { scaledNote, scalingText, type ScaledFieldEntry } from './sweep-scale.js';

const css = `
table { border-collapse: collapse; margin: 6px 0 12px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; } td.num { font-variant-numeric: tabular-nums; }
tr.holds td.verdict { color: var(--pass); font-weight: 600; } tr.breaks td.verdict { color: var(--fail); font-weight: 600; }
tr.saturated td.verdict, tr.unknown td.verdict { color: var(--unknown); font-weight: 600; }
.legend, .rule { color: var(--muted); font-size: 12px; }
svg.sweep { display: block; max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg.sweep .guide { stroke: #eaeef2; } svg.sweep .axis { stroke: #8c959f; } svg.sweep .tick { fill: var(--muted); } svg.sweep .label { fill: #1f2328; font-weight: 600; }
svg.sweep .bracket { fill: #fff8c5; } svg.sweep .shipped { stroke: #0969da; stroke-width: 1.5; stroke-dasharray: 4 3; } svg.sweep .shipped-label { fill: #0969da; font-weight: 600; }
svg.sweep .ci { stroke: #57606a; stroke-width: 1.5; } svg.sweep .dot.holds { fill: var(--pass); } svg.sweep .dot.breaks { fill: var(--fail); }
svg.sweep .dot.saturated, svg.sweep .dot.unknown { fill: #fff; stroke: var(--unknown); stroke-width: 1.5; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin: 0 4px 0 10px; vertical-align: middle; }
.swatch.holds { background: var(--pass); } .swatch.breaks { background: var(--fail); } .swatch.unknown { border: 1.5px solid var(--unknown); } .swatch.bracket { background: #fff8c5; border-radius: 0; }
`;

const statusMark = { holds: outcomeMark('pass'), breaks: outcomeMark('fail'), saturated: outcomeMark('unknown'), unknown: outcomeMark('unknown') } as const;

/** The words the chart and the table are headed with, by the rule a point holds by. */
const headings = {
  expectation: { chart: 'Expectation met against', legend: 'Pass rate per point', notBisected: 'saturated or unknown', failingSeeds: 'failing seeds' },
  delivered: { chart: 'Load delivered against', legend: 'Share of runs delivered per point', notBisected: 'unknown', failingSeeds: 'saturated seeds' },
} as const satisfies Record<HoldsWhen, Record<string, string>>;

/** The report.html of a sweep: the margin, the rate against the parameter, one row per point. Self-contained. */
export function renderSweepHtml(document: SweepDocument): string {
  const { sweep } = document;
  const words = headings[sweep.holdsWhen];
  const delivered = sweep.holdsWhen === 'delivered';
  const holds = sweep.margin.shippedHolds;
  const overall = holds === true ? 'pass' : holds === false ? 'fail' : 'unknown';
  return `${pageHead(`${document.scenario}: sweep of ${sweep.param.path}`, "default-src 'none'; style-src 'unsafe-inline'; img-src data:", [SUMMARY_PAGE_CSS, css])}
<body>
<header>
<h1>${esc(document.scenario)}: ${esc(sweep.param.path)}</h1>
<p>${esc(document.description)}</p>
<p class="meta"><span>${esc(sweptSubject(sweep))}</span><span>${esc(`${formatMeasured(sweep.param.from)} to ${formatMeasured(sweep.param.to)}`)}</span>${sweep.param.scaleWith.length === 0 ? '' : `<span>${esc(scalingText(sweep.param.scaleWith))}</span>`}<span>${esc(`${sweep.repeat} runs a point, seeds ${sweep.seeds.join(', ')}`)}</span><span>platform ${esc(document.platform)}</span><span>generated ${esc(document.generatedAt)}</span></p>
<div class="overall ${overall}" data-overall="${overall}">${esc(sweep.margin.text)}</div>
<p class="meta">${esc(sweep.stop.text)}</p>
</header>
<section class="chart">
<h2>${words.chart} ${esc(sweep.param.path)}</h2>
<p class="legend">${words.legend} with its 95% Wilson interval.<span class="swatch holds"></span>holds<span class="swatch breaks"></span>breaks<span class="swatch unknown"></span>${words.notBisected} (not bisected on)<span class="swatch bracket"></span>where the breaking point lies</p>
<figure>${renderSweepChart(document)}</figure>
</section>
<section class="points">
<h2>Points</h2>
<table><thead><tr><th>value</th><th>point</th><th>${judgedVerb(sweep.holdsWhen)}</th><th>rate</th><th>95% CI (Wilson)</th><th>left out</th><th>${words.failingSeeds}</th>${delivered ? '<th>expectation</th>' : ''}<th>run #</th><th>report</th></tr></thead><tbody>
${pointsByValue(document).map((point) => pointRow(point, sweep.param, sweep.holdsWhen)).join('\n')}
</tbody></table>
<p class="rule">A point ${esc(sweep.holdsRule.replace(/^a point /, ''))}.</p>
</section>
</body>
</html>
`;
}

export async function writeSweepHtml(file: string, document: SweepDocument): Promise<string> {
  await writeFile(file, renderSweepHtml(document), 'utf8');
  return file;
}

function pointRow(point: SweepPointEntry, param: { readonly shipped: number; readonly scaleWith: readonly ScaledFieldEntry[] }, holdsWhen: HoldsWhen): string {
  const value = `${formatMeasured(point.value)}${scaledNote(point.set, param.scaleWith)}${point.value === param.shipped ? ' (shipped)' : ''}`;
  const tally = judgedTally(point, holdsWhen);
  const ci = tally.runs === 0 ? '—' : formatInterval(tally.wilson95);
  const left = [...leftOut(tally), ...(point.stoppedEarly ? ['stopped early'] : [])].join(', ');
  const expectation = holdsWhen === 'delivered' ? `<td>${esc(formatPasses(point.met))}</td>` : '';
  return `<tr class="${point.status}" data-value="${esc(String(point.value))}"><td class="num">${esc(value)}</td><td class="verdict">${statusMark[point.status]} ${esc(point.status)}</td><td class="num">${tally.passes}/${tally.runs}</td><td class="num">${esc(formatRate(tally))}</td><td class="num">${esc(ci)}</td><td>${esc(left)}</td><td class="num">${esc(tally.failingSeeds.join(', '))}</td>${expectation}<td class="num">${point.index}</td><td><a href="${esc(`${point.dir}/report.html`)}">${esc(point.dir)}</a></td></tr>`;
}
