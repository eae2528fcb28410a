import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { clientFleetConfigSchema } from '../../../services/client-fleet/client-fleet-config.js';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { offlineMessagesConfigSchema } from '../../../services/offline-messages/offline-messages-config.js';
import { supernodeConfigSchema } from '../../../services/supernode/supernode-config.js';
import { scenarioJsonSchema } from '../../../harness/scenario/scenario-json-schema.js';
import type { Architecture, ScenarioDefinition } from '../../../harness/scenario/types.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { problemsAfter, validScenario, type MutableScenario } from './scenario-fixture.js';
import { plannedNodeConfigs } from './planned-node-configs.js';

/** The scenario with a query capacity on every architecture's offline store and clients that re-sync in full. */
function withResyncLoop(scenario: ScenarioDefinition): ScenarioDefinition {
  const architectures = Object.fromEntries(
    Object.entries(scenario.architectures).map(([name, run]) => [name, { ...run, topology: { ...run.topology, offlineMessages: { queryCapacity: 50 } } }]),
  );
  return { ...scenario, load: { ...scenario.load, inboxErrors: { policy: 'full-resync', resyncQueries: 8 } }, architectures };
}

/** A config without the fields the resync loop adds, wherever they sit. */
function withoutResyncFields(config: Record<string, unknown>): Record<string, unknown> {
  const { queryCapacity: _capacity, inboxErrors: _errors, client, ...rest } = config;
  return client === undefined ? rest : { ...rest, client: withoutResyncFields(client as Record<string, unknown>) };
}

describe('an offline store query capacity and clients that re-sync in full, in the scenario language', () => {
  it('accepts them', () => {
    expect(
      problemsAfter((s) => {
        s.architectures.dedicated.topology.offlineMessages = { queryCapacity: 200 };
        s.architectures.p2p.topology.offlineMessages = {};
        s.load.inboxErrors = { policy: 'full-resync', resyncQueries: 10 };
      }),
    ).toEqual([]);
    expect(problemsAfter((s) => (s.load.inboxErrors = { policy: 'wait' }))).toEqual([]);
  });

  it('are in the JSON Schema of scenario files, with their limits', () => {
    const validate = new Ajv2020({ strict: true, formats: { date: /^\d{4}-\d{2}-\d{2}$/ } }).compile(scenarioJsonSchema());
    const document = (inboxErrors: unknown) => {
      const scenario = validScenario();
      scenario.architectures.dedicated.topology.offlineMessages = { queryCapacity: 200 };
      scenario.load.inboxErrors = inboxErrors;
      return scenario;
    };
    expect(validate(document({ policy: 'full-resync', resyncQueries: 10 }))).toBe(true);
    expect(validate(document({ policy: 'wait' }))).toBe(true);
    expect(validate(document({ policy: 'full-resync', resyncQueries: 0 }))).toBe(false);
  });

  it.each<[string, (s: MutableScenario) => void, string]>([
    [
      'a zero query capacity',
      (s) => (s.architectures.dedicated.topology.offlineMessages = { queryCapacity: 0 }),
      'architectures.dedicated.topology.offlineMessages.queryCapacity: must be at least 1',
    ],
    [
      'a fractional query capacity',
      (s) => (s.architectures.dedicated.topology.offlineMessages = { queryCapacity: 2.5 }),
      'architectures.dedicated.topology.offlineMessages.queryCapacity: must be a whole number',
    ],
    [
      'a query capacity beyond what the store takes',
      (s) => (s.architectures.p2p.topology.offlineMessages = { queryCapacity: 2e6 }),
      'architectures.p2p.topology.offlineMessages.queryCapacity: must be at most 1000000 queries a second (drop queryCapacity for a store without a limit)',
    ],
    [
      'an unknown store field',
      (s) => (s.architectures.p2p.topology.offlineMessages = { capacity: 10 }),
      'architectures.p2p.topology.offlineMessages.capacity: is not a known field (remove it or check its spelling)',
    ],
    ['an unknown policy', (s) => (s.load.inboxErrors = { policy: 'retry' }), 'load.inboxErrors.policy: names no known variant (use one of "wait", "full-resync")'],
    ['a full re-sync without its queries', (s) => (s.load.inboxErrors = { policy: 'full-resync' }), 'load.inboxErrors.resyncQueries: is missing (add a number)'],
    ['a re-sync of no query', (s) => (s.load.inboxErrors = { policy: 'full-resync', resyncQueries: 0 }), 'load.inboxErrors.resyncQueries: must be at least 1'],
    [
      'a re-sync of more queries than a client sends at once',
      (s) => (s.load.inboxErrors = { policy: 'full-resync', resyncQueries: 101 }),
      'load.inboxErrors.resyncQueries: must be at most 100 queries (lower resyncQueries; every client sends its re-sync\'s queries at once)',
    ],
    [
      'waiting with re-sync queries',
      (s) => (s.load.inboxErrors = { policy: 'wait', resyncQueries: 5 }),
      'load.inboxErrors.resyncQueries: is not a known field (remove it or check its spelling)',
    ],
  ])('refuses %s, naming the field and the fix', (_name, mutate, expected) => {
    expect(problemsAfter(mutate)).toEqual([expected]);
  });

  it("hands the query capacity to the offline store and the policy to every client, the fleets' and the peers' own", () => {
    const configs = plannedNodeConfigs(withResyncLoop(skype2010), 'p2p');
    expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, configs['offline-1']).queryCapacity).toBe(50);
    const fleet = parseRoleConfig('client-fleet', clientFleetConfigSchema, configs['fleet-1']);
    expect(fleet.inboxErrors).toEqual({ policy: 'full-resync', resyncQueries: 8 });
    const peers = Object.values(configs).filter((config) => config['mode'] === 'peer');
    expect(peers.length).toBeGreaterThan(0);
    for (const peer of peers) expect(parseRoleConfig('supernode', supernodeConfigSchema, peer).client?.inboxErrors).toEqual({ policy: 'full-resync', resyncQueries: 8 });
  });

  it.each<Architecture>(['p2p', 'dedicated'])("leaves skype-2010's %s node configs as they were: the new fields add their own keys and nothing else", (architecture) => {
    const before = plannedNodeConfigs(skype2010, architecture);
    const withFields = plannedNodeConfigs(withResyncLoop(skype2010), architecture);
    expect(JSON.stringify(before)).not.toMatch(/queryCapacity|inboxErrors/);
    expect(Object.keys(withFields)).toEqual(Object.keys(before));
    for (const [name, config] of Object.entries(withFields)) expect(withoutResyncFields(config)).toEqual(before[name]);
    expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, before['offline-1']).queryCapacity).toBeUndefined();
    expect(parseRoleConfig('client-fleet', clientFleetConfigSchema, before['fleet-1']).inboxErrors).toEqual({ policy: 'wait' });
  });
});
