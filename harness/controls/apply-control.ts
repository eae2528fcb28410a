import { ChaosError, isChaosError } from '../errors.js';
import { faultNames } from '../faults/registry.js';
import { validateScenario } from '../scenario/define-scenario.js';
import type { Architecture, NegativeControl, ScenarioDefinition, TimelineAction, TimelineStep } from '../scenario/types.js';
import { setFieldPaths } from './set-field-paths.js';

/** A control ready to run: the control, and the scenario on its sabotaged system. */
export interface PreparedControl {
  readonly control: NegativeControl;
  readonly scenario: ScenarioDefinition;
}

/** `<scenario>--control-<control>`: scenario names allow no `~`. */
export function controlScenarioName(scenario: string, control: string): string {
  return `${scenario}--control-${control}`;
}

/**
 * The scenario on the control's sabotaged system: a deep copy with each `set` path at its value,
 * only the control's architecture (and the timeline steps that run on it), named after the control,
 * without controls of its own, validated whole. Throws INVALID_SCENARIO naming the control.
 */
export function applyControl(scenario: ScenarioDefinition, control: NegativeControl): ScenarioDefinition {
  const sabotaged = setFieldPaths(scenario, control.set);
  if ('problems' in sabotaged) {
    throw invalidControl(scenario, control, sabotaged.problems.map(({ path, problem }) => `set["${path}"]: ${problem}`));
  }
  const { controls: _controls, ...rest } = sabotaged.value as ScenarioDefinition;
  const run = rest.architectures[control.architecture];
  const timeline = rest.timeline.filter((step) => runsOn(step, control.architecture));
  const candidate = {
    ...rest,
    name: controlScenarioName(scenario.name, control.name),
    architectures: run === undefined ? {} : { [control.architecture]: run },
    timeline,
    rollbacks: rest.rollbacks.filter((action) => !healsDroppedFault(action, rest.timeline, timeline)),
  };
  try {
    return validateScenario(candidate);
  } catch (error) {
    if (isChaosError(error) && error.code === 'INVALID_SCENARIO') throw invalidControl(scenario, control, error.details.length > 0 ? error.details : [error.message]);
    throw error;
  }
}

/** Every control of the scenario on the architectures selected, applied; one INVALID_SCENARIO listing every control that cannot be. */
export function prepareControls(scenario: ScenarioDefinition, architectures: readonly Architecture[] = ['p2p', 'dedicated']): PreparedControl[] {
  const prepared: PreparedControl[] = [];
  const failures: ChaosError[] = [];
  for (const control of scenario.controls ?? []) {
    if (!architectures.includes(control.architecture)) continue;
    try {
      prepared.push({ control, scenario: applyControl(scenario, control) });
    } catch (error) {
      if (!isChaosError(error)) throw error;
      failures.push(error);
    }
  }
  const [first] = failures;
  if (first === undefined) return prepared;
  if (failures.length === 1) throw first;
  throw new ChaosError('INVALID_SCENARIO', `${failures.length} negative controls of ${scenario.name} make invalid scenarios`, {
    hint: first.hint,
    details: failures.flatMap((failure) => [failure.message, ...failure.details.map((detail) => `  ${detail}`)]),
  });
}

const runsOn = (step: TimelineStep, architecture: Architecture): boolean => step.only === undefined || step.only.includes(architecture);

/** A rollback heal of a fault only a dropped step created: the validator would call it a heal of an unknown fault. */
function healsDroppedFault(action: TimelineAction, before: readonly TimelineStep[], after: readonly TimelineStep[]): boolean {
  if (action.do !== 'heal') return false;
  const creating: ReadonlySet<string> = faultNames.creating;
  const creates = (step: TimelineStep): boolean => creating.has(step.action.do) && 'id' in step.action && step.action.id === action.id;
  return before.some(creates) && !after.some(creates);
}

function invalidControl(scenario: ScenarioDefinition, control: NegativeControl, details: readonly string[]): ChaosError {
  return new ChaosError('INVALID_SCENARIO', `negative control "${control.name}" of ${scenario.name} makes an invalid scenario on ${control.architecture}`, {
    hint: `fix the set of control "${control.name}": each problem below names a field of the sabotaged scenario and the fix`,
    details,
  });
}
