import { errorMessage } from '../errors.js';
import type { HistoryEvent } from '../observe/history-types.js';
import type { CheckOutcome, TargetResult } from './verdict-types.js';

/** A checker judges one target from the history alone. */
export type Checker = (events: readonly HistoryEvent[]) => TargetResult;

export interface Judgement {
  readonly measured: number | string | null;
  readonly outcome: CheckOutcome;
  readonly detail?: string;
}

/** Builds a checker whose failure to measure yields `unknown` with the error, never a crash. */
export function checker(name: string, target: string, judge: (events: readonly HistoryEvent[]) => Judgement): Checker {
  return (events) => {
    try {
      const { measured, outcome, detail } = judge(events);
      return { name, target, measured, outcome, pass: outcome === 'pass', ...(detail === undefined ? {} : { detail }) };
    } catch (error) {
      return { name, target, measured: null, outcome: 'unknown', pass: false, detail: `could not be measured: ${errorMessage(error)}` };
    }
  };
}

export const passIf = (condition: boolean): CheckOutcome => (condition ? 'pass' : 'fail');

export const round = (value: number, digits = 4): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export const formatShare = (value: number): string => value.toFixed(2);
