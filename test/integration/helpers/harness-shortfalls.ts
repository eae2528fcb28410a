import { HarnessChecks, HarnessTargets } from '../../../harness/verdict/judge-run.js';
import type { RunReport } from '../../../harness/verdict/verdict-types.js';

/** Targets only the harness can miss: a run unknown for one of them (or saturated) is the harness's, never the system's. */
const HARNESS_TARGET_NAMES: readonly string[] = [...Object.values(HarnessTargets), ...Object.values(HarnessChecks)];

type JudgedRun = RunReport['runs'][number];

/** A run that ended `failed` because the system missed its steady state (the judge's `fail`): its `run completed` is unknown, but no harness's. */
const missedItsSteadyState = (run: JudgedRun): boolean => run.targets.some((t) => t.name === HarnessTargets.steadyState && t.outcome === 'fail');

/** Why the harness could not judge the run, in the report's words; empty when nothing it did fell short. */
export function harnessShortfallsOf(run: JudgedRun): string[] {
  const saturated = run.saturation?.saturated === true ? (run.saturation.reasons.length > 0 ? run.saturation.reasons : ['harness saturated']) : [];
  const targets = run.targets
    .filter((t) => t.outcome === 'unknown' && HARNESS_TARGET_NAMES.includes(t.name))
    .filter((t) => !(t.name === HarnessChecks.runCompleted && missedItsSteadyState(run)))
    .map((t) => `${t.name}: ${t.detail ?? String(t.measured)}`);
  return [...saturated, ...targets];
}

/** Everything the report says about a run's judgement, for an assertion's message: a failure in CI is then read, not guessed. */
export function describeJudgement(run: JudgedRun): string {
  const targets = run.targets.map((t) => `  ${t.name}: ${t.outcome}, measured ${JSON.stringify(t.measured)} (wanted ${t.target})${t.detail === undefined ? '' : `: ${t.detail}`}`);
  const saturation = run.saturation === undefined ? 'no saturation figures' : `saturated ${run.saturation.saturated}, figures ${JSON.stringify(run.saturation.figures)}`;
  return [`${run.architecture}: verdict ${run.verdict}, outcome ${run.outcome}; ${saturation}`, ...targets].join('\n');
}
