import { HarnessChecks, HarnessTargets } from '../../../harness/verdict/judge-run.js';
import type { RunReport } from '../../../harness/verdict/verdict-types.js';

/** Targets only the harness can miss: a run unknown for one of them (or saturated) is the harness's, never the system's. */
const HARNESS_TARGET_NAMES: readonly string[] = [...Object.values(HarnessTargets), ...Object.values(HarnessChecks)];

/** Why the harness could not judge the run, in the report's words; empty when nothing it did fell short. */
export function harnessShortfallsOf(run: RunReport['runs'][number]): string[] {
  const saturated = run.saturation?.saturated === true ? (run.saturation.reasons.length > 0 ? run.saturation.reasons : ['harness saturated']) : [];
  const targets = run.targets.filter((t) => t.outcome === 'unknown' && HARNESS_TARGET_NAMES.includes(t.name)).map((t) => `${t.name}: ${t.detail ?? String(t.measured)}`);
  return [...saturated, ...targets];
}
