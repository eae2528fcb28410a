import { formatMeasured } from '../report/format-values.js';
import type { Bracket, SweepOutcome } from './bisect-sweep.js';
import { DEFAULT_HOLDS_WHEN, type HoldsWhen } from './holds-when.js';

export interface SweepMargin {
  /** How far the shipped value sits from the last value that held, as a ratio (> 1: room to spare); null when there is no bracket or a value is 0. */
  readonly ratio: number | null;
  /** Whether the shipped value is on the side that holds; null when the sweep cannot say (no bracket, or it lies inside the bracket). */
  readonly shippedHolds: boolean | null;
  /**
   * One line: `holds down to 22 requests/s (breaks at 20); ships 40: margin 1.8x`; under `--holds-when
   * delivered`, of the machine: `the harness delivers up to 1200 clients a fleet (saturates at 1400); ships 100: margin 12x`.
   */
  readonly text: string;
}

const units: readonly (readonly [RegExp, string])[] = [
  [/requestsPerSecond$/, 'requests/s'],
  [/sessions$/, 'sessions'],
  [/clientsPerFleet$/, 'clients a fleet'],
  [/standbyPeers$/, 'standby peers'],
  [/supernodes$/, 'supernodes'],
  [/fleets$/, 'fleets'],
  [/PerMinute$/, 'a client a minute'],
  [/Ms$/, 'ms'],
];

/** The unit a field's value is read in, from its name; empty when the name does not say. */
export function unitOf(path: string): string {
  return units.find(([pattern]) => pattern.test(path))?.[1] ?? '';
}

/** `22 requests/s`, `0.4` */
export function formatParamValue(value: number, path: string): string {
  const unit = unitOf(path);
  return unit === '' ? formatMeasured(value) : `${formatMeasured(value)} ${unit}`;
}

/** `1.8x`: two significant digits. */
export function formatRatio(ratio: number | null): string {
  return ratio === null ? '—' : `${Number(ratio.toPrecision(2))}x`;
}

interface MarginInput {
  readonly path: string;
  readonly shipped: number;
  readonly from: number;
  readonly to: number;
}

/** The margin's words: of the system under the expectation rule, of the machine under the delivered rule. */
const marginWords = {
  expectation: { holds: 'holds', breaksAt: 'breaks at', shippedBreaks: 'the shipped value breaks', breaks: 'breaks', noBreak: 'no breaking point in the range', noneHolds: 'no value in the range holds' },
  delivered: {
    holds: 'the harness delivers',
    breaksAt: 'saturates at',
    shippedBreaks: 'the harness saturates at the shipped value',
    breaks: 'the harness saturates',
    noBreak: 'it saturates nowhere in the range',
    noneHolds: 'no value in the range is delivered',
  },
} as const satisfies Record<HoldsWhen, Record<string, string>>;

/**
 * The margin to failure: the shipped value against the last value that held. Direction-aware: where
 * bigger breaks (clients a fleet) it is `holds / shipped`, where smaller breaks (capacity) it is
 * `shipped / holds`; either way above 1 is room to spare and below 1 means the shipped value breaks.
 */
export function sweepMargin(outcome: Pick<SweepOutcome, 'direction' | 'bracket' | 'stop'>, input: MarginInput, holdsWhen: HoldsWhen = DEFAULT_HOLDS_WHEN): SweepMargin {
  const { shipped, path } = input;
  const words = marginWords[holdsWhen];
  const show = (value: number): string => formatParamValue(value, path);
  const ships = `ships ${formatMeasured(shipped)}`;
  const inRange = shipped >= input.from && shipped <= input.to;
  const { bracket, direction, stop } = outcome;
  if (bracket !== null && direction !== null) {
    const ratio = marginRatio(bracket, direction, shipped);
    const shippedHolds = sideOf(bracket, direction, shipped);
    const side = direction === 'smaller-breaks' ? 'down' : 'up';
    const verdict = shippedHolds === false ? `, ${words.shippedBreaks}` : shippedHolds === null ? ', the shipped value lies inside the bracket' : '';
    return { ratio, shippedHolds, text: `${words.holds} ${side} to ${show(bracket.holds)} (${words.breaksAt} ${formatMeasured(bracket.breaks)}); ${ships}: margin ${formatRatio(ratio)}${verdict}` };
  }
  const range = `${formatMeasured(input.from)} to ${show(input.to)}`;
  switch (stop.kind) {
    case 'holds-throughout':
      return { ratio: null, shippedHolds: inRange ? true : null, text: `${words.holds} from ${range}; ${ships}: ${words.noBreak} (widen --from/--to)` };
    case 'breaks-throughout':
      return { ratio: null, shippedHolds: inRange ? false : null, text: `${words.breaks} from ${range}; ${ships}: ${words.noneHolds} (widen --from/--to)` };
    case 'unjudged-end':
      return { ratio: null, shippedHolds: null, text: `no margin: ${show(stop.value)} could not be judged (${stop.status === 'saturated' ? 'harness saturated' : 'verdict unknown'}); narrow the range away from it` };
    default:
      return { ratio: null, shippedHolds: null, text: 'no margin: the sweep stopped before both ends were judged' };
  }
}

function marginRatio(bracket: Bracket, direction: 'bigger-breaks' | 'smaller-breaks', shipped: number): number | null {
  const [numerator, denominator] = direction === 'smaller-breaks' ? [shipped, bracket.holds] : [bracket.holds, shipped];
  return numerator > 0 && denominator > 0 ? numerator / denominator : null;
}

function sideOf(bracket: Bracket, direction: 'bigger-breaks' | 'smaller-breaks', shipped: number): boolean | null {
  const holdsSide = direction === 'smaller-breaks' ? shipped >= bracket.holds : shipped <= bracket.holds;
  const breaksSide = direction === 'smaller-breaks' ? shipped <= bracket.breaks : shipped >= bracket.breaks;
  return holdsSide ? true : breaksSide ? false : null;
}

/** What ended the bisection, in words. */
export function stopText(outcome: Pick<SweepOutcome, 'bracket' | 'stop'>, path: string, steps: number): string {
  const between = outcome.bracket === null ? '' : ` the breaking point lies between ${formatMeasured(outcome.bracket.holds)} and ${formatMeasured(outcome.bracket.breaks)}`;
  const { stop } = outcome;
  switch (stop.kind) {
    case 'resolved':
      return `resolved: no whole number lies between the last value that held and the first that broke;${between}`;
    case 'steps':
      return `after ${steps} bisection step${steps === 1 ? '' : 's'}${between}`;
    case 'holds-throughout':
      return 'both ends hold: nothing to bisect';
    case 'breaks-throughout':
      return 'both ends break: nothing to bisect';
    case 'unjudged-end':
      return `${formatParamValue(stop.value, path)} (an end) is ${stop.status === 'saturated' ? 'saturated: the harness could not deliver the load' : 'unknown: not every run could be judged'}; not bisected on`;
    case 'unjudged-point':
      return `stopped at ${formatParamValue(stop.value, path)}: ${stop.status === 'saturated' ? 'saturated, the harness could not deliver the load' : 'unknown, not every run could be judged'}; not bisected on, so${between}`;
    case 'stopped':
      return `stopped early at ${formatParamValue(stop.value, path)} (interrupted, or a run failed to start)${between === '' ? '' : `;${between}`}`;
  }
}
