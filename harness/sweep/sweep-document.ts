import { ExitCode } from '../errors.js';
import type { Architecture, Expectation } from '../scenario/types.js';
import type { PassTally, RepeatRunEntry } from '../verdict/repeat-summary.js';
import type { Bracket, SweepDirection, SweepOutcome, SweepStop } from './bisect-sweep.js';
import { HOLDS_RULES, type HoldsWhen } from './holds-when.js';
import { deliveryTally } from './run-delivery.js';
import type { SweepSpec } from './sweep-input.js';
import { stopText, sweepMargin, type SweepMargin } from './sweep-margin.js';
import type { PointStatus } from './sweep-point.js';
import { settingsAt, type ScaledFieldEntry } from './sweep-scale.js';

export interface SweepPointEntry {
  readonly index: number;
  readonly value: number;
  /** What the point set in the scenario, by path: the swept field at `value`, then each `--scale-with` field at its scaled value. */
  readonly set: Readonly<Record<string, number>>;
  readonly status: PointStatus;
  readonly dir: string;
  readonly stoppedEarly: boolean;
  readonly met: PassTally;
  /** Under `--holds-when delivered` only: the load's delivery over the runs, the tally the point is judged by. */
  readonly delivered?: PassTally;
  readonly runs: readonly RepeatRunEntry[];
}

/** The `report.json` of `chaos sweep`. */
export interface SweepDocument {
  readonly scenario: string;
  readonly description: string;
  readonly platform: string;
  readonly generatedAt: string;
  readonly sweep: {
    readonly architecture: Architecture;
    readonly expectation: Expectation;
    readonly param: {
      readonly path: string;
      readonly shipped: number;
      readonly from: number;
      readonly to: number;
      readonly integer: boolean;
      /** The `--scale-with` fields, each set at a point to its shipped value times value / shipped; empty without it. */
      readonly scaleWith: readonly ScaledFieldEntry[];
    };
    readonly repeat: number;
    readonly steps: number;
    readonly baseSeed: number;
    /** Every point runs these seeds, so points differ only in the parameter. */
    readonly seeds: readonly number[];
    /** What a point holds by: the architecture's expectation, or the harness delivering the scenario's load. */
    readonly holdsWhen: HoldsWhen;
    /** That rule in words. */
    readonly holdsRule: string;
    readonly direction: SweepDirection | null;
    readonly bracket: Bracket | null;
    readonly stop: SweepStop & { readonly text: string };
    readonly margin: SweepMargin;
    /** In the order they were run. */
    readonly points: readonly SweepPointEntry[];
  };
}

export interface SweepDocumentOptions {
  readonly spec: SweepSpec;
  readonly baseSeed: number;
  readonly seeds: readonly number[];
  readonly platform: string;
  readonly now?: Date;
}

/** The sweep's outcome as its reports show it. Pure. */
export function buildSweepDocument(outcome: SweepOutcome, options: SweepDocumentOptions): SweepDocument {
  const { spec } = options;
  const scaleWith = spec.scaleWith.map((field) => ({ path: field.path, shipped: field.shipped, integer: field.integer }));
  const param = { path: spec.param.path, shipped: spec.param.shipped, from: spec.from, to: spec.to, integer: spec.integer, scaleWith };
  return {
    scenario: spec.scenario.name,
    description: spec.scenario.description,
    platform: options.platform,
    generatedAt: (options.now ?? new Date()).toISOString(),
    sweep: {
      architecture: spec.architecture,
      expectation: spec.expectation,
      param,
      repeat: spec.repeat,
      steps: spec.steps,
      baseSeed: options.baseSeed,
      seeds: options.seeds,
      holdsWhen: spec.holdsWhen,
      holdsRule: HOLDS_RULES[spec.holdsWhen],
      direction: outcome.direction,
      bracket: outcome.bracket,
      stop: { ...outcome.stop, text: stopText(outcome, spec.param.path, spec.steps) },
      margin: sweepMargin(outcome, param, spec.holdsWhen),
      points: outcome.points.map((point) => ({
        index: point.index,
        value: point.value,
        set: settingsAt(spec.param, spec.scaleWith, point.value),
        status: point.status,
        dir: point.dir,
        stoppedEarly: point.stoppedEarly,
        met: point.met,
        ...(spec.holdsWhen === 'delivered' ? { delivered: deliveryTally(point.runs) } : {}),
        runs: point.runs,
      })),
    },
  };
}

/**
 * 130 when interrupted; 1 when the shipped value breaks; 3 when the sweep cannot say whether it
 * holds (an end saturated or unknown, the shipped value inside the bracket or outside a range that
 * holds or breaks throughout); 0 when it holds.
 */
export function sweepExitCode(document: SweepDocument, interrupted: boolean): ExitCode {
  if (interrupted) return ExitCode.interrupted;
  const holds = document.sweep.margin.shippedHolds;
  if (holds === false) return ExitCode.targetMissed;
  return holds === true ? ExitCode.ok : ExitCode.infrastructure;
}

/** Points by value, low to high. */
export function pointsByValue(document: SweepDocument): SweepPointEntry[] {
  return [...document.sweep.points].sort((a, b) => a.value - b.value || a.index - b.index);
}
