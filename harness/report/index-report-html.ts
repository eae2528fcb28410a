import { writeFile } from 'node:fs/promises';
import { escapeHtml as esc } from './html-escape.js';
import { pageHead, SUMMARY_PAGE_CSS } from './html-page.js';
import { architectureGot, controlsText, libraryVerdictMark, libraryVerdictText, wallTimeText } from './index-report-format.js';
import type { IndexDocument, IndexScenarioEntry, LibraryVerdict } from './index-report-types.js';

const css = `
.command { margin: 4px 0 0; color: var(--muted); overflow-wrap: anywhere; } .command code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
table.scenarios { border-collapse: collapse; margin: 12px 0; width: 100%; }
table.scenarios th, table.scenarios td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.scenario, td.report { overflow-wrap: anywhere; }
table.scenarios th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; } td.scenario { font-weight: 600; }
td.verdict { font-weight: 600; white-space: nowrap; } tr.pass td.verdict { color: var(--pass); } tr.fail td.verdict { color: var(--fail); } tr.unknown td.verdict { color: var(--unknown); }
.reason { color: var(--muted); font-weight: 400; white-space: normal; font-size: 12px; }
ul.architectures { list-style: none; margin: 0; padding: 0; } .expected, .got { white-space: nowrap; } .expected { color: var(--muted); }
`;

/** The colours of the shared banner and rows: an error reads as a failure, an interrupted or skipped scenario as unknown. */
const shadeOf: Record<LibraryVerdict, 'pass' | 'fail' | 'unknown'> = { pass: 'pass', fail: 'fail', error: 'fail', unknown: 'unknown', interrupted: 'unknown', 'not-run': 'unknown' };

/**
 * `index.html` of `chaos run --all`: the library's verdict first, then one row per scenario (its verdict,
 * each architecture's expectation and what it got, its controls, its wall time, a relative link to its
 * own report.html). Self-contained: nothing is fetched, the links work from file://.
 */
export function renderIndexHtml(document: IndexDocument): string {
  const scenarioCount = `${document.scenarios.length} scenario${document.scenarios.length === 1 ? '' : 's'}`;
  return `${pageHead('scenario library', "default-src 'none'; style-src 'unsafe-inline'", [SUMMARY_PAGE_CSS, css])}
<body>
<header>
<h1>Scenario library</h1>
<div class="overall ${shadeOf[document.verdict]}" data-overall="${document.verdict}">${esc(libraryVerdictText(document))}</div>
<p class="meta"><span>${esc(scenarioCount)}</span><span>exit code ${document.exitCode}</span><span>platform ${esc(document.platform)}</span><span>started ${esc(document.startedAt)}</span><span>finished ${esc(document.finishedAt)}</span></p>
<p class="command"><code>${esc(document.command)}</code></p>
</header>
<table class="scenarios">
<thead><tr><th>scenario</th><th>verdict</th><th>architectures: expected, got</th><th>controls</th><th>wall time</th><th>report</th></tr></thead>
<tbody>
${document.scenarios.map(renderRow).join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

export async function writeIndexHtml(file: string, document: IndexDocument): Promise<string> {
  await writeFile(file, renderIndexHtml(document), 'utf8');
  return file;
}

function renderRow(entry: IndexScenarioEntry): string {
  const reason = entry.reason === undefined ? '' : `<div class="reason">${esc(entry.reason)}</div>`;
  const architectures = entry.architectures.map(
    (arch) => `<li data-architecture="${esc(arch.architecture)}"><b>${esc(arch.architecture)}</b> <span class="expected">expected ${esc(arch.expectation)}</span>, <span class="got">got ${esc(architectureGot(arch))}</span></li>`,
  );
  const report = entry.reports === null ? '—' : `<a href="${esc(relativeHref(entry.reports.html))}">${esc(entry.reports.html)}</a>`;
  return `<tr class="${shadeOf[entry.verdict]}" data-scenario="${esc(entry.scenario)}" data-verdict="${entry.verdict}">
<td class="scenario">${esc(entry.scenario)}</td>
<td class="verdict">${esc(libraryVerdictMark(entry.verdict))}${reason}</td>
<td>${architectures.length === 0 ? '—' : `<ul class="architectures">${architectures.join('')}</ul>`}</td>
<td>${entry.controls === null ? '—' : esc(controlsText(entry.controls))}</td>
<td class="num">${entry.wallSeconds === null ? '—' : esc(wallTimeText(entry.wallSeconds))}</td>
<td class="report">${report}</td>
</tr>`;
}

/** A relative path as a link: each segment percent-encoded, so no name can turn it into a scheme or a query. */
function relativeHref(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
