import { errorMessage } from '../errors.js';
import type { HistoryEvent } from '../observe/history-types.js';
import type { CheckOutcome, TargetResult } from './verdict-types.js';

/**
 * A checker judges one target from the history alone. Those built with `checker()` carry their
 * target's name and wanted value, so whoever runs them can still name a result they could not get.
 */
export type Checker = ((events: readonly HistoryEvent[]) => TargetResult) & { readonly targetName?: string; readonly target?: string };

export interface Judgement {
  readonly measured: number | string | null;
  readonly outcome: CheckOutcome;
  readonly detail?: string;
}

/** A target that could not be measured: `unknown` under its own name, with the reason. */
export function unmeasured(name: string, target: string, error: unknown): TargetResult {
  return { name, target, measured: null, outcome: 'unknown', pass: false, detail: `could not be measured: ${errorMessage(error)}` };
}

/** Builds a checker whose failure to measure (whatever it throws or returns) yields `unknown` under its name, never a crash. */
export function checker(name: string, target: string, judge: (events: readonly HistoryEvent[]) => Judgement): Checker {
  const check = (events: readonly HistoryEvent[]): TargetResult => {
    try {
      const { measured, outcome, detail } = judge(events);
      return { name, target, measured, outcome, pass: outcome === 'pass', ...(detail === undefined ? {} : { detail }) };
    } catch (error) {
      return unmeasured(name, target, error);
    }
  };
  return Object.assign(check, { targetName: name, target });
}

/** Runs a checker; should it throw all the same, the result is `unknown` under the checker's own name. */
export function runChecker(check: Checker, events: readonly HistoryEvent[]): TargetResult {
  try {
    return check(events);
  } catch (error) {
    return unmeasured(check.targetName ?? (check.name === '' ? 'unnamed checker' : check.name), check.target ?? '-', error);
  }
}

export const passIf = (condition: boolean): CheckOutcome => (condition ? 'pass' : 'fail');

export const round = (value: number, digits = 4): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export const formatShare = (value: number): string => value.toFixed(2);
