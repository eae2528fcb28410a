import { ARCHITECTURES } from '../scenario/architecture-rules.js';
import { statedTargetKeys } from '../scenario/stated-targets.js';
import type { Architecture, ScenarioDefinition, TargetKey } from '../scenario/types.js';

export interface UncoveredTarget {
  readonly architecture: Architecture;
  readonly target: TargetKey;
}

/**
 * The targets the scenario's architectures state that no control of that architecture must break:
 * a gate no sabotage has shown able to fail. Empty when every stated target is covered. Pure.
 */
export function uncoveredTargets(scenario: ScenarioDefinition): UncoveredTarget[] {
  return ARCHITECTURES.flatMap((architecture) => {
    const run = scenario.architectures[architecture];
    if (run === undefined) return [];
    const broken = new Set((scenario.controls ?? []).filter((control) => control.architecture === architecture).flatMap((control) => control.mustBreak));
    return statedTargetKeys(run)
      .filter((target) => !broken.has(target))
      .map((target) => ({ architecture, target }));
  });
}
