import type { ScenarioProblem } from './scenario-problem.js';
import { asArray, asRecord, durationOf, type Raw } from './raw-fields.js';

export function steadyStateProblems(root: Raw): ScenarioProblem[] {
  const steady = asRecord(root['steadyState']);
  const hold = durationOf(steady?.['hold']);
  const within = durationOf(steady?.['within']);
  if (hold === undefined || within === undefined || hold <= within) return [];
  return [
    {
      path: 'steadyState.hold',
      problem: `"${String(steady?.['hold'])}" is longer than within ("${String(steady?.['within'])}"), so it can never hold in time`,
      hint: 'shorten hold or lengthen within',
    },
  ];
}

export function abortProblems(root: Raw): ScenarioProblem[] {
  const end = durationOf(root['duration']);
  if (end === undefined) return [];
  return asArray(root['abortWhen']).flatMap((raw, index) => {
    const after = asRecord(raw)?.['after'];
    const afterMs = durationOf(after);
    return afterMs !== undefined && afterMs > end
      ? [
          {
            path: `abortWhen[${index}].after`,
            problem: `"${String(after)}" is after the end of the run (duration "${String(root['duration'])}")`,
            hint: 'use an offset within duration',
          },
        ]
      : [];
  });
}

/** A fidelity row measured at T0+`at` needs the run to last that long. */
export function fidelityProblems(root: Raw): ScenarioProblem[] {
  const end = durationOf(root['duration']);
  if (end === undefined) return [];
  return asArray(root['fidelity']).flatMap((raw, index) => {
    const measure = asRecord(asRecord(raw)?.['measure']);
    const at = measure?.['of'] === 'online-at' ? durationOf(measure['at']) : undefined;
    return at !== undefined && at > end
      ? [
          {
            path: `fidelity[${index}].measure.at`,
            problem: `"${String(measure?.['at'])}" is after the end of the run (duration "${String(root['duration'])}"), so no run can measure it`,
            hint: 'use an offset within duration, or lengthen duration',
          },
        ]
      : [];
  });
}
