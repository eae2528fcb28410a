import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { loginConfigSchema } from '../../../services/login/login-config.js';
import { scenarioJsonSchema } from '../../../harness/scenario/scenario-json-schema.js';
import type { Architecture, LoginTuning, ScenarioDefinition } from '../../../harness/scenario/types.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { problemsAfter, validScenario, type MutableScenario } from './scenario-fixture.js';
import { plannedNodeConfigs } from './planned-node-configs.js';

const stagedReturn: LoginTuning = {
  directory: { capacity: 400, queueLimit: 200 },
  overloadShutdown: { graceMs: 3_000, restartAfter: { kind: 'fixed', value: '2h' } },
  readmission: { stepShare: 0.1, stepEveryMs: 2_000 },
};

/** The scenario with login falling over under overload and readmitting users in steps, on every architecture. */
function withStagedReturn(scenario: ScenarioDefinition): ScenarioDefinition {
  const architectures = Object.fromEntries(
    Object.entries(scenario.architectures).map(([name, run]) => [name, { ...run, topology: { ...run.topology, login: { ...run.topology.login, ...stagedReturn } } }]),
  );
  return { ...scenario, architectures };
}

describe("login's overload shutdown and staged readmission, in the scenario language", () => {
  it('accepts them', () => {
    expect(
      problemsAfter((s) => {
        s.architectures.dedicated.topology.login = { directory: { capacity: 100 }, overloadShutdown: { graceMs: 2_000 }, readmission: { stepShare: 0.1, stepEveryMs: 1_000, atFirstStart: true } };
        s.architectures.p2p.topology.login = { directory: { capacity: 100 }, overloadShutdown: { graceMs: 2_000, restartAfter: { kind: 'exponential', mean: '1h' } } };
      }),
    ).toEqual([]);
    expect(problemsAfter((s) => (s.architectures.p2p.topology.login = { readmission: { stepShare: 1, stepEveryMs: 100 } }))).toEqual([]);
  });

  it('are in the JSON Schema of scenario files, with their limits', () => {
    const validate = new Ajv2020({ strict: true, formats: { date: /^\d{4}-\d{2}-\d{2}$/ } }).compile(scenarioJsonSchema());
    const document = (login: unknown) => {
      const scenario = validScenario();
      scenario.architectures.dedicated.topology.login = login;
      return scenario;
    };
    expect(validate(document(stagedReturn))).toBe(true);
    expect(validate(document({ readmission: { stepShare: 0, stepEveryMs: 1_000 } }))).toBe(false);
    expect(validate(document({ directory: { capacity: 10 }, overloadShutdown: { graceMs: 0 } }))).toBe(false);
  });

  it.each<[string, (s: MutableScenario) => void, string]>([
    [
      'a grace of zero',
      (s) => (s.architectures.dedicated.topology.login = { directory: { capacity: 10 }, overloadShutdown: { graceMs: 0 } }),
      'architectures.dedicated.topology.login.overloadShutdown.graceMs: must be greater than 0',
    ],
    [
      'a grace beyond an hour',
      (s) => (s.architectures.dedicated.topology.login = { directory: { capacity: 10 }, overloadShutdown: { graceMs: 4_000_000 } }),
      'architectures.dedicated.topology.login.overloadShutdown.graceMs: must be at most 3600000 ms (one hour; shorten it)',
    ],
    [
      'an overload shutdown without a directory to saturate',
      (s) => (s.architectures.p2p.topology.login = { overloadShutdown: { graceMs: 1_000 } }),
      'architectures.p2p.topology.login.overloadShutdown: a login without a directory answers at once and never refuses, so it is never saturated (add login.directory { capacity }, or remove overloadShutdown)',
    ],
    [
      'an unknown shutdown field',
      (s) => (s.architectures.dedicated.topology.login = { directory: { capacity: 10 }, overloadShutdown: { graceMs: 1_000, threshold: 1 } }),
      'architectures.dedicated.topology.login.overloadShutdown.threshold: is not a known field (remove it or check its spelling)',
    ],
    [
      'a step of no users',
      (s) => (s.architectures.dedicated.topology.login = { readmission: { stepShare: 0, stepEveryMs: 1_000 } }),
      'architectures.dedicated.topology.login.readmission.stepShare: must be greater than 0',
    ],
    [
      'a step of more than every user',
      (s) => (s.architectures.dedicated.topology.login = { readmission: { stepShare: 1.5, stepEveryMs: 1_000 } }),
      'architectures.dedicated.topology.login.readmission.stepShare: must be at most 1 (the share of the users admitted each step, e.g. 0.1 for 10%)',
    ],
    [
      'steps too fast to be stages',
      (s) => (s.architectures.dedicated.topology.login = { readmission: { stepShare: 0.1, stepEveryMs: 50 } }),
      'architectures.dedicated.topology.login.readmission.stepEveryMs: must be at least 100 ms (raise stepEveryMs; a faster step is no stage at all)',
    ],
    [
      'a readmission without its step',
      (s) => (s.architectures.dedicated.topology.login = { readmission: { stepShare: 0.1 } }),
      'architectures.dedicated.topology.login.readmission.stepEveryMs: is missing (add a number)',
    ],
  ])('refuses %s, naming the field and the fix', (_name, mutate, expected) => {
    expect(problemsAfter(mutate)).toEqual([expected]);
  });

  it.each<Architecture>(['p2p', 'dedicated'])('hands both to the %s login node, in real milliseconds, and nothing of restartAfter (the harness restarts login)', (architecture) => {
    const config = parseRoleConfig('login', loginConfigSchema, plannedNodeConfigs(withStagedReturn(skype2010), architecture)['login']);
    expect(config.overloadShutdown).toEqual({ graceMs: 3_000 });
    expect(config.readmission).toEqual({ stepShare: 0.1, stepEveryMs: 2_000, atFirstStart: false });
  });

  it.each<Architecture>(['p2p', 'dedicated'])("leaves skype-2010's %s node configs unchanged: login neither shuts down nor stages", (architecture) => {
    const before = plannedNodeConfigs(skype2010, architecture);
    expect(JSON.stringify(before)).not.toMatch(/overloadShutdown|readmission/);
    const withFields = plannedNodeConfigs(withStagedReturn(skype2010), architecture);
    expect(Object.keys(withFields)).toEqual(Object.keys(before));
    for (const [name, config] of Object.entries(withFields)) {
      if (name !== 'login') expect(config).toEqual(before[name]);
    }
    const login = parseRoleConfig('login', loginConfigSchema, before['login']);
    expect(login.overloadShutdown).toBeUndefined();
    expect(login.readmission).toBeUndefined();
  });
});
