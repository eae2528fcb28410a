import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { ChaosError } from '../errors.js';
import type { HistoryEvent } from '../observe/history-types.js';
import type { Architecture } from '../scenario/types.js';
import { reportOutcome } from '../verdict/run-report.js';
import type { ArchitectureVerdict, CheckOutcome, RunReport } from '../verdict/verdict-types.js';
import { chartSeriesOf, type ChartSeries } from './chart-data.js';
import { renderControlsHtml } from './controls-html.js';
import { fidelityCells, formatMeasured, interruptionNote, outcomeMark, summaryFigures } from './format-values.js';
import { escapeHtml as esc, inlineScript, jsonForScript } from './html-escape.js';
import { loadFigures } from './load-figures.js';
import { runHealthFigures } from './run-health-figures.js';
import { pageHead } from './html-page.js';
import { onlineComparison } from './online-comparison.js';
import { verdictLine } from './verdict-line.js';

/** The code and styles inlined into report.html, so it opens with no network. */
export interface HtmlAssets {
  readonly uplotJs: string;
  readonly uplotCss: string;
  readonly clientJs: string;
  readonly css: string;
}

export type Histories = Readonly<Partial<Record<Architecture, readonly HistoryEvent[]>>>;

const charts = [
  { id: 'online', title: 'Online clients (and % of steady state), per architecture' },
  { id: 'supernodes', title: 'Supernodes serving vs in the network' },
  { id: 'load', title: 'Supernode load vs capacity' },
  { id: 'lookups', title: 'Lookup success per interval' },
] as const;

export const CHARTS_PER_ARCHITECTURE = charts.length;

/** The chart holding every architecture's online share. */
export const COMPARISON_CHART = 'compare';

/** Details up to this long are shown in the table; longer ones behind a toggle. */
export const DETAIL_INLINE_CHARS = 100;
const DETAIL_SUMMARY_CHARS = 70;

export async function loadHtmlAssets(): Promise<HtmlAssets> {
  const require = createRequire(import.meta.url);
  const read = async (file: string | URL): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new ChaosError('PROVISION_FAILED', `cannot read report asset ${String(file)}`, {
        hint: 'reinstall the dependencies with `npm ci` (the HTML report inlines uplot from node_modules)',
        cause: error,
      });
    }
  };
  const resolveUplot = (file: string): string => {
    try {
      return require.resolve(`uplot/dist/${file}`);
    } catch (error) {
      throw new ChaosError('PROVISION_FAILED', `the uplot package is missing (${file})`, {
        hint: 'reinstall the dependencies with `npm ci`',
        cause: error,
      });
    }
  };
  const [uplotJs, uplotCss, clientJs, css] = await Promise.all([
    read(resolveUplot('uPlot.iife.min.js')),
    read(resolveUplot('uPlot.min.css')),
    read(new URL('./assets/report-client.js', import.meta.url)),
    read(new URL('./assets/report.css', import.meta.url)),
  ]);
  return { uplotJs, uplotCss, clientJs, css };
}

export function renderHtmlReport(report: RunReport, histories: Histories, assets: HtmlAssets): string {
  const series: Partial<Record<Architecture, ChartSeries>> = {};
  for (const run of report.runs) {
    const history = histories[run.architecture];
    if (history !== undefined) series[run.architecture] = chartSeriesOf(run.architecture, history, run.summary.steadyOnlineClients);
  }
  const comparison = onlineComparison(report.runs.flatMap((run) => series[run.architecture] ?? []));
  const overall = reportOutcome(report);
  const cols = `style="--cols: ${Math.max(1, report.runs.length)}"`;

  const contentPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
  return `${pageHead(`${report.scenario}: chaos report`, contentPolicy, [assets.uplotCss, assets.css])}
<body>
<header>
<h1>${esc(report.scenario)}</h1>
<p class="meta"><span>seed ${esc(String(report.seed))}</span><span>platform ${esc(report.platform)}</span><span>generated ${esc(report.generatedAt)}</span></p>
<p class="description">${esc(report.description)}</p>
</header>
<section class="verdict" aria-label="verdict">
<div class="overall ${overall}" data-overall="${overall}">${esc(overallText(report.runs, overall))}</div>
<ul class="verdict-lines">
${report.runs.map(renderVerdictLine).join('\n')}
</ul>
</section>
<section class="charts">
${renderLegend(report.runs, series)}
${comparison === null ? '' : renderComparison(report.runs)}
${charts.map((chart) => renderChartRow(chart, report.runs, series, cols)).join('\n')}
</section>
<section class="tables">
<h2 class="section">Figures and targets</h2>
<div class="columns" ${cols}>
${report.runs.map(renderRunCard).join('\n')}
</div>
<div class="columns" ${cols}>
${report.runs.map((run) => renderTimeline(run.architecture, series[run.architecture])).join('\n')}
</div>
</section>
${report.controls === undefined ? '' : renderControlsHtml(report.controls)}
<script type="application/json" id="report-data">${jsonForScript({ report, series, comparison })}</script>
<script>${inlineScript(assets.uplotJs)}</script>
<script>${inlineScript(assets.clientJs)}</script>
</body>
</html>
`;
}

export async function writeHtmlReport(file: string, report: RunReport, histories: Histories, assets?: HtmlAssets): Promise<string> {
  await writeFile(file, renderHtmlReport(report, histories, assets ?? (await loadHtmlAssets())), 'utf8');
  return file;
}

function renderVerdictLine(run: ArchitectureVerdict): string {
  const line = verdictLine(run);
  return `<li class="${line.verdict}" data-architecture="${esc(line.architecture)}" data-verdict="${line.verdict}"><strong>${esc(line.architecture)}</strong> <span class="expected">${esc(line.expected)}</span> <span class="got">${esc(line.got)}</span></li>`;
}

/** What the x axis shows, the shading, and how much of each run before T0 is folded away. */
function renderLegend(runs: readonly ArchitectureVerdict[], series: Partial<Record<Architecture, ChartSeries>>): string {
  const folded = runs.flatMap((run) => {
    const data = series[run.architecture];
    return data === undefined || data.viewStart <= 0 ? [] : [`${run.architecture} ${data.viewStart.toFixed(0)} s`];
  });
  const fold = folded.length === 0 ? '' : ` Before T0 the deployment and the login ramp are folded away (${esc(folded.join(', '))}); the grey lead-in is the steady state just before T0.`;
  return `<p class="legend-note">x axis: scenario hours from T0, the start of the timeline, over seconds since the run started.${fold}<span class="swatch fault"></span>fault window (inject → heal)<span class="swatch remedy"></span>remedy<span class="swatch mark"></span>mark<span class="swatch lead"></span>before T0</p>`;
}

/** Every architecture's online share on one chart: the comparison the scenario exists for. */
function renderComparison(runs: readonly ArchitectureVerdict[]): string {
  const names = runs.map((run) => run.architecture).join(' vs ');
  return `<h3>Online clients, % of steady state: ${esc(names)}</h3>
<figure class="comparison"><div class="chart" data-chart="${COMPARISON_CHART}"></div></figure>`;
}

function renderRunCard(run: ArchitectureVerdict): string {
  const figures = summaryFigures(run.summary)
    .map((f) => `<tr><td>${esc(f.label)}</td><td class="num">${esc(f.value)}</td></tr>`)
    .join('');
  const targets = run.targets
    .map(
      (t) =>
        `<tr class="${t.outcome}" data-outcome="${t.outcome}"><td>${esc(t.name)}</td><td class="num">${esc(t.target)}</td><td class="num">${esc(formatMeasured(t.measured))}</td><td class="verdict">${outcomeMark(t.outcome)} ${t.outcome}</td><td class="detail">${renderDetail(t.detail)}</td></tr>`,
    )
    .join('\n');
  return `<article class="arch" data-architecture="${esc(run.architecture)}" data-verdict="${run.verdict}">
<h2>${esc(run.architecture)} <span class="badge ${run.verdict}">${outcomeMark(run.verdict)} ${run.verdict}</span></h2>
<p class="expectation">expectation <strong>${esc(run.expectation)}</strong> · run ${esc(run.outcome)}</p>
${renderInterruption(run)}<table class="summary"><tbody>${figures}</tbody></table>
${renderFidelity(run)}
${renderOfferedLoad(run)}
${renderRunHealth(run)}
<table class="targets"><thead><tr><th>target</th><th>wanted</th><th>measured</th><th>verdict</th><th></th></tr></thead><tbody>
${targets}
</tbody></table>
</article>`;
}

/** A detail longer than a line (a cascade's forty supernodes and their times) stays behind a toggle, its opening words shown. */
function renderDetail(detail: string | undefined): string {
  if (detail === undefined || detail.length <= DETAIL_INLINE_CHARS) return esc(detail ?? '');
  const head = detail.split(/[:;]/)[0] ?? detail;
  const summary = head.length <= DETAIL_SUMMARY_CHARS ? head : `${head.slice(0, DETAIL_SUMMARY_CHARS - 1)}…`;
  return `<details class="long"><summary>${esc(summary)}</summary><p>${esc(detail)}</p></details>`;
}

/** A run interrupted in its rollback or teardown: marked, its verdict kept. */
function renderInterruption(run: ArchitectureVerdict): string {
  const note = interruptionNote(run);
  return note === undefined ? '' : `<p class="interrupted" data-interrupted-during="${esc(run.interruptedDuring ?? '')}">${esc(note)}</p>\n`;
}

/** Offered load per supernode, predicted beside measured, the surge, what bounds it, and whether the harness delivered it. */
function renderOfferedLoad(run: ArchitectureVerdict): string {
  const rows = loadFigures(run)
    .map((f) => `<tr><td>${esc(f.label)}</td><td class="num">${esc(f.value)}</td></tr>`)
    .join('');
  const limit = run.load?.limit === undefined ? '' : `<p class="surge-limit">${esc(run.load.limit)}</p>`;
  return `<table class="load"><caption>offered load (per supernode)</caption><tbody>${rows}</tbody></table>${limit}`;
}

/** Fleet samples the harness could not read, and nodes that failed on their own. */
function renderRunHealth(run: ArchitectureVerdict): string {
  const rows = runHealthFigures(run)
    .map((f) => `<tr><td>${esc(f.label)}</td><td class="num">${esc(f.value)}</td></tr>`)
    .join('');
  return `<table class="health"><caption>harness reads and node failures</caption><tbody>${rows}</tbody></table>`;
}

/** The scenario's post-mortem figures beside the run's: informational, not targets; nothing when it states none. */
function renderFidelity(run: ArchitectureVerdict): string {
  const cells = fidelityCells(run.summary);
  if (cells.length === 0) return '';
  const rows = cells
    .map((f) => `<tr><td>${esc(f.quantity)}</td><td>${esc(f.published)}</td><td class="num">${esc(f.expected)}</td><td class="num">${esc(f.measured)}</td></tr>`)
    .join('');
  return `<table class="fidelity"><caption>published figures vs this run (informational)</caption><thead><tr><th>quantity</th><th>published</th><th>expected (scenario scale)</th><th>measured</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function renderChartRow(
  chart: (typeof charts)[number],
  runs: readonly ArchitectureVerdict[],
  series: Partial<Record<Architecture, ChartSeries>>,
  cols: string,
): string {
  const figures = runs.map((run) => {
    const data = series[run.architecture];
    const body =
      data === undefined || data.t.length === 0
        ? '<p class="empty">no samples in the history</p>'
        : `<div class="chart" data-chart="${chart.id}" data-architecture="${esc(run.architecture)}"></div>`;
    return `<figure><figcaption>${esc(run.architecture)}</figcaption>${body}</figure>`;
  });
  return `<h3>${esc(chart.title)}</h3>\n<div class="columns" ${cols}>${figures.join('')}</div>`;
}

function renderTimeline(architecture: Architecture, data: ChartSeries | undefined): string {
  const entries = data?.timeline ?? [];
  const hours = (t: number): string => {
    if (data?.msPerScenarioHour == null) return '';
    const h = ((t - data.timelineStart) * 1000) / data.msPerScenarioHour;
    return ` T${h < 0 ? '' : '+'}${h.toFixed(1)}h`;
  };
  const items = entries.map((e) => `<li>${esc(`${e.t.toFixed(1).padStart(6)}s${hours(e.t)}  ${e.text}`)}</li>`).join('\n');
  return `<details data-architecture="${esc(architecture)}"><summary>${esc(architecture)}: ${entries.length} events</summary><ol>
${items}
</ol></details>`;
}

function overallText(runs: readonly ArchitectureVerdict[], overall: CheckOutcome): string {
  if (overall === 'pass') return '✔ every expectation holds';
  const off = runs.filter((r) => r.verdict !== 'pass').map((r) => `${r.architecture} (${r.verdict})`);
  return `${overall === 'fail' ? '✘' : '?'} expectation not met: ${off.join(', ') || 'no architecture ran'}`;
}
