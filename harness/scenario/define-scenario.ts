import { ChaosError } from '../errors.js';
import { describeProblem } from './scenario-problem.js';
import { crossFieldProblems } from './scenario-rules.js';
import { limitProblems } from './scenario-limits.js';
import { scenarioSchema } from './scenario-schema.js';
import type { ScenarioDefinition } from './types.js';
import { problemsFromZod } from './zod-problems.js';

/** Scenario files are typed data: this only gives the object its type. */
export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}

/** Checks a scenario whole, before anything starts; throws one INVALID_SCENARIO listing every problem. */
export function validateScenario(input: unknown): ScenarioDefinition {
  const parsed = scenarioSchema.safeParse(input, { reportInput: true });
  const problems = [...(parsed.success ? [] : problemsFromZod(parsed.error.issues)), ...crossFieldProblems(input), ...limitProblems(input)];
  if (parsed.success && problems.length === 0) return parsed.data;
  const name = typeof (input as { name?: unknown } | null)?.name === 'string' ? `"${(input as { name: string }).name}"` : '(unnamed)';
  const details = [...new Set(problems.map(describeProblem))];
  throw new ChaosError('INVALID_SCENARIO', `scenario ${name} has ${details.length} problem${details.length === 1 ? '' : 's'}`, {
    hint: 'fix each problem listed below; every one names its path and the fix',
    details,
  });
}
