import { writeFile } from 'node:fs/promises';
import type { ArchitectureRepeat, PassTally, RepeatDocument } from '../verdict/repeat-summary.js';
import { renderControlsHtml } from './controls-html.js';
import { outcomeMark } from './format-values.js';
import { escapeHtml as esc } from './html-escape.js';
import { pageHead } from './html-page.js';
import { fidelitySpread, formatInterval, formatRate, leftOut, repeatOutcome, repeatOutcomeText, runVerdictText } from './repeat-format.js';
import { renderStripPlot, type StripRow } from './repeat-strip-plot.js';

const css = `
:root { --pass: #1a7f37; --fail: #cf222e; --unknown: #9a6700; --muted: #57606a; --line: #d0d7de; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 24px 32px; color: #1f2328; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 20px 0 6px; } h3 { font-size: 15px; margin: 18px 0 4px; }
.meta { color: var(--muted); margin: 0; } .meta span + span::before { content: " · "; }
.overall { margin: 12px 0 8px; padding: 8px 12px; border-radius: 6px; font-weight: 600; display: inline-block; }
.overall.pass { background: #dafbe1; color: var(--pass); } .overall.fail { background: #ffebe9; color: var(--fail); } .overall.unknown { background: #fff8c5; color: var(--unknown); }
table { border-collapse: collapse; margin: 6px 0 12px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; } td.num { font-variant-numeric: tabular-nums; }
tr.pass td.verdict { color: var(--pass); font-weight: 600; } tr.fail td.verdict { color: var(--fail); font-weight: 600; } tr.unknown td.verdict { color: var(--unknown); font-weight: 600; }
figure { margin: 0; } details { margin: 4px 0 12px; } .legend { color: var(--muted); font-size: 12px; }
svg.strip { display: block; max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg.strip .guide { stroke: #eaeef2; } svg.strip .axis { stroke: #8c959f; } svg.strip .median { stroke: #1f2328; stroke-width: 2; }
svg.strip .label { font-weight: 600; fill: #1f2328; } svg.strip .tick, svg.strip .nulls { fill: var(--muted); }
svg.strip .dot { fill-opacity: 0.75; } svg.strip .dot.pass { fill: var(--pass); } svg.strip .dot.fail { fill: var(--fail); }
svg.strip .dot.unknown { fill: #fff; stroke: var(--unknown); stroke-width: 1.5; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin: 0 4px 0 10px; vertical-align: middle; }
.swatch.pass { background: var(--pass); } .swatch.fail { background: var(--fail); } .swatch.unknown { border: 1.5px solid var(--unknown); }
`;

/** The aggregate report.html of a repeat: pass rates per architecture and target, one strip plot per figure. Self-contained. */
export function renderRepeatHtml(document: RepeatDocument): string {
  const { repeat } = document;
  const overall = repeatOutcome(document);
  return `${pageHead(`${document.scenario}: repeat of ${repeat.count} runs`, "default-src 'none'; style-src 'unsafe-inline'; img-src data:", [css])}
<body>
<header>
<h1>${esc(document.scenario)}</h1>
<p>${esc(document.description)}</p>
<p class="meta"><span>${esc(`${repeat.count} of ${repeat.requested} runs`)}</span><span>base seed ${esc(String(repeat.baseSeed))}</span><span>platform ${esc(document.platform)}</span><span>generated ${esc(document.generatedAt)}</span></p>
<div class="overall ${overall}" data-overall="${overall}">${esc(repeatOutcomeText(document))}</div>
</header>
<section class="targets">
${repeat.architectures.map(renderArchitecture).join('\n')}
</section>
<section class="figures">
<h2>Figures</h2>
<p class="legend">One dot per run, one row per architecture; the bar is the median.<span class="swatch pass"></span>run passed<span class="swatch fail"></span>run failed<span class="swatch unknown"></span>unknown or harness saturated</p>
${renderFigures(repeat.architectures)}
</section>
${document.controls === undefined ? '' : renderControlsHtml(document.controls)}
</body>
</html>
`;
}

export async function writeRepeatHtml(file: string, document: RepeatDocument): Promise<string> {
  await writeFile(file, renderRepeatHtml(document), 'utf8');
  return file;
}

function tallyClass(tally: PassTally): 'pass' | 'fail' | 'unknown' {
  if (tally.fails > 0) return 'fail';
  return tally.passes > 0 && tally.saturated + tally.unknown === 0 ? 'pass' : 'unknown';
}

function tallyRow(label: string, tally: PassTally): string {
  const outcome = tallyClass(tally);
  const ci = tally.runs === 0 ? '—' : formatInterval(tally.wilson95);
  return `<tr class="${outcome}" data-target="${esc(tally.name)}"><td>${esc(label)}</td><td class="num verdict">${outcomeMark(outcome)} ${tally.passes}/${tally.runs}</td><td class="num">${esc(formatRate(tally))}</td><td class="num">${esc(ci)}</td><td>${esc(leftOut(tally).join(', '))}</td><td class="num">${esc(tally.failingSeeds.join(', '))}</td></tr>`;
}

function renderArchitecture(arch: ArchitectureRepeat): string {
  const rows = [tallyRow(`expectation: ${arch.expectation}`, arch.met), ...arch.targets.map((t) => tallyRow(t.name, t))].join('\n');
  const runs = arch.runs
    .map((run, index) => {
      const outcome = run.saturated ? 'unknown' : run.verdict;
      return `<tr class="${outcome}"><td class="num">${index}</td><td class="num">${esc(String(run.seed))}</td><td class="verdict">${outcomeMark(outcome)} ${esc(runVerdictText(run))}</td><td><a href="${esc(`${run.dir}/report.html`)}">${esc(run.dir)}</a></td></tr>`;
    })
    .join('\n');
  return `<article class="arch" data-architecture="${esc(arch.architecture)}">
<h2>${esc(arch.architecture)}</h2>
<table class="rates"><thead><tr><th>target</th><th>passed</th><th>rate</th><th>95% CI (Wilson)</th><th>left out</th><th>failing seeds</th></tr></thead><tbody>
${rows}
</tbody></table>
${renderFidelity(arch)}
<details><summary>${esc(`${arch.runs.length} runs`)}</summary><table class="runs"><thead><tr><th>#</th><th>seed</th><th>verdict</th><th>report</th></tr></thead><tbody>
${runs}
</tbody></table></details>
</article>`;
}

/** The scenario's post-mortem figures beside the spread the runs measured; nothing when it states none. */
function renderFidelity(arch: ArchitectureRepeat): string {
  if (arch.fidelity.length === 0) return '';
  const rows = arch.fidelity
    .map((stats) => {
      const row = fidelitySpread(stats);
      return `<tr><td>${esc(stats.quantity)}</td><td>${esc(stats.published)}</td><td class="num">${esc(row.expected)}</td><td class="num">${esc(row.min)}</td><td class="num">${esc(row.median)}</td><td class="num">${esc(row.max)}</td><td>${esc(row.leftOut)}</td></tr>`;
    })
    .join('\n');
  return `<table class="fidelity"><caption>published figures vs these runs (informational)</caption><thead><tr><th>quantity</th><th>published</th><th>expected (scenario scale)</th><th>min</th><th>median</th><th>max</th><th>left out</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function renderFigures(architectures: readonly ArchitectureRepeat[]): string {
  const names = [...new Set(architectures.flatMap((arch) => arch.figures.map((figure) => figure.name)))];
  return names
    .map((name) => {
      const rows: StripRow[] = architectures.flatMap((arch) => {
        const figure = arch.figures.find((f) => f.name === name);
        if (figure === undefined) return [];
        const points = arch.runs.map((run, index) => ({ value: figure.values[index] ?? null, seed: run.seed, outcome: run.saturated ? ('unknown' as const) : run.verdict }));
        return [{ label: arch.architecture, points, median: figure.median }];
      });
      return `<figure data-figure="${esc(name)}"><h3>${esc(name)}</h3>${renderStripPlot(name, rows)}</figure>`;
    })
    .join('\n');
}
