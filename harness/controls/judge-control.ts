import type { TargetKey } from '../scenario/types.js';
import { formatMeasured } from '../report/format-values.js';
import type { ArchitectureVerdict } from '../verdict/verdict-types.js';
import type { ControlOutcome, ControlRunJudgement, MustBreakResult } from './control-types.js';
import { checkNameOf } from './target-check-names.js';

/**
 * One run of a control: caught when the verdict failed on a harness that was not saturated and
 * every target the control must break failed; unknown when the verdict is unknown, the harness was
 * saturated, or a target it must break is unknown or absent (or the run left no verdict); otherwise
 * missed: the gate let the sabotaged system through. Pure.
 */
export function judgeControlRun(run: ArchitectureVerdict | undefined, mustBreak: readonly TargetKey[]): ControlRunJudgement {
  if (run === undefined) {
    return { outcome: 'unknown', verdict: null, saturated: false, targets: mustBreak.map(absent), reason: 'the run left no verdict for its architecture' };
  }
  const targets = mustBreak.map((key) => mustBreakResult(run, key));
  const saturated = run.saturation?.saturated === true;
  const judged = { verdict: run.verdict, saturated, targets };
  if (run.verdict === 'fail' && !saturated && targets.every((target) => target.outcome === 'fail')) {
    return { ...judged, outcome: 'caught', reason: `broke ${targets.map(valueText).join(', ')}` };
  }
  const unclear = targets.filter((target) => target.outcome === 'unknown' || target.outcome === 'absent');
  if (run.verdict === 'unknown' || saturated || unclear.length > 0) {
    const why = saturated ? 'harness saturated' : run.verdict === 'unknown' ? 'verdict unknown' : `${unclear.map(valueText).join(', ')}`;
    return { ...judged, outcome: 'unknown', reason: why };
  }
  const held = targets.filter((target) => target.outcome === 'pass');
  const reason = held.length > 0 ? `held ${held.map(valueText).join(', ')}` : `verdict ${run.verdict}`;
  return { ...judged, outcome: 'missed', reason };
}

/** Over K runs: missed when any run missed; else unknown when any run is unknown or was not made; else caught. */
export function aggregateControlRuns(runs: readonly Pick<ControlRunJudgement, 'outcome'>[], requested: number): { readonly outcome: ControlOutcome; readonly caught: number } {
  const caught = runs.filter((run) => run.outcome === 'caught').length;
  if (runs.some((run) => run.outcome === 'missed')) return { outcome: 'missed', caught };
  if (runs.length < requested || runs.some((run) => run.outcome === 'unknown')) return { outcome: 'unknown', caught };
  return { outcome: runs.length === 0 ? 'unknown' : 'caught', caught };
}

function mustBreakResult(run: ArchitectureVerdict, key: TargetKey): MustBreakResult {
  const name = checkNameOf(key);
  const target = run.targets.find((candidate) => candidate.name === name);
  if (target === undefined) return absent(key);
  return { key, name, wanted: target.target, measured: target.measured, outcome: target.outcome };
}

function absent(key: TargetKey): MustBreakResult {
  return { key, name: checkNameOf(key), wanted: null, measured: null, outcome: 'absent' };
}

/** `recovery time 12.5 (wanted <= 10h)`, `availability floor absent`, `messages lost — unknown`. */
function valueText(target: MustBreakResult): string {
  if (target.outcome === 'absent') return `${target.name} absent from the verdict`;
  const wanted = target.wanted === null ? '' : ` (wanted ${target.wanted})`;
  return `${target.name} ${formatMeasured(target.measured)}${wanted}${target.outcome === 'unknown' ? ' unknown' : ''}`;
}
