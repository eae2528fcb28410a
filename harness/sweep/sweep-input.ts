import { ChaosError, isChaosError } from '../errors.js';
import { MAX_REPEAT } from '../runner/repeat-runs.js';
import { validateScenario } from '../scenario/define-scenario.js';
import type { Architecture, Expectation, ScenarioDefinition } from '../scenario/types.js';
import { DEFAULT_HOLDS_WHEN, HOLDS_WHEN, isHoldsWhen, type HoldsWhen } from './holds-when.js';
import { resolveSweepParam, withParamValue, type SweepParam } from './sweep-param.js';

/** The most bisection steps `--steps` accepts: 2^-20 of the range is finer than any run can tell apart. */
export const MAX_SWEEP_STEPS = 20;
export const DEFAULT_SWEEP_REPEAT = 3;
export const DEFAULT_SWEEP_STEPS = 5;

export interface SweepRequest {
  readonly scenario: ScenarioDefinition;
  readonly architecture: Architecture;
  readonly param: string;
  readonly from: number;
  readonly to: number;
  readonly repeat: number;
  readonly steps: number;
  /** `--holds-when` as given; the expectation when not given. */
  readonly holdsWhen?: string;
}

/** A sweep checked whole: every point it may run is a valid scenario. */
export interface SweepSpec {
  readonly scenario: ScenarioDefinition;
  readonly architecture: Architecture;
  readonly expectation: Expectation;
  readonly param: SweepParam;
  readonly from: number;
  readonly to: number;
  /** The schema takes only whole numbers here: bisection points are rounded, and the ends must be whole. */
  readonly integer: boolean;
  readonly repeat: number;
  readonly steps: number;
  readonly holdsWhen: HoldsWhen;
}

const invalid = (message: string, hint: string, details?: readonly string[]): ChaosError =>
  new ChaosError('INVALID_CONFIG', message, { hint, ...(details === undefined ? {} : { details }) });

/**
 * Refuses a sweep before anything starts (exit 2): an architecture the scenario lacks, a path that
 * names no number, an empty or reversed range, a bad --repeat, --steps or --holds-when, and an end of the range at
 * which the scenario breaks its schema, its cross-field rules or the machine's limits. Within the
 * ends every rule is an interval bound, so the points between are valid too.
 */
export function checkSweepRequest(request: SweepRequest): SweepSpec {
  const { scenario, architecture, from, to } = request;
  const run = scenario.architectures[architecture];
  if (run === undefined) {
    throw invalid(`scenario ${scenario.name} does not define architecture ${architecture}`, `use --arch with ${Object.keys(scenario.architectures).join(' or ')}`);
  }
  if (!Number.isInteger(request.repeat) || request.repeat < 1 || request.repeat > MAX_REPEAT) {
    throw invalid(`--repeat ${request.repeat} is not a run count`, `give --repeat an integer from 1 to ${MAX_REPEAT} (runs per point; default ${DEFAULT_SWEEP_REPEAT})`);
  }
  if (!Number.isInteger(request.steps) || request.steps < 0 || request.steps > MAX_SWEEP_STEPS) {
    throw invalid(`--steps ${request.steps} is not a step count`, `give --steps an integer from 0 to ${MAX_SWEEP_STEPS} (bisection points after the two ends; default ${DEFAULT_SWEEP_STEPS})`);
  }
  const holdsWhen = request.holdsWhen ?? DEFAULT_HOLDS_WHEN;
  if (!isHoldsWhen(holdsWhen)) {
    throw invalid(
      `--holds-when ${holdsWhen} is not a rule a point can hold by`,
      `give --holds-when ${HOLDS_WHEN.join(' or ')}: expectation (the default) when the architecture meets its expectation in every run, delivered when the harness delivers the scenario's load in every run`,
    );
  }
  const param = resolveSweepParam(scenario, request.param, architecture);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw invalid(`--from ${from} --to ${to} is not a range of numbers`, 'give --from and --to as finite numbers, e.g. --from 10 --to 200');
  if (from >= to) {
    const example = from > to ? `--from ${to} --to ${from}` : `--from ${from} --to ${from === 0 ? 1 : from * 2}`;
    throw invalid(`--from ${from} is not below --to ${to}`, `give the smaller value with --from and the larger with --to (the sweep finds which side breaks), e.g. ${example}`);
  }
  const integer = takesOnlyWholeNumbers(scenario, param, from, to);
  if (integer && (!Number.isInteger(from) || !Number.isInteger(to))) {
    throw invalid(`${param.path} takes whole numbers only, but the range is --from ${from} --to ${to}`, `give whole numbers, e.g. --from ${Math.ceil(from)} --to ${Math.floor(to)}`);
  }
  for (const [flag, value] of [['--from', from], ['--to', to]] as const) {
    const problems = problemsAt(scenario, param, value);
    if (problems.length > 0) {
      throw invalid(`${flag} ${value} makes ${param.path} outside what ${scenario.name} may hold`, `choose --from and --to within the limits listed below (the scenario's schema and this machine's limits)`, problems);
    }
  }
  return { scenario, architecture, expectation: run.expectation, param, from, to, integer, repeat: request.repeat, steps: request.steps, holdsWhen };
}

/** The scenario with the field at `value`, validated whole; throws INVALID_SCENARIO listing every problem. */
export function scenarioAt(scenario: ScenarioDefinition, param: SweepParam, value: number): ScenarioDefinition {
  return validateScenario(withParamValue(scenario, param.segments, value));
}

function problemsAt(scenario: ScenarioDefinition, param: SweepParam, value: number): readonly string[] {
  try {
    scenarioAt(scenario, param, value);
    return [];
  } catch (error) {
    if (isChaosError(error)) return error.details.length > 0 ? error.details : [error.message];
    throw error;
  }
}

/** Whole numbers only when the schema refuses a fraction between the ends with "whole number". */
function takesOnlyWholeNumbers(scenario: ScenarioDefinition, param: SweepParam, from: number, to: number): boolean {
  const fraction = Math.floor((from + to) / 2) + 0.5;
  return problemsAt(scenario, param, fraction).some((problem) => problem.startsWith(`${param.path}:`) && problem.includes('whole number'));
}
