import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../../harness/scenario/scenario-json-schema.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { PEER_OFFLINE_POLL_MS } from '../../../harness/topology/node-configs.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { problemsAfter, validScenario } from './scenario-fixture.js';
import { plannedNodeConfigs } from './planned-node-configs.js';

const polledEvery = (inboxPollIntervalMs: number): ScenarioDefinition => ({ ...skype2010, load: { ...skype2010.load, inboxPollIntervalMs } });

/** Each client's inbox poll, by node: a fleet's clients, or a peer's own client. */
function pollsOf(scenario: ScenarioDefinition): Record<string, unknown> {
  const configs = plannedNodeConfigs(scenario, 'p2p');
  return Object.fromEntries(
    Object.entries(configs).flatMap(([name, config]) => {
      if (name.startsWith('fleet')) return [[name, config['offlinePollIntervalMs']]];
      const client = config['client'] as Record<string, unknown> | undefined;
      return client === undefined ? [] : [[name, client['offlinePollIntervalMs']]];
    }),
  );
}

describe("the clients' inbox poll, in the scenario language", () => {
  it('accepts a poll interval, and 0 for a read at login only', () => {
    expect(problemsAfter((s) => (s.load.inboxPollIntervalMs = 30_000))).toEqual([]);
    expect(problemsAfter((s) => (s.load.inboxPollIntervalMs = 0))).toEqual([]);
  });

  it('refuses a negative interval and one past the timer limit, naming the field and the fix', () => {
    expect(problemsAfter((s) => (s.load.inboxPollIntervalMs = -1))).toEqual(['load.inboxPollIntervalMs: must not be negative']);
    expect(problemsAfter((s) => (s.load.inboxPollIntervalMs = 4_000_000))).toEqual(['load.inboxPollIntervalMs: must be at most 3600000 ms (one hour; shorten it)']);
  });

  it('is in the JSON Schema of scenario files', () => {
    const validate = new Ajv2020({ strict: true, formats: { date: /^\d{4}-\d{2}-\d{2}$/ } }).compile(scenarioJsonSchema());
    const document = (inboxPollIntervalMs: unknown) => {
      const scenario = validScenario();
      scenario.load.inboxPollIntervalMs = inboxPollIntervalMs;
      return scenario;
    };
    expect(validate(document(0))).toBe(true);
    expect(validate(document(-5))).toBe(false);
  });

  it("sets every client's poll, a fleet's and a peer's own; absent, fleets keep their default and peers poll every 2 s", () => {
    const polls = Object.values(pollsOf(polledEvery(0)));
    expect(polls.length).toBeGreaterThan(skype2010.architectures.p2p?.topology.supernodes ?? 0);
    expect(new Set(polls)).toEqual(new Set([0]));
    const unset = pollsOf(skype2010);
    expect(Object.entries(unset).filter(([name]) => name.startsWith('fleet')).every(([, poll]) => poll === undefined)).toBe(true);
    expect(Object.entries(unset).filter(([name]) => !name.startsWith('fleet')).every(([, poll]) => poll === PEER_OFFLINE_POLL_MS)).toBe(true);
  });
});

describe("the clients' request timeout, in the scenario language", () => {
  it('accepts it, and refuses a wait under 100 ms or past the timer limit, naming the field and the fix', () => {
    expect(problemsAfter((s) => (s.load.requestTimeoutMs = 1_000))).toEqual([]);
    expect(problemsAfter((s) => (s.load.requestTimeoutMs = 50))).toEqual(['load.requestTimeoutMs: must be at least 100 ms (a shorter wait fails answers the network delivers)']);
    expect(problemsAfter((s) => (s.load.requestTimeoutMs = 4_000_000))).toEqual(['load.requestTimeoutMs: must be at most 3600000 ms (one hour; shorten it)']);
  });

  it("hands it to every client, a fleet's and a peer's own; absent, the clients keep their default", () => {
    const timeouts = (scenario: ScenarioDefinition): unknown[] =>
      Object.entries(plannedNodeConfigs(scenario, 'p2p')).flatMap(([name, config]) => {
        if (name.startsWith('fleet')) return [config['requestTimeoutMs']];
        const client = config['client'] as Record<string, unknown> | undefined;
        return client === undefined ? [] : [client['requestTimeoutMs']];
      });
    const set = timeouts({ ...skype2010, load: { ...skype2010.load, requestTimeoutMs: 1_000 } });
    expect(set.length).toBeGreaterThan(skype2010.architectures.p2p?.topology.supernodes ?? 0);
    expect(new Set(set)).toEqual(new Set([1_000]));
    expect(new Set(timeouts(skype2010))).toEqual(new Set([undefined]));
  });
});
