import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { offlineMessagesConfigSchema } from '../../../services/offline-messages/offline-messages-config.js';
import { scenarioJsonSchema } from '../../../harness/scenario/scenario-json-schema.js';
import type { Architecture, ScenarioDefinition } from '../../../harness/scenario/types.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { problemsAfter, validScenario, type MutableScenario } from './scenario-fixture.js';
import { plannedNodeConfigs } from './planned-node-configs.js';

const pool = { workers: 2, serviceTimeMs: 50, maxQueue: 500 };

/** The scenario with a slow worker pool on every architecture's offline stores. */
function withSlowStores(scenario: ScenarioDefinition): ScenarioDefinition {
  const architectures = Object.fromEntries(
    Object.entries(scenario.architectures).map(([name, run]) => [name, { ...run, topology: { ...run.topology, offlineMessageServers: 2, offlineMessages: pool } }]),
  );
  return { ...scenario, architectures };
}

describe("the offline store's worker pool, in the scenario language", () => {
  it('accepts it, alone or beside a query capacity', () => {
    expect(
      problemsAfter((s) => {
        s.architectures.dedicated.topology.offlineMessages = { workers: 1, serviceTimeMs: 0 };
        s.architectures.p2p.topology.offlineMessages = { ...pool, queryCapacity: 40 };
      }),
    ).toEqual([]);
  });

  it('is in the JSON Schema of scenario files, with its limits', () => {
    const validate = new Ajv2020({ strict: true, formats: { date: /^\d{4}-\d{2}-\d{2}$/ } }).compile(scenarioJsonSchema());
    const document = (offlineMessages: unknown) => {
      const scenario = validScenario();
      scenario.architectures.dedicated.topology.offlineMessages = offlineMessages;
      return scenario;
    };
    expect(validate(document(pool))).toBe(true);
    expect(validate(document({ workers: 0 }))).toBe(false);
    expect(validate(document({ serviceTimeMs: -1 }))).toBe(false);
    expect(validate(document({ maxQueue: 2_000_000 }))).toBe(false);
  });

  it.each<[string, (s: MutableScenario) => void, string]>([
    ['no worker', (s) => (s.architectures.dedicated.topology.offlineMessages = { workers: 0 }), 'architectures.dedicated.topology.offlineMessages.workers: must be at least 1'],
    ['a fraction of a worker', (s) => (s.architectures.dedicated.topology.offlineMessages = { workers: 1.5 }), 'architectures.dedicated.topology.offlineMessages.workers: must be a whole number'],
    [
      'more workers than the store takes',
      (s) => (s.architectures.p2p.topology.offlineMessages = { workers: 1_001 }),
      "architectures.p2p.topology.offlineMessages.workers: must be at most 1000 (what the store's config takes)",
    ],
    ['a negative service time', (s) => (s.architectures.p2p.topology.offlineMessages = { serviceTimeMs: -5 }), 'architectures.p2p.topology.offlineMessages.serviceTimeMs: must not be negative'],
    [
      'a service time beyond what the store takes',
      (s) => (s.architectures.p2p.topology.offlineMessages = { serviceTimeMs: 61_000 }),
      "architectures.p2p.topology.offlineMessages.serviceTimeMs: must be at most 60000 ms (what the store's config takes)",
    ],
    ['a queue of nothing', (s) => (s.architectures.p2p.topology.offlineMessages = { maxQueue: 0 }), 'architectures.p2p.topology.offlineMessages.maxQueue: must be at least 1'],
    [
      'a queue beyond what the store takes',
      (s) => (s.architectures.p2p.topology.offlineMessages = { maxQueue: 1_000_001 }),
      "architectures.p2p.topology.offlineMessages.maxQueue: must be at most 1000000 requests (what the store's config takes)",
    ],
  ])('refuses %s, naming the field and the fix', (_name, mutate, expected) => {
    expect(problemsAfter(mutate)).toEqual([expected]);
  });

  it('hands the pool to every offline store', () => {
    const configs = plannedNodeConfigs(withSlowStores(skype2010), 'dedicated');
    for (const store of ['offline-1', 'offline-2']) {
      expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, configs[store]), store).toMatchObject(pool);
    }
  });

  it.each<Architecture>(['p2p', 'dedicated'])("leaves skype-2010's %s stores on the store's defaults: no pool field in their configs", (architecture) => {
    const before = plannedNodeConfigs(skype2010, architecture);
    expect(JSON.stringify(before['offline-1'])).not.toMatch(/workers|serviceTimeMs|maxQueue/);
    expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, before['offline-1'])).toMatchObject({ workers: 4, serviceTimeMs: 2, maxQueue: 20_000 });
  });
});
