import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { clientFleetConfigSchema } from '../../../services/client-fleet/client-fleet-config.js';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { supernodeConfigSchema } from '../../../services/supernode/supernode-config.js';
import { scenarioJsonSchema } from '../../../harness/scenario/scenario-json-schema.js';
import type { Architecture, ScenarioDefinition } from '../../../harness/scenario/types.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { problemsAfter, validScenario, type MutableScenario } from './scenario-fixture.js';
import { plannedNodeConfigs } from './planned-node-configs.js';

/** The scenario with an all-shards start-up cache on every supernode tuning and throttled fleets. */
function withColdCache(scenario: ScenarioDefinition): ScenarioDefinition {
  const startupCache = { fanOut: 'all-shards', queryTimeoutMs: 800 } as const;
  const architectures = Object.fromEntries(
    Object.entries(scenario.architectures).map(([name, run]) => {
      const topology = run.topology;
      const mega = topology.megaSupernode === undefined ? {} : { megaSupernode: { ...topology.megaSupernode, startupCache } };
      return [name, { ...run, topology: { ...topology, offlineMessageServers: 3, supernode: { ...topology.supernode, startupCache }, ...mega } }];
    }),
  );
  return { ...scenario, load: { ...scenario.load, startupThrottle: { perSecond: 50 } }, architectures };
}

describe("a supernode's start-up cache and a fleet's start-up throttle, in the scenario language", () => {
  it('accepts them', () => {
    expect(
      problemsAfter((s) => {
        s.architectures.dedicated.topology.supernode.startupCache = { fanOut: 'owner-shard', queryTimeoutMs: 500 };
        s.architectures.p2p.topology.megaSupernode.startupCache = { fanOut: 'all-shards', queryTimeoutMs: 2_000, owner: 'user-hash' };
        s.architectures.p2p.topology.supernode.startupCache = { fanOut: 'owner-shard', queryTimeoutMs: 500, owner: 'inbox-store', prewarmed: true };
        s.load.startupThrottle = { perSecond: 0.5 };
      }),
    ).toEqual([]);
  });

  it('are in the JSON Schema of scenario files, with their limits', () => {
    const validate = new Ajv2020({ strict: true, formats: { date: /^\d{4}-\d{2}-\d{2}$/ } }).compile(scenarioJsonSchema());
    const document = (startupCache: unknown, startupThrottle: unknown) => {
      const scenario = validScenario();
      scenario.architectures.dedicated.topology.supernode.startupCache = startupCache;
      scenario.load.startupThrottle = startupThrottle;
      return scenario;
    };
    expect(validate(document({ fanOut: 'all-shards', queryTimeoutMs: 500 }, { perSecond: 10 }))).toBe(true);
    expect(validate(document({ fanOut: 'some-shards', queryTimeoutMs: 500 }, { perSecond: 10 }))).toBe(false);
    expect(validate(document({ fanOut: 'owner-shard', queryTimeoutMs: 500, owner: 'user-hash' }, { perSecond: 10 }))).toBe(true);
    expect(validate(document({ fanOut: 'owner-shard', queryTimeoutMs: 500, owner: 'by-user' }, { perSecond: 10 }))).toBe(false);
    expect(validate(document({ fanOut: 'all-shards', queryTimeoutMs: 500, prewarmed: true }, { perSecond: 10 }))).toBe(true);
    expect(validate(document({ fanOut: 'all-shards', queryTimeoutMs: 500, prewarmed: 'yes' }, { perSecond: 10 }))).toBe(false);
    expect(validate(document({ fanOut: 'owner-shard', queryTimeoutMs: 500 }, { perSecond: 0 }))).toBe(false);
  });

  it.each<[string, (s: MutableScenario) => void, string]>([
    [
      'an unknown fan-out',
      (s) => (s.architectures.dedicated.topology.supernode.startupCache = { fanOut: 'some-shards', queryTimeoutMs: 500 }),
      'architectures.dedicated.topology.supernode.startupCache.fanOut: "some-shards" is not allowed (use one of "all-shards", "owner-shard")',
    ],
    [
      'an unknown owner',
      (s) => (s.architectures.dedicated.topology.supernode.startupCache = { fanOut: 'owner-shard', queryTimeoutMs: 500, owner: 'by-user' }),
      'architectures.dedicated.topology.supernode.startupCache.owner: "by-user" is not allowed (use one of "inbox-store", "user-hash")',
    ],
    [
      'a cache without its query timeout',
      (s) => (s.architectures.dedicated.topology.supernode.startupCache = { fanOut: 'all-shards' }),
      'architectures.dedicated.topology.supernode.startupCache.queryTimeoutMs: is missing (add a number)',
    ],
    [
      'a query timeout of zero',
      (s) => (s.architectures.p2p.topology.supernode.startupCache = { fanOut: 'owner-shard', queryTimeoutMs: 0 }),
      'architectures.p2p.topology.supernode.startupCache.queryTimeoutMs: must be greater than 0',
    ],
    [
      'a query timeout beyond an hour',
      (s) => (s.architectures.p2p.topology.supernode.startupCache = { fanOut: 'owner-shard', queryTimeoutMs: 4_000_000 }),
      'architectures.p2p.topology.supernode.startupCache.queryTimeoutMs: must be at most 3600000 ms (one hour; shorten it)',
    ],
    [
      'an unknown cache field',
      (s) => (s.architectures.p2p.topology.supernode.startupCache = { fanOut: 'owner-shard', queryTimeoutMs: 500, size: 10 }),
      'architectures.p2p.topology.supernode.startupCache.size: is not a known field (remove it or check its spelling)',
    ],
    [
      'a prewarmed that is not true or false',
      (s) => (s.architectures.p2p.topology.supernode.startupCache = { fanOut: 'all-shards', queryTimeoutMs: 500, prewarmed: 'yes' }),
      'architectures.p2p.topology.supernode.startupCache.prewarmed: expected boolean, got "yes" (write a boolean here)',
    ],
    ['a throttle of no start-ups', (s) => (s.load.startupThrottle = { perSecond: 0 }), 'load.startupThrottle.perSecond: must be greater than 0'],
    [
      'a throttle beyond what a fleet takes',
      (s) => (s.load.startupThrottle = { perSecond: 200_000 }),
      'load.startupThrottle.perSecond: must be at most 100000 start-ups a second (drop startupThrottle for fleets without a limit)',
    ],
    ['a throttle without its rate', (s) => (s.load.startupThrottle = {}), 'load.startupThrottle.perSecond: is missing (add a number)'],
  ])('refuses %s, naming the field and the fix', (_name, mutate, expected) => {
    expect(problemsAfter(mutate)).toEqual([expected]);
  });

  it('hands every supernode the cache with every offline server as a shard and offline-1, where clients keep their inboxes, as the owner; and each fleet its throttle', () => {
    const configs = plannedNodeConfigs(withColdCache(skype2010), 'dedicated');
    const supernode = parseRoleConfig('supernode', supernodeConfigSchema, configs['sn-01']);
    expect(supernode.startupCache).toEqual({
      fanOut: 'all-shards',
      queryTimeoutMs: 800,
      shardAddresses: ['supernodes.offline-1:1000', 'supernodes.offline-2:1000', 'supernodes.offline-3:1000'],
      ownerShard: 0,
    });
    const byUser = { ...withColdCache(skype2010) };
    const dedicated = byUser.architectures.dedicated;
    if (dedicated === undefined) throw new Error('no dedicated');
    const hashed = plannedNodeConfigs(
      { ...byUser, architectures: { dedicated: { ...dedicated, topology: { ...dedicated.topology, supernode: { ...dedicated.topology.supernode, startupCache: { fanOut: 'owner-shard', queryTimeoutMs: 800, owner: 'user-hash' } } } } } },
      'dedicated',
    );
    expect(parseRoleConfig('supernode', supernodeConfigSchema, hashed['sn-01']).startupCache).toMatchObject({ fanOut: 'owner-shard', ownerShard: 'user-hash' });
    // Warming is the harness's to switch on the control port: a supernode's own config never carries it, so a restart begins cold.
    const warm = plannedNodeConfigs(
      { ...byUser, architectures: { dedicated: { ...dedicated, topology: { ...dedicated.topology, supernode: { ...dedicated.topology.supernode, startupCache: { fanOut: 'all-shards', queryTimeoutMs: 800, prewarmed: true } } } } } },
      'dedicated',
    );
    expect(JSON.stringify(warm['sn-01'])).not.toMatch(/prewarm|warming/);
    expect(parseRoleConfig('supernode', supernodeConfigSchema, warm['sn-01']).startupCache).toMatchObject({ fanOut: 'all-shards', queryTimeoutMs: 800 });
    const fleet = parseRoleConfig('client-fleet', clientFleetConfigSchema, configs['fleet-1']);
    expect(fleet.offlineMessagesAddress).toBe('clients.offline-1:1000');
    expect(fleet.startupThrottle).toEqual({ perSecond: 50 });
  });

  it.each<Architecture>(['p2p', 'dedicated'])("leaves skype-2010's %s node configs unchanged: no cache, no throttle; the fields add their own keys and nothing else", (architecture) => {
    const before = plannedNodeConfigs(skype2010, architecture);
    expect(JSON.stringify(before)).not.toMatch(/startupCache|startupThrottle/);
    const sameServers = withColdCache({ ...skype2010, architectures: { [architecture]: skype2010.architectures[architecture] } });
    const run = sameServers.architectures[architecture];
    if (run === undefined) throw new Error(`no ${architecture}`);
    const unchangedServers = { ...sameServers, architectures: { [architecture]: { ...run, topology: { ...run.topology, offlineMessageServers: skype2010.architectures[architecture]?.topology.offlineMessageServers ?? 1 } } } };
    const withFields = plannedNodeConfigs(unchangedServers, architecture);
    expect(Object.keys(withFields)).toEqual(Object.keys(before));
    for (const [name, config] of Object.entries(withFields)) {
      const { startupCache: _cache, startupThrottle: _throttle, ...rest } = config;
      expect(rest, name).toEqual(before[name]);
    }
    for (const [name, config] of Object.entries(before)) {
      if (config['mode'] !== undefined) expect(parseRoleConfig('supernode', supernodeConfigSchema, config).startupCache, name).toBeUndefined();
      if (config['users'] !== undefined) expect(parseRoleConfig('client-fleet', clientFleetConfigSchema, config).startupThrottle, name).toBeUndefined();
    }
  });
});
