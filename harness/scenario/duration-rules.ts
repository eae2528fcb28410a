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
