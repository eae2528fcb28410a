import { z } from 'zod';
import { stepSchemas } from '../faults/registry.js';
import { fidelitySchema } from './fidelity-schema.js';
import {
  durationSchema,
  fractionSchema as fraction,
  nonNegativeSchema as nonNegative,
  positiveDurationSchema as positiveDuration,
  positiveSchema as positive,
  distributionSchema,
  timerMax,
  wholeAtLeast,
} from './schema-parts.js';

/**
 * The zod mirror of types.ts. Leaf rules (formats and ranges) live in schema-parts.ts, a timeline
 * step's action in its fault kind (harness/faults/, found through the registry); rules that relate
 * fields to each other live in scenario-rules.ts. scenario-schema-types.ts keeps all in step.
 */

/** The seeded sources take a seed as a 32-bit integer (`seed | 0`), and --repeat derives 31-bit seeds: larger seeds would collide. */
export const MAX_SEED = 2 ** 31 - 1;
/** Login's directory: the rate and per-supernode cost its service config takes. */
const MAX_DIRECTORY_RATE = 1_000_000;
const MAX_ANSWER_COST_MS = 10_000;
/** The offline store's query capacity and a client's re-sync: what their service configs take. */
const MAX_QUERY_CAPACITY = 1_000_000;
const MAX_RESYNC_QUERIES = 100;
/** The offline store's worker pool: what its service config takes. */
const MAX_STORE_WORKERS = 1_000;
const MAX_STORE_SERVICE_MS = 60_000;
const MAX_STORE_QUEUE = 1_000_000;
/** A fleet's start-up throttle: what the fleet's service config takes. */
const MAX_STARTUPS_PER_SECOND = 100_000;
/** Login's readmission: steps shorter than this are no stages (the sampler would not see them). */
const MIN_READMISSION_STEP_MS = 100;
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
  registrationTimeoutMs: timerMax(positive).exactOptional(),
  registrationRetryMs: timerMax(positive).exactOptional(),
  registrationDeadlineAtStart: z.boolean().exactOptional(),
  heartbeatDeadline: z.boolean().exactOptional(),
  loginLeaseMs: timerMax(positive.min(100, 'must be at least 100 ms (lengthen it to several heartbeats)')).exactOptional(),
  loginHeartbeatMs: positive.min(100).max(60_000).exactOptional(),
  startupCache: z
    .strictObject({
      fanOut: z.enum(['all-shards', 'owner-shard']),
      queryTimeoutMs: timerMax(positive),
      owner: z.enum(['inbox-store', 'user-hash']).exactOptional(),
      prewarmed: z.boolean().exactOptional(),
    })
    .exactOptional(),
});

export const loginTuningSchema = z.strictObject({
  directory: z
    .strictObject({
      capacity: positive.max(MAX_DIRECTORY_RATE, `must be at most ${MAX_DIRECTORY_RATE} requests a second (drop directory for a login without a limit)`),
      queueLimit: wholeAtLeast(1).exactOptional(),
      answerCostMsPerSupernode: nonNegative.max(MAX_ANSWER_COST_MS, `must be at most ${MAX_ANSWER_COST_MS} ms a supernode`).exactOptional(),
    })
    .exactOptional(),
  allocation: z.enum(['random', 'least-loaded']).exactOptional(),
  overloadShutdown: z
    .strictObject({
      graceMs: timerMax(positive),
      restartAfter: distributionSchema.exactOptional(),
    })
    .exactOptional(),
  readmission: z
    .strictObject({
      stepShare: positive.max(1, 'must be at most 1 (the share of the users admitted each step, e.g. 0.1 for 10%)'),
      stepEveryMs: timerMax(positive.min(MIN_READMISSION_STEP_MS, `must be at least ${MIN_READMISSION_STEP_MS} ms (raise stepEveryMs; a faster step is no stage at all)`)),
      atFirstStart: z.boolean().exactOptional(),
    })
    .exactOptional(),
});

export const offlineMessagesTuningSchema = z.strictObject({
  queryCapacity: wholeAtLeast(1)
    .max(MAX_QUERY_CAPACITY, `must be at most ${MAX_QUERY_CAPACITY} queries a second (drop queryCapacity for a store without a limit)`)
    .exactOptional(),
  workers: wholeAtLeast(1).max(MAX_STORE_WORKERS, `must be at most ${MAX_STORE_WORKERS} (what the store's config takes)`).exactOptional(),
  serviceTimeMs: nonNegative.max(MAX_STORE_SERVICE_MS, `must be at most ${MAX_STORE_SERVICE_MS} ms (what the store's config takes)`).exactOptional(),
  maxQueue: wholeAtLeast(1).max(MAX_STORE_QUEUE, `must be at most ${MAX_STORE_QUEUE} requests (what the store's config takes)`).exactOptional(),
});

export const inboxErrorPolicySchema = z.discriminatedUnion('policy', [
  z.strictObject({ policy: z.literal('wait') }),
  z.strictObject({
    policy: z.literal('full-resync'),
    resyncQueries: wholeAtLeast(1).max(MAX_RESYNC_QUERIES, `must be at most ${MAX_RESYNC_QUERIES} queries (lower resyncQueries; every client sends its re-sync's queries at once)`),
  }),
]);

export const topologySchema = z.strictObject({
  supernodes: wholeAtLeast(1),
  supernodeMode: z.enum(['peer', 'dedicated']),
  standbyPeers: wholeAtLeast(0),
  supernode: supernodeTuningSchema,
  login: loginTuningSchema.exactOptional(),
  peerVersionMix: weights.exactOptional(),
  offlineMessageServers: wholeAtLeast(1),
  offlineMessages: offlineMessagesTuningSchema.exactOptional(),
  fleets: wholeAtLeast(1),
  clientsPerFleet: wholeAtLeast(1),
  megaSupernode: supernodeTuningSchema.exactOptional(),
  defects: z
    .strictObject({
      boxesRunClientVersion: z.string().min(1, 'must name a client version').exactOptional(),
      offlineStoreDropsShare: fraction.exactOptional(),
      directoryPinsDeadSupernodes: z.boolean().exactOptional(),
      promotionOff: z.boolean().exactOptional(),
    })
    .exactOptional(),
});

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
  inboxPollIntervalMs: timerMax(nonNegative).exactOptional(),
  requestTimeoutMs: timerMax(positive.min(100, 'must be at least 100 ms (a shorter wait fails answers the network delivers)')).exactOptional(),
  inboxErrors: inboxErrorPolicySchema.exactOptional(),
  startupThrottle: z
    .strictObject({
      perSecond: positive.max(MAX_STARTUPS_PER_SECOND, `must be at most ${MAX_STARTUPS_PER_SECOND} start-ups a second (drop startupThrottle for fleets without a limit)`),
    })
    .exactOptional(),
});

/** Every step kind of the fault registry, and the heal; a bad `do` or a step that does not fit its kind gets the kind's own message. */
export const timelineActionSchema = z.discriminatedUnion('do', stepSchemas);

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
  rehomeWithin: positiveDuration.exactOptional(),
});

export const outageSignatureSchema = z.strictObject({
  supernodeLossDirect: z
    .strictObject({ min: fraction, max: fraction })
    .refine((range) => range.min <= range.max, { message: 'min must not exceed max (swap them)', path: ['max'] })
    .exactOptional(),
  minCascadeAmplification: nonNegative.exactOptional(),
  maxOnlineLowPoint: fraction.exactOptional(),
  cascadeContinuesAfterHeal: z.boolean().exactOptional(),
  maxOnlineAfterLowPoint: fraction.exactOptional(),
  maxMeanOnline: fraction.exactOptional(),
});

/** The fields of `targets` a control can name (`recoveryHold` belongs to `recoveryWithin`). */
export const TARGET_FIELDS = [
  'recoveryWithin',
  'availabilityFloor',
  'maxSupernodeLossDirect',
  'maxSupernodeLossTotal',
  'maxCascadeAmplification',
  'minLookupSuccessAfterRecovery',
  'maxMessagesLost',
  'rehomeWithin',
] as const;

/** The fields of the outage signature a control can name. */
export const OUTAGE_FIELDS = ['supernodeLossDirect', 'minCascadeAmplification', 'maxOnlineLowPoint', 'cascadeContinuesAfterHeal', 'maxOnlineAfterLowPoint', 'maxMeanOnline'] as const;

export const targetKeySchema = z.enum([...TARGET_FIELDS, ...OUTAGE_FIELDS, 'steadyState']);

export const negativeControlSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes (it names report folders), e.g. "under-provisioned"'),
  architecture: architectureSchema,
  sabotages: z.string().min(1, 'must say what the control sabotages'),
  set: z.record(z.string().min(1), z.unknown()).refine((set) => Object.keys(set).length > 0, 'must set at least one field (a control that changes nothing cannot fail)'),
  mustBreak: z.array(targetKeySchema).min(1, 'must name at least one target the sabotage breaks').readonly(),
});

export const architectureRunSchema = z.strictObject({
  topology: topologySchema,
  expectation: z.enum(['meets-targets', 'reproduces-outage']),
  targets: targetsSchema,
  outage: outageSignatureSchema.exactOptional(),
});

export const scenarioSourceSchema = z.strictObject({
  outage: z.string().regex(/\S/, 'must name the outage in words (e.g. "Skype, 22-24 December 2010")'),
  date: z.iso.date('must be a calendar date written YYYY-MM-DD (the day the outage began, e.g. "2010-12-22")'),
  reference: z.string().regex(/\S/, 'must name the public post-mortem (its author and title, and/or its URL)'),
});

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes (it names report folders), e.g. "skype-2010"'),
  description: z.string(),
  source: scenarioSourceSchema.exactOptional(),
  fidelity: fidelitySchema.exactOptional(),
  timeScale: timeScaleSchema,
  seed: z.number().int('must be a whole number').min(0, `must be ${SEED_HINT}`).max(MAX_SEED, `must be ${SEED_HINT}`),
  load: loadSchema,
  architectures: z.strictObject({ p2p: architectureRunSchema.exactOptional(), dedicated: architectureRunSchema.exactOptional() }),
  steadyState: steadyStateSchema,
  timeline: z.array(timelineStepSchema).readonly(),
  duration: positiveDuration,
  sampleEveryMs: timerMax(wholeAtLeast(1)),
  oneAtATime: z
    .boolean()
    .exactOptional()
    .meta({ description: 'Run the architectures, and the negative controls, one after the other instead of side by side, as `--one-at-a-time` does: for networks that together would load the host past what the fleets can drive on time.' }),
  abortWhen: z.array(abortConditionSchema).readonly(),
  rollbacks: z.array(timelineActionSchema).readonly(),
  controls: z.array(negativeControlSchema).readonly().exactOptional(),
});

/** A scenario JSON file: the scenario, and the `$schema` key that points an editor at its JSON Schema (`chaos schema`). */
export const scenarioDocumentSchema = scenarioSchema.extend({
  $schema: z.string().exactOptional().meta({ description: 'The path or URL of this JSON Schema, for editors; the harness ignores it.' }),
});
