import { writeFile } from 'node:fs/promises';
import { controlsOutcome } from '../controls/summarize-controls.js';
import { controlCheckOutcome, controlsTallyText } from './controls-format.js';
import { renderControlsHtml } from './controls-html.js';
import type { ControlsOnlyDocument } from './controls-only-report.js';
import { escapeHtml as esc } from './html-escape.js';
import { pageHead, SUMMARY_PAGE_CSS } from './html-page.js';

const css = `
table { border-collapse: collapse; margin: 6px 0 12px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; } td.num { font-variant-numeric: tabular-nums; }
tr.pass td.verdict { color: var(--pass); font-weight: 600; } tr.fail td.verdict { color: var(--fail); font-weight: 600; } tr.unknown td.verdict { color: var(--unknown); font-weight: 600; }
.legend { color: var(--muted); font-size: 12px; }
`;

/** The report.html of `chaos run --only-controls`: the scenario, a banner counting the controls caught, missed and unknown, then their table. Self-contained. */
export function renderControlsOnlyHtml(document: ControlsOnlyDocument): string {
  const section = document.controls;
  const overall = section.controls.length === 0 ? 'unknown' : controlCheckOutcome(controlsOutcome(section));
  const runs = `${section.requested} run${section.requested === 1 ? '' : 's'} each`;
  return `${pageHead(`${document.scenario}: negative controls`, "default-src 'none'; style-src 'unsafe-inline'", [SUMMARY_PAGE_CSS, css])}
<body>
<header>
<h1>${esc(document.scenario)}</h1>
<p>${esc(document.description)}</p>
<p class="meta"><span>negative controls only</span><span>${esc(runs)}</span><span>base seed ${esc(String(document.baseSeed))}</span><span>platform ${esc(document.platform)}</span><span>generated ${esc(document.generatedAt)}</span></p>
<div class="overall ${overall}" data-overall="${overall}">${esc(controlsTallyText(section))}</div>
</header>
${renderControlsHtml(section)}
</body>
</html>
`;
}

export async function writeControlsOnlyHtml(file: string, document: ControlsOnlyDocument): Promise<string> {
  await writeFile(file, renderControlsOnlyHtml(document), 'utf8');
  return file;
}
