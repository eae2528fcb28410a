import { ARCHITECTURES } from './architecture-rules.js';
import type { ScenarioProblem } from './scenario-problem.js';
import { asRecord, type Raw } from './raw-fields.js';

/** Service tuning fields that mean something only beside another. */
export function tuningProblems(root: Raw): ScenarioProblem[] {
  const architectures = asRecord(root['architectures']) ?? {};
  const problems: ScenarioProblem[] = [];
  for (const name of ARCHITECTURES) {
    const topology = asRecord(asRecord(architectures[name])?.['topology']);
    if (topology === undefined) continue;
    for (const field of ['supernode', 'megaSupernode']) {
      const tuning = asRecord(topology[field]);
      if (tuning === undefined || tuning['registrationRetryMs'] === undefined || tuning['registrationTimeoutMs'] !== undefined) continue;
      problems.push({
        path: `architectures.${name}.topology.${field}.registrationRetryMs`,
        problem: 'a supernode without registrationTimeoutMs never gives up on a registration, so it never retries one',
        hint: 'add registrationTimeoutMs, or remove registrationRetryMs',
      });
    }
    const login = asRecord(topology['login']);
    if (login !== undefined && login['overloadShutdown'] !== undefined && login['directory'] === undefined) {
      problems.push({
        path: `architectures.${name}.topology.login.overloadShutdown`,
        problem: 'a login without a directory answers at once and never refuses, so it is never saturated',
        hint: 'add login.directory { capacity }, or remove overloadShutdown',
      });
    }
  }
  return problems;
}
