import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { loginConfigSchema } from '../../../services/login/login-config.js';
import { offlineMessagesConfigSchema } from '../../../services/offline-messages/offline-messages-config.js';
import { supernodeConfigSchema } from '../../../services/supernode/supernode-config.js';
import { createTimeScale } from '../../../harness/scenario/time-scale.js';
import type { Architecture, ScenarioDefinition, SystemDefects } from '../../../harness/scenario/types.js';
import type { AddressBook } from '../../../harness/topology/deploy-topology.js';
import { nodeConfigBuilder } from '../../../harness/topology/node-configs.js';
import { planTopology } from '../../../harness/topology/plan-topology.js';
import type { PlannedNode, TopologyPlan } from '../../../harness/topology/plan-types.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';

const addresses: AddressBook = { dial: (from, to) => `${from}.${to}:1000` };

function withDefects(architecture: Architecture, defects: SystemDefects | undefined): ScenarioDefinition {
  const scenario = validScenarioDefinition();
  const run = scenario.architectures[architecture];
  if (run === undefined) throw new Error(`the fixture has ${architecture}`);
  const topology = defects === undefined ? run.topology : { ...run.topology, defects };
  return { ...scenario, architectures: { ...scenario.architectures, [architecture]: { ...run, topology } } };
}

/** The plan of one architecture and the configs of its nodes, by name. */
function deployment(architecture: Architecture, defects?: SystemDefects, unit: () => number = sequence()) {
  const scenario = withDefects(architecture, defects);
  const run = scenario.architectures[architecture];
  if (run === undefined) throw new Error(`no ${architecture}`);
  const plan = planTopology(architecture, run.topology, unit, scenario.load);
  const configFor = nodeConfigBuilder({ scenario, architecture, scale: createTimeScale(scenario.timeScale), seed: scenario.seed });
  const view = { plan, planned: (group: PlannedNode['group']) => plan.nodes.filter((node) => node.group === group) };
  const config = (name: string) => {
    const node = plan.nodes.find((planned) => planned.name === name);
    if (node === undefined) throw new Error(`no node ${name}`);
    return configFor(node, addresses, view);
  };
  return { plan, config };
}

function sequence(): () => number {
  let state = 0.123;
  return () => (state = (state * 9301 + 0.49297) % 1);
}

const supernodesOf = (plan: TopologyPlan) => plan.nodes.filter((node) => node.role === 'supernode');

describe('node configs without defects', () => {
  it('are as before: login promotes in p2p, dedicated boxes run no client, no defect field is set', () => {
    const p2p = deployment('p2p');
    expect(p2p.config('login')).toEqual({ secret: expect.any(String), wantedSupernodes: 10, seed: 7 });
    expect(p2p.config('offline-1')).toEqual({ secret: expect.any(String) });
    const dedicated = deployment('dedicated');
    expect(dedicated.config('login')).toMatchObject({ wantedSupernodes: 0 });
    for (const box of supernodesOf(dedicated.plan)) {
      expect(box.clientVersion).toBeUndefined();
      expect(dedicated.config(box.name)).toMatchObject({ mode: 'dedicated' });
      expect(dedicated.config(box.name)).not.toHaveProperty('client');
    }
  });
});

describe('node configs with system defects', () => {
  it('promotionOff: login never promotes standby peers (wantedSupernodes 0)', () => {
    const { config } = deployment('p2p', { promotionOff: true });
    const login = parseRoleConfig('login', loginConfigSchema, config('login'));
    expect(login.wantedSupernodes).toBe(0);
    expect(login.pinUsersToFirstSupernode).toBe(false);
  });

  it('directoryPinsDeadSupernodes: login pins users to their first supernode', () => {
    const { config } = deployment('dedicated', { directoryPinsDeadSupernodes: true });
    expect(parseRoleConfig('login', loginConfigSchema, config('login')).pinUsersToFirstSupernode).toBe(true);
  });

  it('offlineStoreDropsShare: the offline-messages server drops that share, seeded by the run', () => {
    const { config } = deployment('dedicated', { offlineStoreDropsShare: 0.25 });
    expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, config('offline-1'))).toMatchObject({ dropShare: 0.25, seed: 7 });
  });

  it('boxesRunClientVersion: every dedicated box runs that client as a serving peer, with its own tuning', () => {
    const { plan, config } = deployment('dedicated', { boxesRunClientVersion: 'buggy' });
    const boxes = supernodesOf(plan);
    expect(boxes).toHaveLength(3);
    expect(boxes.every((box) => box.supernodeKind === 'dedicated' && box.clientVersion === 'buggy' && typeof box.vulnerable === 'boolean')).toBe(true);
    expect(parseRoleConfig('login', loginConfigSchema, config('login')).wantedSupernodes).toBe(0);
    for (const box of boxes) {
      const parsed = parseRoleConfig('supernode', supernodeConfigSchema, config(box.name));
      expect(parsed).toMatchObject({ mode: 'peer', standby: false, capacity: { sessions: 500, requestsPerSecond: 1_000 }, rejoinDelayMs: 500 });
      expect(parsed.client).toMatchObject({ clientVersion: 'buggy', vulnerable: box.vulnerable, buggyVersion: 'buggy', crashProbability: 0.4 });
    }
  });

  it('boxesRunClientVersion: each box running the buggy version is vulnerable with the crash probability, drawn from the seed', () => {
    const vulnerableCounts = Array.from({ length: 300 }, (_, seed) => {
      let state = (seed + 1) / 301;
      const unit = (): number => (state = (state * 9301 + 0.49297) % 1);
      return supernodesOf(deployment('dedicated', { boxesRunClientVersion: 'buggy' }, unit).plan).filter((box) => box.vulnerable).length;
    });
    const mean = vulnerableCounts.reduce((a, b) => a + b, 0) / vulnerableCounts.length;
    // 3 boxes x 0.4 = 1.2 expected.
    expect(mean).toBeGreaterThan(0.9);
    expect(mean).toBeLessThan(1.5);
    expect(new Set(vulnerableCounts).size).toBeGreaterThan(2);
    expect(deployment('dedicated', { boxesRunClientVersion: 'buggy' }).plan).toEqual(deployment('dedicated', { boxesRunClientVersion: 'buggy' }).plan);
  });

  it('boxesRunClientVersion: boxes running a fixed version are never vulnerable', () => {
    const { plan, config } = deployment('dedicated', { boxesRunClientVersion: 'fine' });
    for (const box of supernodesOf(plan)) {
      expect(box.vulnerable).toBe(false);
      expect(config(box.name)).toMatchObject({ mode: 'peer', client: { clientVersion: 'fine', vulnerable: false } });
    }
  });
});
