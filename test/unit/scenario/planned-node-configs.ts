import { createTimeScale } from '../../../harness/scenario/time-scale.js';
import type { Architecture, ScenarioDefinition, SupernodeTuning } from '../../../harness/scenario/types.js';
import { nodeConfigBuilder } from '../../../harness/topology/node-configs.js';
import { planTopology } from '../../../harness/topology/plan-topology.js';
import { validScenarioDefinition } from './scenario-fixture.js';

/** Every node's config of one architecture, by node name; the plan is drawn from a fixed sequence, so two calls plan alike. */
export function plannedNodeConfigs(scenario: ScenarioDefinition, architecture: Architecture): Record<string, Record<string, unknown>> {
  const run = scenario.architectures[architecture];
  if (run === undefined) throw new Error(`no ${architecture} in ${scenario.name}`);
  let state = 0.123;
  const unit = (): number => (state = (state * 9301 + 0.49297) % 1);
  const plan = planTopology(architecture, run.topology, unit, scenario.load);
  const configFor = nodeConfigBuilder({ scenario, architecture, scale: createTimeScale(scenario.timeScale), seed: scenario.seed });
  const view = { plan, planned: (group: string) => plan.nodes.filter((node) => node.group === group) };
  return Object.fromEntries(plan.nodes.map((node) => [node.name, configFor(node, { dial: (from, to) => `${from}.${to}:1000` }, view)]));
}

/** The dedicated architecture's supernode configs of the valid fixture, with the supernode tuning changed. */
export function dedicatedSupernodeConfigs(change: Partial<SupernodeTuning>): Record<string, unknown>[] {
  const scenario = validScenarioDefinition();
  const run = scenario.architectures.dedicated;
  if (run === undefined) throw new Error('the fixture has dedicated');
  const topology = { ...run.topology, supernode: { ...run.topology.supernode, ...change } };
  const changed: ScenarioDefinition = { ...scenario, architectures: { ...scenario.architectures, dedicated: { ...run, topology } } };
  return Object.values(plannedNodeConfigs(changed, 'dedicated')).filter((config) => 'overlayAddress' in config);
}
