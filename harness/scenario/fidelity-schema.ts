import { z } from 'zod';
import { FIDELITY_UNITS } from './fidelity-units.js';
import { durationSchema, fractionSchema, nonNegativeSchema } from './schema-parts.js';

/** More rows than a post-mortem's key figures would be a table nobody reads. */
export const MAX_FIDELITY_ROWS = 20;

export const fidelityMeasureSchema = z.discriminatedUnion('of', [
  z.strictObject({ of: z.literal('online-at'), at: durationSchema }),
  z.strictObject({ of: z.literal('online-low-point') }),
  z.strictObject({ of: z.literal('hours-below'), fraction: fractionSchema }),
  z.strictObject({ of: z.literal('recovery-hours') }),
  z.strictObject({ of: z.literal('supernode-loss-direct') }),
  z.strictObject({ of: z.literal('supernode-loss-total') }),
  z.strictObject({ of: z.literal('cascade-amplification') }),
]);

export const fidelityRowSchema = z
  .strictObject({
    quantity: z.string().regex(/\S/, 'must say what is compared (e.g. "online users 20 h after T0, share of normal")'),
    published: z.string().regex(/\S/, 'must give the post-mortem\'s number as published (e.g. "about 30%")'),
    expected: nonNegativeSchema,
    measure: fidelityMeasureSchema,
  })
  .superRefine((row, ctx) => {
    if (FIDELITY_UNITS[row.measure.of] === 'share' && row.expected > 1) {
      ctx.addIssue({ code: 'custom', path: ['expected'], message: `must be a share from 0 to 1 for "${row.measure.of}" (e.g. 0.3 for "about 30%")` });
    }
  });

export const fidelitySchema = z
  .array(fidelityRowSchema)
  .min(1, 'must list at least one row (or drop fidelity)')
  .max(MAX_FIDELITY_ROWS, `must list at most ${MAX_FIDELITY_ROWS} rows (keep the post-mortem's key figures)`)
  .readonly();
