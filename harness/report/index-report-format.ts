import type { IndexArchitecture, IndexControls, IndexDocument, IndexScenarioEntry, LibraryVerdict } from './index-report-types.js';

const verdictWords: Record<LibraryVerdict, string> = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN', error: 'ERROR', interrupted: 'INTERRUPTED', 'not-run': 'NOT RUN' };
const verdictMarks: Record<LibraryVerdict, string> = { pass: '✔', fail: '✘', unknown: '?', error: '✘', interrupted: '■', 'not-run': '–' };

/** `✘ FAIL` */
export function libraryVerdictMark(verdict: LibraryVerdict): string {
  return `${verdictMarks[verdict]} ${verdictWords[verdict]}`;
}

/** The banner of the index: `✘ FAIL: 3 of 4 scenarios passed; missed: skype-2010-backoff`. */
export function libraryVerdictText(document: Pick<IndexDocument, 'verdict' | 'scenarios'>): string {
  const { scenarios } = document;
  const named = (verdict: LibraryVerdict): string[] => scenarios.filter((entry) => entry.verdict === verdict).map((entry) => entry.scenario);
  const groups: [string, string[]][] = [
    ['interrupted', named('interrupted')],
    ['stopped with an error', named('error')],
    ['missed', named('fail')],
    ['could not judge', named('unknown')],
    ['not run', named('not-run')],
  ];
  const listed = groups.filter(([, names]) => names.length > 0).map(([label, names]) => `; ${label}: ${names.join(', ')}`);
  return `${libraryVerdictMark(document.verdict)}: ${named('pass').length} of ${scenarios.length} scenarios passed${listed.join('')}`;
}

/** `p2p ✔ PASS`, or over repeated runs `p2p ✘ 9/10 met`. */
export function architectureText(arch: IndexArchitecture): string {
  return `${arch.architecture} ${architectureGot(arch)}`;
}

/** `✔ PASS`, or over repeated runs `✘ 9/10 met`. */
export function architectureGot(arch: IndexArchitecture): string {
  return arch.runs === 1 ? libraryVerdictMark(arch.verdict) : `${verdictMarks[arch.verdict]} ${arch.passed}/${arch.runs} met`;
}

/** `5/7 caught, 1 missed, 1 unknown`; a control `--arch` left out is counted apart. */
export function controlsText(controls: IndexControls): string {
  const apart = [
    ...(controls.missed > 0 ? [`${controls.missed} missed`] : []),
    ...(controls.unknown > 0 ? [`${controls.unknown} unknown`] : []),
    ...(controls.notRun > 0 ? [`${controls.notRun} not run`] : []),
  ];
  return [`${controls.caught}/${controls.total} caught`, ...apart].join(', ');
}

/** `42.1 s`, `6 min 05 s`, `1 h 02 min`. */
export function wallTimeText(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/** What a scenario got in a few words: its architectures' verdicts, or for the controls alone, its verdict. */
export function entryGotText(entry: IndexScenarioEntry): string {
  if (entry.status === 'not-run' || entry.status === 'error') return `${libraryVerdictMark(entry.verdict)}: ${entry.reason ?? ''}`;
  const parts = entry.architectures.length === 0 ? [libraryVerdictMark(entry.verdict)] : entry.architectures.map(architectureText);
  return entry.status === 'interrupted' ? `${parts.join(', ')} (interrupted)` : parts.join(', ');
}
