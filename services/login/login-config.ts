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
  /** Seed for host-cache sampling. */
  seed: z.number().int().default(1),
});

export type LoginConfig = z.output<typeof loginConfigSchema>;
export type LoginConfigInput = z.input<typeof loginConfigSchema>;
