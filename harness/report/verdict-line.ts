import type { ArchitectureVerdict, CheckOutcome, TargetResult } from '../verdict/verdict-types.js';
import { HarnessTargets } from '../verdict/judge-run.js';
import { formatMeasured, outcomeMark } from './format-values.js';

/** What one architecture was expected to do and what it got, as every report states it first. */
export interface VerdictLine {
  readonly architecture: string;
  readonly verdict: CheckOutcome;
  /** `expected reproduces-outage` */
  readonly expected: string;
  /** `got ✔ PASS: outage reproduced (4 of 4 checks)` */
  readonly got: string;
}

/** Targets named in a failing or unknown line before the rest are only counted. */
const NAMED_TARGETS = 2;

export function verdictWord(outcome: CheckOutcome): string {
  return outcome === 'pass' ? 'PASS' : outcome === 'fail' ? 'FAIL' : 'UNKNOWN';
}

export function verdictLine(run: ArchitectureVerdict): VerdictLine {
  return {
    architecture: run.architecture,
    verdict: run.verdict,
    expected: `expected ${run.expectation}`,
    got: `got ${outcomeMark(run.verdict)} ${verdictWord(run.verdict)}: ${gotText(run)}`,
  };
}

function gotText(run: ArchitectureVerdict): string {
  const outage = run.expectation === 'reproduces-outage';
  if (run.verdict === 'pass') {
    const met = run.targets.filter((target) => target.outcome === 'pass').length;
    const unmeasured = run.targets.length - met;
    const counts = `${met} of ${run.targets.length}${outage ? ' checks met' : ''}${unmeasured === 0 ? '' : `, ${unmeasured} not measured`}`;
    return `${outage ? 'outage reproduced' : 'targets met'} (${counts})`;
  }
  if (run.saturation?.saturated === true) return 'the harness was saturated, so the run says nothing (reasons below)';
  const own = new Set<string>(Object.values(HarnessTargets));
  // What the harness could not do comes before the targets it left unjudged.
  const off = run.targets.filter((target) => target.outcome === run.verdict).sort((a, b) => Number(own.has(b.name)) - Number(own.has(a.name)));
  const listed = off.slice(0, NAMED_TARGETS).map(targetText).join('; ');
  const more = off.length > NAMED_TARGETS ? `; ${off.length - NAMED_TARGETS} more` : '';
  if (run.verdict === 'fail') return `${outage ? 'outage not reproduced' : 'missed'}: ${listed}${more}`;
  return `could not judge ${listed === '' ? `a run that ended ${run.outcome}` : `${listed}${more}`}`;
}

function targetText(target: TargetResult): string {
  return `${target.name} ${formatMeasured(target.measured)} (wanted ${target.target})`;
}

/** Cuts text to at most `width` characters, marking the cut. */
export function fitWidth(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}
