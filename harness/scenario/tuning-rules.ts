import { ARCHITECTURES } from './architecture-rules.js';
import type { ScenarioProblem } from './scenario-problem.js';
import { asRecord, type Raw } from './raw-fields.js';

/** Supernode tuning fields that mean something only beside `registrationTimeoutMs`, and why. */
const needsRegistrationTimeout: Readonly<Record<string, string>> = {
  registrationRetryMs: 'a supernode without registrationTimeoutMs never gives up on a registration, so it never retries one',
  registrationDeadlineAtStart: 'a supernode without registrationTimeoutMs has no registration deadline, at start or later',
  heartbeatDeadline: 'registrationTimeoutMs is the deadline of every heartbeat, and this supernode has none',
};

/** The supernodes' heartbeat to login when a scenario does not set `loginHeartbeatMs`. */
const DEFAULT_LOGIN_HEARTBEAT_MS = 1_000;

/** A lease that each heartbeat's answer renews must outlast the gap between two heartbeats. */
function leaseProblem(tuning: Raw, path: string): ScenarioProblem | undefined {
  const leaseMs = tuning['loginLeaseMs'];
  const heartbeat = tuning['loginHeartbeatMs'];
  const heartbeatMs = typeof heartbeat === 'number' ? heartbeat : DEFAULT_LOGIN_HEARTBEAT_MS;
  if (typeof leaseMs !== 'number' || leaseMs > heartbeatMs) return undefined;
  const schedule = typeof heartbeat === 'number' ? `loginHeartbeatMs ${heartbeatMs}` : `the default loginHeartbeatMs ${heartbeatMs}`;
  return {
    path: `${path}.loginLeaseMs`,
    problem: `a lease of ${leaseMs} ms is not longer than the heartbeats that renew it (${schedule} ms), so it would expire between two of them`,
    hint: `make loginLeaseMs several heartbeats long, e.g. ${heartbeatMs * 3}, or shorten loginHeartbeatMs`,
  };
}

/** Service tuning fields that mean something only beside another. */
export function tuningProblems(root: Raw): ScenarioProblem[] {
  const architectures = asRecord(root['architectures']) ?? {};
  const problems: ScenarioProblem[] = [];
  for (const name of ARCHITECTURES) {
    const topology = asRecord(asRecord(architectures[name])?.['topology']);
    if (topology === undefined) continue;
    for (const field of ['supernode', 'megaSupernode']) {
      const tuning = asRecord(topology[field]);
      if (tuning === undefined) continue;
      const lease = leaseProblem(tuning, `architectures.${name}.topology.${field}`);
      if (lease !== undefined) problems.push(lease);
      if (tuning['registrationTimeoutMs'] !== undefined) continue;
      for (const [dependent, problem] of Object.entries(needsRegistrationTimeout)) {
        if (tuning[dependent] === undefined) continue;
        problems.push({ path: `architectures.${name}.topology.${field}.${dependent}`, problem, hint: `add registrationTimeoutMs, or remove ${dependent}` });
      }
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
