import { asRecord } from './raw-fields.js';
import { OUTAGE_FIELDS, TARGET_FIELDS, targetKeySchema } from './scenario-schema.js';
import type { OutageSignature, TargetKey, Targets } from './types.js';

/** Every TargetKey, in the order the language lists them. */
export const TARGET_KEYS: readonly TargetKey[] = targetKeySchema.options;

// Both lists are checked against the types here: a field renamed on one side fails the type check.
TARGET_FIELDS satisfies readonly Exclude<keyof Targets, 'recoveryHold'>[];
OUTAGE_FIELDS satisfies readonly (keyof OutageSignature)[];

/**
 * The targets an architecture states, by key: each field of `targets` it sets (`recoveryHold` is
 * part of `recoveryWithin`), and under `reproduces-outage` each field of the outage signature that
 * makes a check (`cascadeContinuesAfterHeal: false` demands nothing). `steadyState` is never among
 * them: every run has it. Reads raw input too, without throwing.
 */
export function statedTargetKeys(run: unknown): TargetKey[] {
  const record = asRecord(run);
  const targets = asRecord(record?.['targets']) ?? {};
  const stated: TargetKey[] = TARGET_FIELDS.filter((key) => targets[key] !== undefined);
  if (record?.['expectation'] !== 'reproduces-outage') return stated;
  return [...stated, ...checkedOutageKeys(record['outage'])];
}

/** The fields of an outage signature that make a check, in the order the language lists them; reads raw input too. */
export function checkedOutageKeys(signature: unknown): (typeof OUTAGE_FIELDS)[number][] {
  const outage = asRecord(signature);
  if (outage === undefined) return [];
  return OUTAGE_FIELDS.filter((key) => (key === 'cascadeContinuesAfterHeal' ? outage[key] === true : outage[key] !== undefined));
}
