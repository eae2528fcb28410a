import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { supernodeConfigSchema } from '../../../services/supernode/supernode-config.js';
import { problemsAfter, type MutableScenario } from './scenario-fixture.js';
import { dedicatedSupernodeConfigs as supernodeConfigs } from './planned-node-configs.js';


describe('membership deadlines (registrationDeadlineAtStart, heartbeatDeadline) in the scenario language', () => {
  it('accepts them beside registrationTimeoutMs', () => {
    expect(
      problemsAfter((s) => {
        Object.assign(s.architectures.dedicated.topology.supernode, { registrationTimeoutMs: 2_000, registrationDeadlineAtStart: false, heartbeatDeadline: true });
        Object.assign(s.architectures.p2p.topology.megaSupernode, { registrationTimeoutMs: 2_000, heartbeatDeadline: false });
      }),
    ).toEqual([]);
  });

  it.each<[string, (s: MutableScenario) => void, string]>([
    [
      'registrationDeadlineAtStart without registrationTimeoutMs',
      (s) => (s.architectures.dedicated.topology.supernode.registrationDeadlineAtStart = false),
      'architectures.dedicated.topology.supernode.registrationDeadlineAtStart: a supernode without registrationTimeoutMs has no registration deadline, at start or later (add registrationTimeoutMs, or remove registrationDeadlineAtStart)',
    ],
    [
      'heartbeatDeadline without registrationTimeoutMs',
      (s) => (s.architectures.p2p.topology.megaSupernode.heartbeatDeadline = true),
      'architectures.p2p.topology.megaSupernode.heartbeatDeadline: registrationTimeoutMs is the deadline of every heartbeat, and this supernode has none (add registrationTimeoutMs, or remove heartbeatDeadline)',
    ],
    [
      'a heartbeatDeadline that is no boolean',
      (s) => Object.assign(s.architectures.p2p.topology.supernode, { registrationTimeoutMs: 1_000, heartbeatDeadline: 'yes' }),
      'architectures.p2p.topology.supernode.heartbeatDeadline: expected boolean, got "yes" (write a boolean here)',
    ],
  ])('refuses %s', (_name, mutate, expected) => {
    expect(problemsAfter(mutate)).toEqual([expected]);
  });

  it('leaves them out of the supernode configs when absent, so every supernode behaves as before', () => {
    const configs = supernodeConfigs({});
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) {
      expect(config).not.toHaveProperty('registrationDeadlineAtStart');
      expect(config).not.toHaveProperty('heartbeatDeadline');
      expect(parseRoleConfig('supernode', supernodeConfigSchema, config)).toMatchObject({ registrationDeadlineAtStart: true, heartbeatDeadline: false });
    }
  });

  it('hands them to every supernode', () => {
    const configs = supernodeConfigs({ registrationTimeoutMs: 2_000, registrationDeadlineAtStart: false, heartbeatDeadline: true });
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) {
      expect(parseRoleConfig('supernode', supernodeConfigSchema, config)).toMatchObject({ registrationTimeoutMs: 2_000, registrationDeadlineAtStart: false, heartbeatDeadline: true });
    }
  });

  it('are refused by the supernode config without registrationTimeoutMs', () => {
    const [config] = supernodeConfigs({});
    expect(supernodeConfigSchema.safeParse({ ...config, heartbeatDeadline: true }).success).toBe(false);
    expect(supernodeConfigSchema.safeParse({ ...config, registrationDeadlineAtStart: false }).success).toBe(false);
    expect(supernodeConfigSchema.safeParse({ ...config, registrationDeadlineAtStart: true }).success).toBe(true);
  });
});
