import { z } from 'zod';
import { HOLDS_WHEN } from '../sweep/holds-when.js';
import { architecture, commit, day, entriesWithUniqueIds, entryId, machine } from './entry-fields.js';

/** bench/sweeps.json: runs of `chaos sweep`, one entry per sweep, as measured. */

const point = z.strictObject({
  value: z.number(),
  status: z.enum(['holds', 'breaks', 'saturated', 'unknown']),
  /** Runs that met the expectation, of those judged; saturated and unknown runs are left out and counted apart. */
  met: z.strictObject({
    passes: z.number().int().nonnegative(),
    runs: z.number().int().nonnegative(),
    saturated: z.number().int().nonnegative(),
    unknown: z.number().int().nonnegative(),
  }),
  /** The 95% Wilson interval of `met`. */
  wilson95: z.tuple([z.number(), z.number()]),
  /**
   * Under `holdsWhen: delivered` only, the tally the point is judged by: the runs the harness delivered
   * the load in, of those judged for it (delivered or saturated: `runs - passes` saturated), the runs
   * neither (not judged for another reason) and its 95% Wilson interval.
   */
  delivered: z
    .strictObject({
      passes: z.number().int().nonnegative(),
      runs: z.number().int().nonnegative(),
      unknown: z.number().int().nonnegative(),
      wilson95: z.tuple([z.number(), z.number()]),
    })
    .optional(),
  /** Under `--scale-with`, every field the point set: the swept one and each scaled one, by path. */
  set: z.record(z.string().min(1), z.number()).optional(),
});
export type SweepPointData = z.output<typeof point>;

const entry = z.strictObject({
  id: entryId,
  scenario: z.string().min(1),
  architecture,
  expectation: z.enum(['meets-targets', 'reproduces-outage']),
  /** The swept field's path in the scenario. */
  param: z.string().min(1),
  shipped: z.number(),
  from: z.number(),
  to: z.number(),
  /** Runs a point, every point on the same seeds. */
  repeat: z.number().int().positive(),
  seeds: z.array(z.number().int()),
  /** What a point holds by (`chaos sweep --holds-when`); absent in entries recorded before the option, which held by the expectation. */
  holdsWhen: z.enum(HOLDS_WHEN).optional(),
  /** `--scale-with`: fields set in proportion to the swept one (their shipped values); absent when none. */
  scaleWith: z.array(z.strictObject({ path: z.string().min(1), shipped: z.number() })).min(1).optional(),
  machine,
  date: day,
  commit,
  command: z.string().min(1),
  conditions: z.string(),
  points: z
    .array(point)
    .min(1)
    .refine((points) => points.every((p, index) => index === 0 || points[index - 1]!.value <= p.value), 'points sorted by value, low to high'),
  bracket: z.strictObject({ holds: z.number(), breaks: z.number() }).nullable(),
  /** The sweep report's margin line; under `delivered`, of the machine (`the harness delivers up to ...`). */
  margin: z.string(),
}).refine(
  (entry) => entry.points.every((p) => (p.delivered !== undefined) === (entry.holdsWhen === 'delivered')),
  { message: 'a delivered sweep gives every point its delivered tally, an expectation sweep none', path: ['points'] },
);
export type SweepEntry = z.output<typeof entry>;

export const sweepResultsSchema = z.strictObject({
  about: z.string(),
  entries: entriesWithUniqueIds(entry),
});
export type SweepResultsData = z.output<typeof sweepResultsSchema>;
