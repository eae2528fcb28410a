import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { supernodeConfigSchema } from '../../../services/supernode/supernode-config.js';
import { problemsAfter, type MutableScenario } from './scenario-fixture.js';
import { dedicatedSupernodeConfigs as supernodeConfigs } from './planned-node-configs.js';


describe('loginLeaseMs in the scenario language', () => {
  it('is accepted alone and beside the other membership fields', () => {
    expect(
      problemsAfter((s) => {
        Object.assign(s.architectures.dedicated.topology.supernode, { loginLeaseMs: 3_000 });
        Object.assign(s.architectures.p2p.topology.megaSupernode, { loginLeaseMs: 600, loginHeartbeatMs: 200, registrationTimeoutMs: 1_000, heartbeatDeadline: true });
      }),
    ).toEqual([]);
  });

  it.each<[string, (s: MutableScenario) => void, string]>([
    [
      'a lease no longer than the default heartbeat',
      (s) => Object.assign(s.architectures.dedicated.topology.supernode, { loginLeaseMs: 1_000 }),
      'architectures.dedicated.topology.supernode.loginLeaseMs: a lease of 1000 ms is not longer than the heartbeats that renew it (the default loginHeartbeatMs 1000 ms), so it would expire between two of them (make loginLeaseMs several heartbeats long, e.g. 3000, or shorten loginHeartbeatMs)',
    ],
    [
      'a lease shorter than a slower heartbeat',
      (s) => Object.assign(s.architectures.p2p.topology.megaSupernode, { loginLeaseMs: 2_000, loginHeartbeatMs: 5_000 }),
      'architectures.p2p.topology.megaSupernode.loginLeaseMs: a lease of 2000 ms is not longer than the heartbeats that renew it (loginHeartbeatMs 5000 ms), so it would expire between two of them (make loginLeaseMs several heartbeats long, e.g. 15000, or shorten loginHeartbeatMs)',
    ],
    [
      'a lease longer than an hour',
      (s) => Object.assign(s.architectures.dedicated.topology.supernode, { loginLeaseMs: 3_600_001 }),
      'architectures.dedicated.topology.supernode.loginLeaseMs: must be at most 3600000 ms (one hour; shorten it)',
    ],
  ])('refuses %s', (_name, mutate, expected) => {
    expect(problemsAfter(mutate)).toEqual([expected]);
  });

  it('is left out of the supernode configs when absent, so no supernode holds a lease', () => {
    const configs = supernodeConfigs({});
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) {
      expect(config).not.toHaveProperty('loginLeaseMs');
      expect(parseRoleConfig('supernode', supernodeConfigSchema, config)).not.toHaveProperty('loginLeaseMs');
    }
  });

  it('is handed to every supernode when set', () => {
    const configs = supernodeConfigs({ loginLeaseMs: 4_000 });
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) expect(parseRoleConfig('supernode', supernodeConfigSchema, config)).toMatchObject({ loginLeaseMs: 4_000 });
  });

  it('is refused by the supernode config when not longer than its heartbeat', () => {
    const [config] = supernodeConfigs({});
    expect(supernodeConfigSchema.safeParse({ ...config, loginLeaseMs: 1_000 }).success).toBe(false);
    expect(supernodeConfigSchema.safeParse({ ...config, loginLeaseMs: 300, loginHeartbeatMs: 50 }).success).toBe(true);
  });
});
