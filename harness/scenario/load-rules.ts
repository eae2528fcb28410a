import type { ScenarioProblem } from './scenario-problem.js';
import { asRecord, asString, type Raw } from './raw-fields.js';

export function loadProblems(root: Raw): ScenarioProblem[] {
  const load = asRecord(root['load']);
  const mix = asRecord(load?.['versionMix']);
  const buggy = asString(load?.['buggyVersion']);
  if (mix === undefined || Object.keys(mix).length === 0 || buggy === undefined || buggy === '' || buggy in mix) return [];
  return [
    {
      path: 'load.buggyVersion',
      problem: `"${buggy}" is not in load.versionMix`,
      hint: `add "${buggy}" to the version mix or fix its spelling; the mix has ${Object.keys(mix).join(', ') || 'no versions'}`,
    },
  ];
}
