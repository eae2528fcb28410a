import { z } from 'zod';
import type { ControlReply } from '../common/control-server.js';
import type { StartupLookup } from './startup-cache.js';

/** The path of the command on the supernode's control port. */
export const STARTUP_CACHE_WARMING_PATH = '/startup-cache/warming';

const warmingRequestSchema = z.strictObject({ on: z.boolean() });

/**
 * `POST /startup-cache/warming { on }`: while on, a miss is the state the cache held before the run
 * (cached at once, no store asked). The harness turns it on as the network is deployed and off once
 * the steady state holds; a restarted supernode begins with it off, and so cold.
 */
export function setStartupCacheWarming(cache: StartupLookup | undefined, body: unknown): ControlReply {
  if (cache === undefined) return { status: 409, body: { error: 'this supernode has no start-up cache (supernode.startupCache in the scenario)' } };
  const parsed = warmingRequestSchema.safeParse(body);
  if (!parsed.success) return { status: 400, body: { error: 'the body is { "on": true | false }' } };
  cache.setWarming(parsed.data.on);
  return { status: 200, body: { warming: cache.warming, entries: cache.size } };
}
