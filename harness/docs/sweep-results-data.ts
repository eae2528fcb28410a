import { z } from 'zod';
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
  wilson95: z.tuple([z.number(), z.number()]),
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
  margin: z.string(),
});
export type SweepEntry = z.output<typeof entry>;

export const sweepResultsSchema = z.strictObject({
  about: z.string(),
  entries: entriesWithUniqueIds(entry),
});
export type SweepResultsData = z.output<typeof sweepResultsSchema>;
