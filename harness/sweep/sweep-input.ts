import { ChaosError, isChaosError } from '../errors.js';
import { MAX_REPEAT } from '../runner/repeat-runs.js';
import { validateScenario } from '../scenario/define-scenario.js';
import type { Architecture, Expectation, ScenarioDefinition } from '../scenario/types.js';
import { DEFAULT_HOLDS_WHEN, HOLDS_WHEN, isHoldsWhen, type HoldsWhen } from './holds-when.js';
import { resolveSweepParam, withParamValue, withParamValues, type SweepParam } from './sweep-param.js';
import { fieldsAt, type ScaledField } from './sweep-scale.js';

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
  /** `--scale-with` paths as given, in order: fields set in proportion to the swept one at every point. */
  readonly scaleWith?: readonly string[];
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
  /** The fields `--scale-with` names, in the order given; empty without it. */
  readonly scaleWith: readonly ScaledField[];
}

const invalid = (message: string, hint: string, details?: readonly string[]): ChaosError =>
  new ChaosError('INVALID_CONFIG', message, { hint, ...(details === undefined ? {} : { details }) });

/**
 * Refuses a sweep before anything starts (exit 2): an architecture the scenario lacks, a path that
 * names no number (for --param or a --scale-with), a --scale-with that repeats --param or another, a
 * --scale-with when the swept field ships 0 (no ratio to scale by), an empty or reversed range, a bad
 * --repeat, --steps or --holds-when, and an end of the range at which the scenario (with its scaled
 * fields) breaks its schema, its cross-field rules or the machine's limits. Within the ends every rule
 * is an interval bound and every scaled field moves one way with the swept one, so the points between
 * are valid too (and each is validated again before it runs).
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
  const scaled = resolveScaleWith(scenario, request.scaleWith ?? [], param, architecture);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw invalid(`--from ${from} --to ${to} is not a range of numbers`, 'give --from and --to as finite numbers, e.g. --from 10 --to 200');
  if (from >= to) {
    const example = from > to ? `--from ${to} --to ${from}` : `--from ${from} --to ${from === 0 ? 1 : from * 2}`;
    throw invalid(`--from ${from} is not below --to ${to}`, `give the smaller value with --from and the larger with --to (the sweep finds which side breaks), e.g. ${example}`);
  }
  const integer = takesOnlyWholeNumbers(scenario, param, from, to);
  if (integer && (!Number.isInteger(from) || !Number.isInteger(to))) {
    throw invalid(`${param.path} takes whole numbers only, but the range is --from ${from} --to ${to}`, `give whole numbers, e.g. --from ${Math.ceil(from)} --to ${Math.floor(to)}`);
  }
  const scaleWith = scaled.map((field) => ({ ...field, integer: takesOnlyWholeNumbers(scenario, field, Math.floor(field.shipped), Math.floor(field.shipped) + 1) }));
  for (const [flag, value] of [['--from', from], ['--to', to]] as const) {
    const problems = problemsOf(() => scenarioAt(scenario, param, value, scaleWith));
    if (problems.length > 0) {
      const fields = fieldsAt(param, scaleWith, value).slice(1);
      const along = fields.length === 0 ? '' : ` (with ${fields.map((field) => `${field.path} ${field.value}`).join(', ')})`;
      const grow = fields.length === 0 ? '' : '; the --scale-with fields grow and shrink with it';
      throw invalid(`${flag} ${value} makes ${param.path}${along} outside what ${scenario.name} may hold`, `choose --from and --to within the limits listed below (the scenario's schema and this machine's limits${grow})`, problems);
    }
  }
  return { scenario, architecture, expectation: run.expectation, param, from, to, integer, repeat: request.repeat, steps: request.steps, holdsWhen, scaleWith };
}

/**
 * The scenario with the swept field at `value` and every scaled field at its scaled value, validated
 * whole; throws INVALID_SCENARIO listing every problem.
 */
export function scenarioAt(scenario: ScenarioDefinition, param: SweepParam, value: number, scaleWith: readonly ScaledField[] = []): ScenarioDefinition {
  return validateScenario(withParamValues(scenario, fieldsAt(param, scaleWith, value)));
}

/** Each `--scale-with` resolved like --param: a number of the scenario, not --param, not given twice, and a swept field that ships a ratio. */
function resolveScaleWith(scenario: ScenarioDefinition, texts: readonly string[], param: SweepParam, architecture: Architecture): Omit<ScaledField, 'integer'>[] {
  const fields: Omit<ScaledField, 'integer'>[] = [];
  for (const text of texts) {
    const field = resolveSweepParam(scenario, text, architecture, '--scale-with');
    if (field.path === param.path) {
      throw invalid(`--scale-with ${field.path} is the field --param sweeps`, "give --scale-with the other fields that should grow with it (the swept field is set to each point's value already)");
    }
    if (fields.some((other) => other.path === field.path)) {
      throw invalid(`--scale-with ${field.path} is given twice`, 'give each field to scale once');
    }
    fields.push(field);
  }
  if (fields.length > 0 && param.shipped === 0) {
    throw invalid(
      `--scale-with needs a ratio, but --param ${param.path} ships 0 (a point's value divided by 0)`,
      `sweep a field ${scenario.name} ships other than 0, or set the other fields in a scenario file of your own and sweep without --scale-with`,
    );
  }
  return fields;
}

/** The problems a scenario building throws (INVALID_SCENARIO's details), none when it builds. */
function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
    return [];
  } catch (error) {
    if (isChaosError(error)) return error.details.length > 0 ? error.details : [error.message];
    throw error;
  }
}

/** Whole numbers only when the schema refuses, with "whole number", a fraction between `from` and `to` in this field alone. */
function takesOnlyWholeNumbers(scenario: ScenarioDefinition, field: SweepParam, from: number, to: number): boolean {
  const fraction = Math.floor((from + to) / 2) + 0.5;
  return problemsOf(() => validateScenario(withParamValue(scenario, field.segments, fraction))).some((problem) => problem.startsWith(`${field.path}:`) && problem.includes('whole number'));
}
