import type { ScenarioProblem } from './scenario-problem.js';
import { architectureProblems, declaredArchitectures } from './architecture-rules.js';
import { controlProblems } from './control-rules.js';
import { abortProblems, fidelityProblems, steadyStateProblems } from './duration-rules.js';
import { rollbackProblems } from './fault-id-rules.js';
import { loadProblems } from './load-rules.js';
import { asRecord } from './raw-fields.js';
import { timelineProblems } from './timeline-rules.js';
import { tuningProblems } from './tuning-rules.js';

/**
 * Rules that relate fields to each other. They read the raw input defensively, so they still
 * report alongside the schema's problems when other parts of the scenario are malformed.
 */

export function crossFieldProblems(input: unknown): ScenarioProblem[] {
  const root = asRecord(input);
  if (root === undefined) return [];
  const declared = declaredArchitectures(root);
  return [
    ...architectureProblems(root),
    ...tuningProblems(root),
    ...loadProblems(root),
    ...steadyStateProblems(root),
    ...timelineProblems(root, declared),
    ...rollbackProblems(root),
    ...abortProblems(root),
    ...fidelityProblems(root),
    ...controlProblems(root, declared),
  ];
}
