import { z } from 'zod';

/** `CHAOS_NODE_CONFIG` of a `login` node. The listen address comes from the environment. */
export const loginConfigSchema = z.strictObject({
  /** Shared secret for user and supernode tokens (HMAC-SHA256). */
  secret: z.string().min(8),
  /** p2p: promote standby peers while fewer live supernodes than this are registered; 0 = never promote. */
  wantedSupernodes: z.number().int().min(0).default(0),
  /** Real ms without an `sn-heartbeat` after which a supernode is dead. */
  heartbeatTimeoutMs: z.number().int().positive().default(3_000),
  /** Real ms after a supernode (re)registers before login hands it out (on top of the supernode's own rejoin delay). */
  rejoinDelayMs: z.number().int().min(0).default(0),
  /** Host-cache entries given to a client per login. */
  hostCacheSize: z.number().int().min(1).max(64).default(8),
  /** Real ms between promotion decisions. */
  promotionCheckMs: z.number().int().positive().default(500),
  /** Real ms a promoted peer counts toward the wanted supernodes before it must have registered. */
  promotionPendingMs: z.number().int().positive().default(5_000),
  /**
   * A deliberate defect (a stale affinity table): each user's host cache is the one supernode it was
   * first handed, live or dead, for the whole run.
   */
  pinUsersToFirstSupernode: z.boolean().default(false),
  /**
   * A directory of finite capacity: requests (logins, host caches, supernode registrations and
   * heartbeats) are answered one at a time, the rest queue; absent, every request is answered at once.
   */
  directory: z
    .strictObject({
      /** Requests answered per second (when an answer names no supernode). */
      capacity: z.number().positive().max(1_000_000),
      /** Requests that may wait; beyond them login refuses with a `busy` error frame. */
      queueLimit: z.number().int().min(1).max(100_000).default(1_000),
      /** Extra real ms of work per supernode an answer names (its membership list or host cache). */
      answerCostMsPerSupernode: z.number().min(0).max(10_000).default(0),
    })
    .optional(),
  /**
   * How host caches are filled: `random`, a seeded shuffle of the usable supernodes; `least-loaded`,
   * those with the most free session slots at their last heartbeat first.
   */
  allocation: z.enum(['random', 'least-loaded']).default('random'),
  /**
   * Self-protection: once the directory has refused requests (its queue full) for `graceMs` real ms,
   * with no calm second between refusals, login closes every connection and exits 75, as an
   * overloaded supernode does. Absent, login never shuts itself down. Needs `directory`.
   */
  overloadShutdown: z.strictObject({ graceMs: z.number().positive().max(3_600_000) }).optional(),
  /**
   * Staged readmission after a start: only the users whose stable rank (a hash of the user id) falls
   * below the admitted share may log in, the rest are refused with a `busy` error frame. The share is
   * `stepShare` at the start and grows by it every `stepEveryMs` until it is 1. Staged when the
   * program starts again on its machine (after it ended itself); at the machine's first start only
   * with `atFirstStart`. Absent, every user is admitted at once.
   */
  readmission: z
    .strictObject({
      stepShare: z.number().positive().max(1),
      stepEveryMs: z.number().positive().max(3_600_000),
      atFirstStart: z.boolean().default(false),
    })
    .optional(),
  /** Seed for host-cache sampling. */
  seed: z.number().int().default(1),
});

export type LoginConfig = z.output<typeof loginConfigSchema>;
export type LoginConfigInput = z.input<typeof loginConfigSchema>;
