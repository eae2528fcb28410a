import { join } from 'node:path';
import { controlsText, entryGotText, libraryVerdictText, wallTimeText } from './index-report-format.js';
import type { IndexDocument, IndexScenarioEntry } from './index-report-types.js';

/**
 * The line `chaos run --all` prints as each scenario is done:
 * `[2/4] skype-2010  p2p ✔ PASS, dedicated ✘ FAIL  controls 6/7 caught, 1 missed  6 min 05 s  reports/all-…/skype-2010/report.html`.
 */
export function libraryProgressLine(entry: IndexScenarioEntry, position: number, total: number, indexDir: string): string {
  const parts = [
    `[${position}/${total}] ${entry.scenario}`,
    entryGotText(entry),
    ...(entry.controls === null ? [] : [`controls ${controlsText(entry.controls)}`]),
    ...(entry.wallSeconds === null ? [] : [wallTimeText(entry.wallSeconds)]),
    ...(entry.reports === null ? [] : [join(indexDir, entry.reports.html)]),
  ];
  return parts.join('  ');
}

/** The library's verdict, after the last scenario: `scenario library: ✘ FAIL: 3 of 4 scenarios passed; missed: …`. */
export function librarySummaryLine(document: IndexDocument): string {
  return `scenario library: ${libraryVerdictText(document)}`;
}
