import { z } from 'zod';

/**
 * The parts of a node's `/status` the observer uses, read leniently: a missing or malformed field
 * is absent (or 0 for counters and gauges), never an error, so services can evolve their status.
 */
export interface StatusReading {
  readonly ready: boolean;
  readonly uptimeSeconds?: number;
  readonly state?: string;
  readonly mode?: 'peer' | 'dedicated';
  readonly counters: Readonly<Record<string, number>>;
  readonly gauges: Readonly<Record<string, number>>;
}

const numbers = z
  .record(z.string(), z.unknown())
  .catch({})
  .transform((raw) => Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, number] => Number.isFinite(entry[1]))));

const statusSchema = z.looseObject({
  ready: z.boolean().catch(false),
  uptimeSeconds: z.number().finite().optional().catch(undefined),
  state: z.string().optional().catch(undefined),
  mode: z.enum(['peer', 'dedicated']).optional().catch(undefined),
  counters: numbers.optional().transform((value) => value ?? {}),
  gauges: numbers.optional().transform((value) => value ?? {}),
});

export function readStatus(raw: unknown): StatusReading {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return { ready: false, counters: {}, gauges: {} };
  const { ready, uptimeSeconds, state, mode, counters, gauges } = parsed.data;
  return {
    ready,
    counters,
    gauges,
    ...(uptimeSeconds === undefined ? {} : { uptimeSeconds }),
    ...(state === undefined ? {} : { state }),
    ...(mode === undefined ? {} : { mode }),
  };
}
