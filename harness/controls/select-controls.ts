import { ChaosError } from '../errors.js';
import type { ScenarioDefinition } from '../scenario/types.js';

/**
 * The scenario with only the named controls (`--control`), in the scenario's order; the scenario as it
 * is when no name is given. A name the scenario does not declare is refused, with the ones it does.
 */
export function selectControls(scenario: ScenarioDefinition, names: readonly string[] | undefined): ScenarioDefinition {
  if (names === undefined || names.length === 0) return scenario;
  const declared = (scenario.controls ?? []).map((control) => control.name);
  const unknown = names.filter((name) => !declared.includes(name));
  if (unknown.length > 0) {
    throw new ChaosError('INVALID_CONFIG', `--control ${unknown.join(', ')}: ${scenario.name} declares no such negative control`, {
      hint: declared.length === 0 ? `${scenario.name} declares no negative controls; drop --control` : `name one of ${declared.join(', ')}`,
    });
  }
  return { ...scenario, controls: (scenario.controls ?? []).filter((control) => names.includes(control.name)) };
}
