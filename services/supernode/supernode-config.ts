import { z } from 'zod';
import { addressField, clientVersionField, userIdField } from '../protocol/frame-fields.js';
import { clientBehaviourShape } from '../client-fleet/client-settings.js';

const ms = z.number().min(0).max(86_400_000);

/** The one virtual client a peer supernode runs (the same code as the fleet's clients). */
export const embeddedClientConfigSchema = z.strictObject({
  ...clientBehaviourShape,
  /** The user this peer's own client logs in as; keep it outside the fleets' contact ranges. */
  userId: userIdField,
  clientVersion: clientVersionField,
  /** Whether the buggy version crashes here; drawn from `seed` with `crashProbability` when absent. */
  vulnerable: z.boolean().optional(),
  seed: z.number().int().default(1),
  /** How long after the process starts the client logs in: peers deployed together do not all log in at the first supernodes that serve. */
  loginDelayMs: z.number().int().min(0).max(600_000).default(0),
});
export type EmbeddedClientConfig = z.output<typeof embeddedClientConfigSchema>;

/** The most offline-store shards a start-up query fans out to. */
export const MAX_STARTUP_SHARDS = 64;

/**
 * A client's state fetched at its start-up (registration) and cached in the supernode's memory;
 * the cache starts empty at every (re)start. On a miss: `all-shards` asks every offline store and
 * needs all answers; `owner-shard` asks only the store that holds the user's inbox.
 */
export const startupCacheConfigSchema = z
  .strictObject({
    fanOut: z.enum(['all-shards', 'owner-shard']),
    /** How long a miss waits for the stores' answers; later, the registration fails and nothing is cached. */
    queryTimeoutMs: ms.positive(),
    /** Every offline-message store, as this node dials it, in shard order. */
    shardAddresses: z.array(addressField).min(1).max(MAX_STARTUP_SHARDS),
    /**
     * Which store `owner-shard` asks: an index in `shardAddresses` (the store holding every user's inbox,
     * the one clients dial), or `user-hash`, each user's own store, a stable hash of the user id modulo
     * the number of stores, so every store owns a share of the users.
     */
    ownerShard: z.union([z.number().int().min(0), z.literal('user-hash')]).default(0),
  })
  .refine((cache) => cache.ownerShard === 'user-hash' || cache.ownerShard < cache.shardAddresses.length, {
    message: 'ownerShard must index shardAddresses (or be "user-hash")',
    path: ['ownerShard'],
  });
export type StartupCacheConfig = z.output<typeof startupCacheConfigSchema>;
export type StartupCacheConfigInput = z.input<typeof startupCacheConfigSchema>;

/** `CHAOS_NODE_CONFIG` of a `supernode` node. Durations are real ms. */
export const supernodeConfigSchema = z
  .strictObject({
    /** Shared secret: verifies client tokens and authenticates this supernode to login and to its overlay peers. */
    secret: z.string().min(8),
    /** `dedicated`: a hosted box, no client code. `peer`: a promoted client, runs `client`. */
    mode: z.enum(['peer', 'dedicated']),
    /** peer only: start as a plain client and serve only once login promotes it. */
    standby: z.boolean().default(false),
    /** How clients reach this supernode (the clients-><name> proxy listener), handed out by login. */
    clientAddress: addressField,
    /** How other supernodes reach this one (the supernodes-><name> proxy listener). */
    overlayAddress: addressField,
    /** Login, as this node dials it. */
    loginAddress: addressField,
    capacity: z.strictObject({ sessions: z.number().int().min(1), requestsPerSecond: z.number().positive() }),
    /** Load (fraction of capacity) above which self-protection counts. */
    overloadThreshold: z.number().positive().default(1),
    /** Load above the threshold for this long and the supernode exits with code 75. */
    overloadGraceMs: ms.default(2_000),
    /** After (re)start or promotion: answers `not-ready` and is not handed out for this long. */
    rejoinDelayMs: ms.default(0),
    /** A registered session with no heartbeat for this long is dropped. */
    sessionTimeoutMs: ms.positive().default(5_000),
    /** A connection that has not registered (client) or said hello (overlay) within this long is closed. */
    registerTimeoutMs: ms.positive().default(5_000),
    /** Period of `sn-heartbeat` (or `peer-hello` while standby) to login. */
    loginHeartbeatMs: ms.positive().default(1_000),
    /** How long a lookup waits for overlay peers. */
    overlayTimeoutMs: ms.positive().default(1_500),
    /** How long an IM push waits for the recipient's `im-ack`. */
    imAckTimeoutMs: ms.positive().default(2_000),
    /** Load evaluation period for self-protection. */
    loadCheckMs: ms.positive().default(100),
    /** The window the request rate is measured over: longer smooths the noise of a few requests a second. */
    loadWindowMs: ms.min(100).default(1_000),
    /** Whether a new session is also refused while the load is above the threshold (not only when slots are full). */
    admission: z.enum(['accept-all', 'refuse-while-overloaded']).default('accept-all'),
    /** The window `refuse-while-overloaded` judges the load over (shorter than `loadWindowMs`: answering a login is about now). */
    admissionWindowMs: ms.min(100).default(1_000),
    /**
     * How long login may take to answer an `sn-register` (at start, and after the login link drops);
     * later, the supernode takes itself out of service until a registration is answered in time.
     * Absent: it waits as long as login takes, serving meanwhile.
     */
    registrationTimeoutMs: ms.positive().optional(),
    /** Whether the process's first registration has `registrationTimeoutMs` too; false: it waits as long as login takes. */
    registrationDeadlineAtStart: z.boolean().default(true),
    /**
     * Each `sn-heartbeat` confirms membership: it waits for login's answer (one at a time), and one not
     * answered within `registrationTimeoutMs` takes the supernode out of service as a late registration does.
     */
    heartbeatDeadline: z.boolean().default(false),
    /**
     * With `heartbeatDeadline`: the supernode's turn on the wall clock, its membership checks falling at
     * `index / of` of each `loginHeartbeatMs` interval counted from the epoch, so that supernodes started
     * at any moment check in turn and never in a bunch. Absent: at a share drawn from the name, counted
     * from the process's start.
     */
    heartbeatSlot: z
      .strictObject({ index: z.number().int().min(0), of: z.number().int().min(1) })
      .refine((slot) => slot.index < slot.of, 'heartbeatSlot.index must be below heartbeatSlot.of')
      .optional(),
    /**
     * A lease on membership that every answer from login (`sn-registered`, `sn-peers`) renews for this
     * long from its arrival, running from the process's start (a standby peer's from its promotion).
     * Expired, including while login cannot be reached, the supernode takes itself out of service
     * until a registration is answered. Absent: no lease. Longer than `loginHeartbeatMs`.
     */
    loginLeaseMs: ms.positive().optional(),
    /** After a registration failed: the delay before the next, drawn from half to one and a half of this. */
    registrationRetryMs: ms.positive().default(1_000),
    /** What a standby peer tells login (promotion criteria). */
    publicAddress: z.boolean().default(true),
    bandwidthKbps: z.number().int().min(0).default(1_000),
    /** A start-up cache of clients' state, filled from the offline stores; absent, a registration is answered at once. */
    startupCache: startupCacheConfigSchema.optional(),
    /** peer only: the embedded client. Required in peer mode, forbidden in dedicated mode. */
    client: embeddedClientConfigSchema.optional(),
  })
  .superRefine((config, context) => {
    if (config.mode === 'peer' && config.client === undefined) {
      context.addIssue({ code: 'custom', path: ['client'], message: 'peer mode runs client code: give the embedded client config' });
    }
    if (config.mode === 'dedicated' && config.client !== undefined) {
      context.addIssue({ code: 'custom', path: ['client'], message: 'dedicated supernodes run no client code' });
    }
    const withoutDeadline = config.registrationTimeoutMs === undefined;
    if (withoutDeadline && config.heartbeatDeadline) {
      context.addIssue({ code: 'custom', path: ['heartbeatDeadline'], message: 'heartbeatDeadline needs registrationTimeoutMs, the deadline of each heartbeat' });
    }
    if (config.heartbeatSlot !== undefined && !config.heartbeatDeadline) {
      context.addIssue({ code: 'custom', path: ['heartbeatSlot'], message: 'heartbeatSlot needs heartbeatDeadline: only a membership check has a turn' });
    }
    if (withoutDeadline && !config.registrationDeadlineAtStart) {
      context.addIssue({ code: 'custom', path: ['registrationDeadlineAtStart'], message: 'registrationDeadlineAtStart needs registrationTimeoutMs: without it no registration has a deadline' });
    }
    if (config.loginLeaseMs !== undefined && config.loginLeaseMs <= config.loginHeartbeatMs) {
      context.addIssue({ code: 'custom', path: ['loginLeaseMs'], message: 'loginLeaseMs must be longer than loginHeartbeatMs, or it expires between two heartbeats' });
    }
    if (config.mode === 'dedicated' && config.standby) {
      context.addIssue({ code: 'custom', path: ['standby'], message: 'only peer supernodes can be on standby' });
    }
  });

export type SupernodeConfig = z.output<typeof supernodeConfigSchema>;
export type SupernodeConfigInput = z.input<typeof supernodeConfigSchema>;
