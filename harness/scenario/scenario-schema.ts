import { z } from 'zod';
import { toxicProblems } from '../network/toxic-catalogue.js';
import { DURATION_HINT, tryParseDuration } from './duration.js';
import type { ToxicSpec } from './types.js';

/**
 * The zod mirror of types.ts. Leaf rules (formats and ranges) live here; rules that relate
 * fields to each other live in scenario-rules.ts. scenario-schema-types.ts keeps both in step.
 */

const FRACTION = 'must be between 0 and 1 (a share, e.g. 0.3 for 30%)';

export const durationSchema = z.string().refine((text) => tryParseDuration(text) !== undefined, `is not a duration (${DURATION_HINT})`);
const positiveDuration = z.string().superRefine((text, ctx) => {
  const ms = tryParseDuration(text);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `is not a duration (${DURATION_HINT})` });
  else if (ms <= 0) ctx.addIssue({ code: 'custom', message: 'must be longer than zero (e.g. "1.5s")' });
});
const fraction = z.number().min(0, FRACTION).max(1, FRACTION);
const wholeAtLeast = (min: number) => z.number().int('must be a whole number').min(min, `must be at least ${min}`);
const positive = z.number().positive('must be greater than 0');
const nonNegative = z.number().min(0, 'must not be negative');
/**
 * Timers (heartbeats, retries, grace periods, the sampler's tick) are real milliseconds given to
 * setTimeout, which fires at once for anything above 2^31-1 ms: an absurd interval would become a
 * flood. An hour is far beyond any interval of a compressed replay.
 */
export const MAX_TIMER_MS = 3_600_000;
const timerMax = <T extends z.ZodNumber>(schema: T) => schema.max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (one hour; shorten it)`);
/** The seeded sources take a seed as a 32-bit integer (`seed | 0`), and --repeat derives 31-bit seeds: larger seeds would collide. */
export const MAX_SEED = 2 ** 31 - 1;
export const SEED_HINT = `an integer from 0 to ${MAX_SEED}`;
const weights = z
  .record(z.string().min(1, 'version names must not be empty'), positive)
  .refine((mix) => Object.keys(mix).length > 0, 'must name at least one version (e.g. { "5.0.0.152": 0.5, "5.0.0.156": 0.5 })');

export const architectureSchema = z.enum(['p2p', 'dedicated']);

export const timeScaleSchema = z.strictObject({ oneHour: positiveDuration });

export const supernodeTuningSchema = z.strictObject({
  capacity: z.strictObject({ sessions: wholeAtLeast(1), requestsPerSecond: positive }),
  overloadThreshold: positive,
  overloadGraceMs: timerMax(nonNegative),
  rejoinDelayMs: timerMax(nonNegative),
  loadWindowMs: timerMax(positive.min(100)).exactOptional(),
  admission: z.enum(['accept-all', 'refuse-while-overloaded']).exactOptional(),
  admissionWindowMs: positive.min(100).max(60_000).exactOptional(),
});

export const topologySchema = z.strictObject({
  supernodes: wholeAtLeast(1),
  supernodeMode: z.enum(['peer', 'dedicated']),
  standbyPeers: wholeAtLeast(0),
  supernode: supernodeTuningSchema,
  peerVersionMix: weights.exactOptional(),
  offlineMessageServers: wholeAtLeast(1),
  fleets: wholeAtLeast(1),
  clientsPerFleet: wholeAtLeast(1),
  megaSupernode: supernodeTuningSchema.exactOptional(),
});

export const distributionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), value: durationSchema }),
  z
    .strictObject({ kind: z.literal('uniform'), min: durationSchema, max: durationSchema })
    .refine((d) => (tryParseDuration(d.min) ?? 0) <= (tryParseDuration(d.max) ?? 0), {
      message: 'min must not exceed max (swap them)',
      path: ['max'],
    }),
  z.strictObject({ kind: z.literal('exponential'), mean: positiveDuration, max: durationSchema.exactOptional() }),
]);

export const loadSchema = z.strictObject({
  versionMix: weights,
  buggyVersion: z.string().min(1, 'must name the version carrying the bug'),
  crashProbability: fraction,
  delayedReplyThresholdMs: timerMax(nonNegative),
  restartDelay: distributionSchema,
  reconnect: z.discriminatedUnion('policy', [
    z.strictObject({ policy: z.literal('naive'), intervalMs: timerMax(positive.min(10, 'a retry loop faster than 10 ms is set by the host CPU, not by the scenario (raise intervalMs)')) }),
    z
      .strictObject({ policy: z.literal('backoff'), baseMs: timerMax(positive), capMs: timerMax(positive) })
      .refine((r) => r.capMs >= r.baseMs, { message: 'capMs must be at least baseMs (raise capMs)', path: ['capMs'] }),
  ]),
  heartbeatIntervalMs: timerMax(positive),
  lookupsPerClientPerMinute: nonNegative,
  imsPerClientPerMinute: nonNegative,
  rampUpMs: nonNegative.max(600_000).exactOptional(),
});

export const nodeSelectorSchema = z
  .strictObject({
    group: z.enum(['login', 'offline-messages', 'supernodes', 'fleets']),
    fraction: fraction.exactOptional(),
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
export const toxicSchema = z.custom<ToxicSpec>().superRefine((toxic, ctx) => {
  for (const problem of toxicProblems(toxic)) {
    ctx.addIssue({ code: 'custom', path: [...problem.path], message: `${problem.problem} (${problem.hint})` });
  }
});

const faultId = z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be a non-empty name of letters, digits, ".", "_" or "-"');
const label = z.string().min(1, 'must not be empty');

export const timelineActionSchema = z.discriminatedUnion('do', [
  z.strictObject({ do: z.literal('mark'), label }),
  z.strictObject({ do: z.literal('inject'), id: faultId, target: linkTargetSchema, toxic: toxicSchema }),
  z.strictObject({ do: z.literal('cut'), id: faultId, target: linkTargetSchema }),
  z.strictObject({ do: z.literal('heal'), id: faultId }),
  z.strictObject({ do: z.literal('crash'), id: faultId, target: nodesTargetSchema, restartAfter: distributionSchema.exactOptional() }),
  z.strictObject({ do: z.literal('pause'), id: faultId, target: nodesTargetSchema }),
  z.strictObject({ do: z.literal('add-supernodes'), label, count: wholeAtLeast(1), tuning: z.enum(['mega', 'default']) }),
]);

export const timelineStepSchema = z.strictObject({
  at: durationSchema,
  action: timelineActionSchema,
  only: z.array(architectureSchema).min(1, 'must name at least one architecture (or drop `only`)').readonly().exactOptional(),
});

const probeMetric = z.enum(['onlineFraction', 'lookupSuccess', 'supernodesAliveFraction']);

export const steadyStateSchema = z.strictObject({
  hold: durationSchema,
  within: positiveDuration,
  probes: z
    .array(z.strictObject({ metric: probeMetric, atLeast: fraction }))
    .min(1, 'needs at least one probe (e.g. { metric: "onlineFraction", atLeast: 0.95 })')
    .readonly(),
});

export const abortConditionSchema = z.strictObject({
  metric: probeMetric,
  below: fraction,
  for: durationSchema,
  after: durationSchema.exactOptional(),
});

export const targetsSchema = z.strictObject({
  recoveryWithin: durationSchema.exactOptional(),
  recoveryHold: durationSchema.exactOptional(),
  availabilityFloor: fraction.exactOptional(),
  maxSupernodeLossDirect: fraction.exactOptional(),
  maxSupernodeLossTotal: fraction.exactOptional(),
  maxCascadeAmplification: positive.exactOptional(),
  minLookupSuccessAfterRecovery: fraction.exactOptional(),
  maxMessagesLost: wholeAtLeast(0).exactOptional(),
});

export const outageSignatureSchema = z.strictObject({
  supernodeLossDirect: z
    .strictObject({ min: fraction, max: fraction })
    .refine((range) => range.min <= range.max, { message: 'min must not exceed max (swap them)', path: ['max'] }),
  minCascadeAmplification: nonNegative,
  maxOnlineLowPoint: fraction,
  cascadeContinuesAfterHeal: z.boolean(),
  maxOnlineAfterLowPoint: fraction.exactOptional(),
});

export const architectureRunSchema = z.strictObject({
  topology: topologySchema,
  expectation: z.enum(['meets-targets', 'reproduces-outage']),
  targets: targetsSchema,
  outage: outageSignatureSchema.exactOptional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes (it names report folders), e.g. "skype-2010"'),
  description: z.string(),
  timeScale: timeScaleSchema,
  seed: z.number().int('must be a whole number').min(0, `must be ${SEED_HINT}`).max(MAX_SEED, `must be ${SEED_HINT}`),
  load: loadSchema,
  architectures: z.strictObject({ p2p: architectureRunSchema.exactOptional(), dedicated: architectureRunSchema.exactOptional() }),
  steadyState: steadyStateSchema,
  timeline: z.array(timelineStepSchema).readonly(),
  duration: positiveDuration,
  sampleEveryMs: timerMax(wholeAtLeast(1)),
  abortWhen: z.array(abortConditionSchema).readonly(),
  rollbacks: z.array(timelineActionSchema).readonly(),
});
