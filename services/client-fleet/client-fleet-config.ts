import { z } from 'zod';
import { clientBehaviourShape, restartDelaySchema, userRangeSchema } from './client-settings.js';

/** The most registrations a fleet's start-up throttle lets through a second. */
export const MAX_STARTUPS_PER_SECOND = 100_000;

/** `CHAOS_NODE_CONFIG` of a `client-fleet` node: many virtual clients in one process. Durations are real ms. */
export const clientFleetConfigSchema = z
  .strictObject({
    ...clientBehaviourShape,
    /** Seed for every random choice of this fleet (versions, vulnerability, contacts, delays). */
    seed: z.number().int(),
    /** This fleet's users: one virtual client each. */
    users: userRangeSchema,
    /** Client versions with weights, e.g. `{ "5.0.0.152": 0.5, "5.0.0.156": 0.5 }`. */
    versionMix: z.record(z.string().min(1).max(32), z.number().min(0)).refine((mix) => Object.values(mix).some((w) => w > 0), 'needs a positive weight'),
    /** How long a user takes to restart a crashed client. */
    restartDelay: restartDelaySchema,
    /** Initial logins are spread evenly over this long. */
    startSpreadMs: z.number().min(0).max(600_000).default(1_000),
    /** At most this many registrations with a supernode a second, the rest waiting their turn; absent, no limit. */
    startupThrottle: z.strictObject({ perSecond: z.number().positive().max(MAX_STARTUPS_PER_SECOND) }).optional(),
  })
  .refine((config) => config.users.count <= 20_000, { message: 'at most 20,000 clients per fleet process', path: ['users', 'count'] });

export type ClientFleetConfig = z.output<typeof clientFleetConfigSchema>;
export type ClientFleetConfigInput = z.input<typeof clientFleetConfigSchema>;
