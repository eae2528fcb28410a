import { z } from 'zod';

/** bench/skype-2010-repeat.json: campaigns of `chaos run --repeat` on the shipped scenarios, as measured. */

/** A figure a run may not have given: absent, or null (as `chaos run` writes an unmeasured one). */
const figure = z.number().nullable().optional();

const run = z.strictObject({
  seed: z.number().int(),
  verdict: z.string(),
  supernodesLostDirect: figure,
  supernodesLostTotal: figure,
  supernodes: figure,
  onlineLowPoint: figure,
  /** Online averaged over time from the first fault to the end of the timeline, where the scenario checks it. */
  meanOnline: figure,
  recoveredAtHours: figure,
  backToSteadyAtHours: figure,
  lookupSuccessAfterRecovery: figure,
  messagesLost: figure,
  peakLoad: figure,
  peakLoadPredicted: figure,
  busiestLoad: figure,
  busiestLoadPredicted: figure,
  surgePerSupernode: figure,
  /** The deepest queue of any offline-message server at a sample, in queries (the start-up cache's storm). */
  deepestStoreQueue: figure,
  fleetLoopDelayP99MaxSeconds: figure,
});
export type RepeatRun = z.output<typeof run>;

const campaign = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  scenario: z.string(),
  architecture: z.enum(['p2p', 'dedicated']),
  command: z.string(),
  machine: z.strictObject({ cores: z.number(), description: z.string() }),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  scenarioAtCommit: z.string(),
  conditions: z.string(),
  note: z.string().optional(),
  runs: z.array(run).min(1),
});
export type RepeatCampaign = z.output<typeof campaign>;

export const repeatResultsSchema = z.strictObject({
  about: z.string(),
  fields: z.record(z.string(), z.string()),
  campaigns: z.array(campaign),
});
export type RepeatResultsData = z.output<typeof repeatResultsSchema>;
