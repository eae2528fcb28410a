import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { loginConfigSchema } from '../../../services/login/login-config.js';
import { supernodeConfigSchema } from '../../../services/supernode/supernode-config.js';
import { createTimeScale } from '../../../harness/scenario/time-scale.js';
import type { ScenarioDefinition, TopologySpec } from '../../../harness/scenario/types.js';
import { nodeConfigBuilder } from '../../../harness/topology/node-configs.js';
import { planTopology } from '../../../harness/topology/plan-topology.js';
import { scenarioProblems, validScenario, validScenarioDefinition } from './scenario-fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = any;

function problemsOf(mutate: (s: Mutable) => void): readonly string[] {
  const scenario = validScenario();
  mutate(scenario);
  return scenarioProblems(scenario);
}

/** The configs of the dedicated architecture's login and first supernode, with the topology changed. */
function configs(change: (topology: TopologySpec) => TopologySpec) {
  const scenario = validScenarioDefinition();
  const run = scenario.architectures.dedicated;
  if (run === undefined) throw new Error('the fixture has dedicated');
  const changed: ScenarioDefinition = { ...scenario, architectures: { ...scenario.architectures, dedicated: { ...run, topology: change(run.topology) } } };
  const topology = changed.architectures.dedicated?.topology;
  if (topology === undefined) throw new Error('no topology');
  const plan = planTopology('dedicated', topology, () => 0.5, changed.load);
  const configFor = nodeConfigBuilder({ scenario: changed, architecture: 'dedicated', scale: createTimeScale(changed.timeScale), seed: changed.seed });
  const view = { plan, planned: () => [] };
  const nodeNamed = (predicate: (role: string) => boolean) => {
    const node = plan.nodes.find((planned) => predicate(planned.role));
    if (node === undefined) throw new Error('no such node');
    return configFor(node, { dial: (from, to) => `${from}.${to}:1000` }, view);
  };
  return {
    login: parseRoleConfig('login', loginConfigSchema, nodeNamed((role) => role === 'login')),
    supernode: parseRoleConfig('supernode', supernodeConfigSchema, nodeNamed((role) => role === 'supernode')),
  };
}

describe('a login directory of finite capacity and supernode registration timeouts in the scenario language', () => {
  it('accepts them, and leaves login and supernodes as before when they are absent', () => {
    expect(
      problemsOf((s) => {
        s.architectures.dedicated.topology.login = { directory: { capacity: 200, queueLimit: 5_000, answerCostMsPerSupernode: 2 } };
        s.architectures.dedicated.topology.supernode.registrationTimeoutMs = 2_000;
        s.architectures.dedicated.topology.supernode.registrationRetryMs = 500;
      }),
    ).toEqual([]);
    const before = configs((topology) => topology);
    expect(before.login.directory).toBeUndefined();
    expect(before.supernode.registrationTimeoutMs).toBeUndefined();
    expect(before.login.allocation).toBe('random');
  });

  it("hands a slower login heartbeat to the supernodes and gives login three of them before it declares one dead", () => {
    const before = configs((topology) => topology);
    expect(before.login.heartbeatTimeoutMs).toBe(3_000);
    expect(before.supernode.loginHeartbeatMs).toBe(1_000);
    const slower = configs((topology) => ({ ...topology, supernode: { ...topology.supernode, loginHeartbeatMs: 4_000 } }));
    expect(slower.supernode.loginHeartbeatMs).toBe(4_000);
    expect(slower.login.heartbeatTimeoutMs).toBe(12_000);
    expect(problemsOf((s) => (s.architectures.dedicated.topology.supernode.loginHeartbeatMs = 50))).toEqual([
      expect.stringContaining('architectures.dedicated.topology.supernode.loginHeartbeatMs'),
    ]);
  });

  it("hands login's allocation to login", () => {
    expect(problemsOf((s) => (s.architectures.p2p.topology.login = { allocation: 'least-loaded' }))).toEqual([]);
    expect(configs((topology) => ({ ...topology, login: { allocation: 'least-loaded' } })).login.allocation).toBe('least-loaded');
  });

  it.each<[string, (s: Mutable) => void, string]>([
    ['a zero directory capacity', (s) => (s.architectures.dedicated.topology.login = { directory: { capacity: 0 } }), 'architectures.dedicated.topology.login.directory.capacity: must be greater than 0'],
    [
      'a directory capacity beyond what login takes',
      (s) => (s.architectures.dedicated.topology.login = { directory: { capacity: 2e6 } }),
      'architectures.dedicated.topology.login.directory.capacity: must be at most 1000000 requests a second (drop directory for a login without a limit)',
    ],
    ['a fractional queue limit', (s) => (s.architectures.dedicated.topology.login = { directory: { capacity: 10, queueLimit: 2.5 } }), 'architectures.dedicated.topology.login.directory.queueLimit: must be a whole number'],
    [
      'a queue longer than one event loop holds',
      (s) => (s.architectures.dedicated.topology.login = { directory: { capacity: 10, queueLimit: 200_000 } }),
      'architectures.dedicated.topology.login.directory.queueLimit: 200000 requests waiting in login, more than one event loop can hold (at most 100000, about a kilobyte each) (use a queueLimit of at most 100000; a longer queue only makes the answers later)',
    ],
    [
      'a negative answer cost',
      (s) => (s.architectures.dedicated.topology.login = { directory: { capacity: 10, answerCostMsPerSupernode: -1 } }),
      'architectures.dedicated.topology.login.directory.answerCostMsPerSupernode: must not be negative',
    ],
    [
      'an unknown allocation',
      (s) => (s.architectures.dedicated.topology.login = { allocation: 'round-robin' }),
      'architectures.dedicated.topology.login.allocation: "round-robin" is not allowed (use one of "random", "least-loaded")',
    ],
    ['a directory without its capacity', (s) => (s.architectures.dedicated.topology.login = { directory: { queueLimit: 10 } }), 'architectures.dedicated.topology.login.directory.capacity: is missing (add a number)'],
    [
      'a registration timeout beyond an hour',
      (s) => (s.architectures.p2p.topology.supernode.registrationTimeoutMs = 3_600_001),
      'architectures.p2p.topology.supernode.registrationTimeoutMs: must be at most 3600000 ms (one hour; shorten it)',
    ],
    [
      'a registration retry without a timeout',
      (s) => (s.architectures.p2p.topology.megaSupernode.registrationRetryMs = 500),
      'architectures.p2p.topology.megaSupernode.registrationRetryMs: a supernode without registrationTimeoutMs never gives up on a registration, so it never retries one (add registrationTimeoutMs, or remove registrationRetryMs)',
    ],
  ])('refuses %s', (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toEqual([expected]);
  });

  it('hands the directory to login and the registration timeout to every supernode', () => {
    const { login, supernode } = configs((topology) => ({
      ...topology,
      login: { directory: { capacity: 200, answerCostMsPerSupernode: 2 } },
      supernode: { ...topology.supernode, registrationTimeoutMs: 2_000, registrationRetryMs: 500 },
    }));
    expect(login.directory).toEqual({ capacity: 200, queueLimit: 1_000, answerCostMsPerSupernode: 2 });
    expect(supernode).toMatchObject({ registrationTimeoutMs: 2_000, registrationRetryMs: 500 });
  });
});
