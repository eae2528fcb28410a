import { z } from 'zod';

/** The worker pool a store runs when its config leaves it out. */
export const DEFAULT_STORE_WORKERS = 4;
export const DEFAULT_STORE_SERVICE_TIME_MS = 2;

/** `CHAOS_NODE_CONFIG` of an `offline-messages` node. Durations are real ms. */
export const offlineMessagesConfigSchema = z.strictObject({
  /** Shared secret: `fetch` and `ack` carry the user's token. */
  secret: z.string().min(8),
  /** Requests served at the same time. */
  workers: z.number().int().min(1).max(1_000).default(DEFAULT_STORE_WORKERS),
  /** Time one worker spends on one request: with `workers`, the server's throughput (workers * 1000 / serviceTimeMs per second). */
  serviceTimeMs: z.number().min(0).max(60_000).default(DEFAULT_STORE_SERVICE_TIME_MS),
  /** Requests waiting beyond this are refused with `busy`. */
  maxQueue: z.number().int().min(1).max(1_000_000).default(20_000),
  /** Messages held at once; a store beyond this is refused with `busy`. */
  maxStoredMessages: z.number().int().min(1).max(10_000_000).default(200_000),
  /**
   * Inbox queries (`fetch`) answered a second, counted over the last second; a query beyond them is
   * answered with a `busy` error frame. Absent, every query is answered.
   */
  queryCapacity: z.number().int().min(1).max(1_000_000).optional(),
  /** A deliberate defect: the share of messages (0-1) answered `stored` and silently dropped; 0 = none. */
  dropShare: z.number().min(0).max(1).default(0),
  /** Seed that decides which message ids `dropShare` drops. */
  seed: z.number().int().default(1),
});

export type OfflineMessagesConfig = z.output<typeof offlineMessagesConfigSchema>;
export type OfflineMessagesConfigInput = z.input<typeof offlineMessagesConfigSchema>;
