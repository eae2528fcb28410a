import { z } from 'zod';
import { addressField } from '../protocol/frame-fields.js';

const ms = z.number().min(0).max(86_400_000);

/** Timeout of one client request unless configured; the harness bounds a fleet's event-loop delay by it. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** How often a client polls its inbox while online unless configured. */
export const DEFAULT_OFFLINE_POLL_MS = 5_000;

/** How long a user takes to restart a crashed client, in real milliseconds. */
export const restartDelaySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), ms }),
  z.strictObject({ kind: z.literal('uniform'), minMs: ms, maxMs: ms }).refine((d) => d.minMs <= d.maxMs, 'minMs must not exceed maxMs'),
  z.strictObject({ kind: z.literal('exponential'), meanMs: ms.positive(), maxMs: ms.optional() }),
]);
export type RestartDelay = z.output<typeof restartDelaySchema>;

/**
 * After losing (or failing to get) a supernode: `naive` retries the next host-cache entry every
 * `intervalMs`, never slowing down (the 2010 client hammered at the rate its code set);
 * `backoff` waits with full jitter.
 */
export const reconnectPolicySchema = z.discriminatedUnion('policy', [
  z.strictObject({ policy: z.literal('naive'), intervalMs: z.number().min(10).max(86_400_000) }),
  z.strictObject({ policy: z.literal('backoff'), baseMs: ms.positive(), capMs: ms.positive() }).refine((p) => p.baseMs <= p.capMs, 'baseMs must not exceed capMs'),
]);
export type ReconnectPolicy = z.output<typeof reconnectPolicySchema>;

/** The most queries one client's full re-sync sends at once. */
export const MAX_RESYNC_QUERIES = 100;

/**
 * When offline-messages answers an inbox query with an error: `wait` for the next poll (the error
 * is a failed fetch, nothing more); `full-resync` takes the inbox for invalid and re-reads it at
 * once in `resyncQueries` queries, and re-reads it so at every poll until all of them are answered.
 */
export const inboxErrorPolicySchema = z.discriminatedUnion('policy', [
  z.strictObject({ policy: z.literal('wait') }),
  z.strictObject({ policy: z.literal('full-resync'), resyncQueries: z.number().int().min(1).max(MAX_RESYNC_QUERIES) }),
]);
export type InboxErrorPolicy = z.output<typeof inboxErrorPolicySchema>;

/** A range of numeric user ids `<userIdPrefix><first>` .. `<userIdPrefix><first + count - 1>`. */
export const userRangeSchema = z.strictObject({ first: z.number().int().min(0), count: z.number().int().min(1).max(1_000_000) });
export type UserRange = z.output<typeof userRangeSchema>;

/** What every virtual client does, in a fleet or embedded in a peer supernode. Durations are real ms. */
export const clientBehaviourShape = {
  /** Shared secret for user tokens. */
  secret: z.string().min(8),
  /** Login, as this node dials it (a Toxiproxy listener `host:port`). */
  loginAddress: addressField,
  /** Offline-messages, as this node dials it (a Toxiproxy listener `host:port`). */
  offlineMessagesAddress: addressField,
  /** The version carrying the 2010 bug. */
  buggyVersion: z.string().min(1).default('5.0.0.152'),
  /** Probability that a client of the buggy version is vulnerable (decided once per client from the seed). */
  crashProbability: z.number().min(0).max(1).default(0.4),
  /** An offline-messages reply slower than this crashes a vulnerable buggy client. */
  delayedReplyThresholdMs: ms.positive().default(1_000),
  reconnect: reconnectPolicySchema.default({ policy: 'naive', intervalMs: 500 }),
  heartbeatIntervalMs: ms.positive().default(1_000),
  /** No heartbeat-ack for this long and the client drops its supernode; default 3 x heartbeatIntervalMs. */
  heartbeatTimeoutMs: ms.positive().optional(),
  lookupsPerClientPerMinute: z.number().min(0).max(6_000).default(6),
  imsPerClientPerMinute: z.number().min(0).max(6_000).default(2),
  inboxErrors: inboxErrorPolicySchema.default({ policy: 'wait' }),
  /** Periodic offline-messages fetch while online; 0 = only at login. */
  offlinePollIntervalMs: ms.default(DEFAULT_OFFLINE_POLL_MS),
  /** Timeout of one request (login, register, lookup, IM, offline-messages). */
  requestTimeoutMs: ms.positive().default(DEFAULT_REQUEST_TIMEOUT_MS),
  /** Prefix of user ids. */
  userIdPrefix: z.string().regex(/^[A-Za-z._-]{0,16}$/).default('u'),
  /** Users that lookups and IMs pick from (all fleets' users); none = no lookups or IMs. */
  contacts: z.array(userRangeSchema).max(64).default([]),
};

export const clientBehaviourSchema = z.strictObject(clientBehaviourShape);
export type ClientBehaviour = z.output<typeof clientBehaviourSchema>;
