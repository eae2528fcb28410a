import { createTimeScale } from '../../../harness/scenario/time-scale.js';
import type { Architecture, ScenarioDefinition } from '../../../harness/scenario/types.js';
import { nodeConfigBuilder } from '../../../harness/topology/node-configs.js';
import { planTopology } from '../../../harness/topology/plan-topology.js';

/** Every node's config of one architecture, by node name; the plan is drawn from a fixed sequence, so two calls plan alike. */
export function plannedNodeConfigs(scenario: ScenarioDefinition, architecture: Architecture): Record<string, Record<string, unknown>> {
  const run = scenario.architectures[architecture];
  if (run === undefined) throw new Error(`no ${architecture} in ${scenario.name}`);
  let state = 0.123;
  const unit = (): number => (state = (state * 9301 + 0.49297) % 1);
  const plan = planTopology(architecture, run.topology, unit, scenario.load);
  const configFor = nodeConfigBuilder({ scenario, architecture, scale: createTimeScale(scenario.timeScale), seed: scenario.seed });
  const view = { plan, planned: () => [] };
  return Object.fromEntries(plan.nodes.map((node) => [node.name, configFor(node, { dial: (from, to) => `${from}.${to}:1000` }, view)]));
}
