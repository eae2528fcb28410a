import { tryParseDuration } from './duration.js';

/** Readers of the raw, unvalidated scenario input for the cross-field rules: none of them throws. */

export type Raw = Readonly<Record<string, unknown>>;

export const asRecord = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
export const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const durationOf = (value: unknown): number | undefined => {
  const text = asString(value);
  return text === undefined ? undefined : tryParseDuration(text);
};

export interface RawStep {
  readonly index: number;
  readonly at: number;
  readonly action: Raw;
  readonly only: readonly string[];
}
