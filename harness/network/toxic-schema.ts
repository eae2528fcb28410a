import { ChaosError } from '../errors.js';
import { describeProblem, formatPath } from '../scenario/scenario-problem.js';
import type { ToxicSpec, ToxicType } from '../scenario/types.js';
import { fillToxicDefaults, toxicProblems, type FilledToxic } from './toxic-catalogue.js';

export { toxicCatalogue as toxicAttributeRules, toxicTypes } from './toxic-catalogue.js';

/** A toxic that passed the catalogue, with every default filled in: exactly what is sent to Toxiproxy. */
export type ValidToxic = FilledToxic;

/**
 * Fills in a toxic's defaults before it is sent. A scenario's toxics were checked against the same
 * catalogue when it was loaded; the check is repeated here only for callers that bypass a scenario,
 * and refuses with every problem in one INVALID_TOXIC error.
 */
export function validateToxic(input: ToxicSpec | unknown): ValidToxic {
  const problems = toxicProblems(input);
  if (problems.length > 0) {
    const details = problems.map((problem) => describeProblem({ path: problem.path.length === 0 ? 'toxic' : formatPath(problem.path), problem: problem.problem, hint: problem.hint }));
    const type = (input as { type?: unknown } | null)?.type;
    throw new ChaosError('INVALID_TOXIC', `invalid ${typeof type === 'string' ? `${type} ` : ''}toxic: ${details.join('; ')}`, {
      hint: 'fix the toxic (Toxiproxy takes integers: milliseconds for latency, jitter, delay and timeout, KB/s for rate, bytes for sizes, microseconds for the slicer delay)',
      details,
    });
  }
  return fillToxicDefaults(input as ToxicSpec & { type: ToxicType });
}
