import { z } from 'zod';
import { toxicProblems } from '../network/toxic-catalogue.js';
import { DURATION_HINT, DURATION_PATTERN, tryParseDuration } from './duration.js';
import type { ToxicSpec } from './types.js';

/**
 * The leaf schemas of the scenario language: formats and ranges, and the targets, toxics and ids
 * that fault steps are made of. The fault kinds (harness/faults/) build their steps from these;
 * scenario-schema.ts builds the whole scenario from these and the kinds' steps.
 */

const FRACTION = 'must be between 0 and 1 (a share, e.g. 0.3 for 30%)';

/** What the JSON Schema of scenario files (`chaos schema`) says of a duration; the refinements say it to the loader. */
const durationMeta = (description: string) => ({ description, pattern: DURATION_PATTERN.source });

export const durationSchema = z
  .string()
  .refine((text) => tryParseDuration(text) !== undefined, `is not a duration (${DURATION_HINT})`)
  .meta(durationMeta('A duration in scenario time: numbers with units ms, s, m, h, d, e.g. "250ms", "1.5s", "30m", "1h30m".'));
export const positiveDurationSchema = z
  .string()
  .superRefine((text, ctx) => {
    const ms = tryParseDuration(text);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: `is not a duration (${DURATION_HINT})` });
    else if (ms <= 0) ctx.addIssue({ code: 'custom', message: 'must be longer than zero (e.g. "1.5s")' });
  })
  .meta(durationMeta('A duration longer than zero: numbers with units ms, s, m, h, d, e.g. "1.5s", "30m", "1h30m".'));
export const fractionSchema = z.number().min(0, FRACTION).max(1, FRACTION);
export const wholeAtLeast = (min: number) => z.number().int('must be a whole number').min(min, `must be at least ${min}`);
export const positiveSchema = z.number().positive('must be greater than 0');
export const nonNegativeSchema = z.number().min(0, 'must not be negative');
/**
 * Timers (heartbeats, retries, grace periods, the sampler's tick) are real milliseconds given to
 * setTimeout, which fires at once for anything above 2^31-1 ms: an absurd interval would become a
 * flood. An hour is far beyond any interval of a compressed replay.
 */
export const MAX_TIMER_MS = 3_600_000;
export const timerMax = <T extends z.ZodNumber>(schema: T) => schema.max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (one hour; shorten it)`);

export const distributionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), value: durationSchema }),
  z
    .strictObject({ kind: z.literal('uniform'), min: durationSchema, max: durationSchema })
    .refine((d) => (tryParseDuration(d.min) ?? 0) <= (tryParseDuration(d.max) ?? 0), {
      message: 'min must not exceed max (swap them)',
      path: ['max'],
    }),
  z.strictObject({ kind: z.literal('exponential'), mean: positiveDurationSchema, max: durationSchema.exactOptional() }),
]);

export const nodeSelectorSchema = z
  .strictObject({
    group: z.enum(['login', 'offline-messages', 'supernodes', 'fleets']),
    fraction: fractionSchema.exactOptional(),
    count: wholeAtLeast(1).exactOptional(),
  })
  .refine((s) => s.fraction === undefined || s.count === undefined, 'give either fraction or count, not both (drop one)');

const linkGroup = z.enum(['clients', 'supernodes', 'harness']);

const linksSchema = z.strictObject({
  from: z.union([linkGroup, z.literal('any')]),
  to: nodeSelectorSchema.refine((s) => s.group !== 'fleets', {
    message: 'fleets accept no connections, so no link leads to them (target supernodes, login or offline-messages)',
    path: ['group'],
  }),
});

export const linkTargetSchema = z.strictObject({ links: linksSchema });
export const nodesTargetSchema = z.strictObject({ nodes: nodeSelectorSchema });
export const faultTargetSchema = z.union([linkTargetSchema, nodesTargetSchema]);

/** A toxic is checked against the one catalogue of harness/network/toxic-catalogue.ts, the same the network layer fills defaults from. */
export const toxicSchema = z
  .custom<ToxicSpec>()
  .superRefine((toxic, ctx) => {
    for (const problem of toxicProblems(toxic)) {
      ctx.addIssue({ code: 'custom', path: [...problem.path], message: `${problem.problem} (${problem.hint})` });
    }
  })
  .meta({ description: 'A Toxiproxy toxic, { type, stream?, toxicity?, attributes }, checked against the toxic catalogue when the scenario loads.' });

/** A fault's name in its steps and in the history. */
export const faultIdSchema = z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be a non-empty name of letters, digits, ".", "_" or "-"');
export const labelSchema = z.string().min(1, 'must not be empty');
