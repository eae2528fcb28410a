import { afterEach, describe, expect, it } from 'vitest';
import { startOfflineMessagesService, type RunningOfflineMessages } from '../../../services/offline-messages/offline-messages-service.js';
import type { RunningFleet } from '../../../services/client-fleet/client-fleet-service.js';
import type { RunningSupernode } from '../../../services/supernode/supernode-service.js';
import { secret, serviceEnv, startLocalNetwork, waitFor } from './local-network.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CLIENTS = 80;
const STORES = 8;
/**
 * One worker at 100 ms a query: a store serves 10 queries a second, whoever still waits for them. The
 * stores' pace is a timer while the fleet's is the host's: on a busy host the fleet starts its
 * clients at 15-30 a second, still 1.5-3x what a store serves, so the storm is the stores' own.
 */
const STORE_POOL = { workers: 1, serviceTimeMs: 100 };
/** Ten queries' service: the busiest store owns 14 of the 80 users, so its last owner-shard query comes after 1.4 s and is tried again. */
const QUERY_TIMEOUT_MS = 1_000;
/** A failed registration comes back after the 1 s timeout and is tried again 100 ms later. */
const RETRY_MS = 100;
/** Long enough for two more rounds of failures on a busy host. */
const STORM_BOUND_MS = 30_000;

interface Storm {
  readonly supernode: RunningSupernode;
  readonly fleet: RunningFleet;
  readonly queueDepths: () => number[];
}

/**
 * A supernode just started, its cache empty, eight stores that each serve 10 queries a second, and a
 * fleet whose clients all start at once. Asking every store, each store is offered every miss: 80 at
 * the start, then the clients still out every 1.1 s, about 7x what it serves, so its queue outgrows
 * the 1 s the supernode waits and every answer comes too late for a caller that has gone: only the
 * ten at the head of the queues are answered in time. Asking each user's own store, a store is
 * offered an eighth of the misses and answers them within a retry or two.
 */
async function coldStart(fanOut: 'all-shards' | 'owner-shard', started: { close(): Promise<void> }[]): Promise<Storm> {
  const network = await startLocalNetwork();
  started.push(network);
  const stores: RunningOfflineMessages[] = [];
  for (let index = 0; index < STORES; index += 1) {
    const store = await startOfflineMessagesService(serviceEnv('offline-messages', `store-${index}`, 0, { secret, ...STORE_POOL }));
    started.push(store);
    stores.push(store);
  }
  const shardAddresses = stores.map((store) => `127.0.0.1:${store.port}`);
  const supernode = await network.startSupernode(`sn-${fanOut}`, {
    capacity: { sessions: CLIENTS * 2, requestsPerSecond: 10_000 },
    startupCache: { fanOut, queryTimeoutMs: QUERY_TIMEOUT_MS, shardAddresses, ownerShard: 'user-hash' },
  });
  while (supernode.state !== 'serving') await sleep(20);
  const fleet = await network.startFleet(`fleet-${fanOut}`, {
    users: { first: 0, count: CLIENTS },
    startSpreadMs: 0,
    reconnect: { policy: 'naive', intervalMs: RETRY_MS },
    offlinePollIntervalMs: 0,
    lookupsPerClientPerMinute: 0,
    imsPerClientPerMinute: 0,
    requestTimeoutMs: 2_000,
  });
  return { supernode, fleet, queueDepths: () => stores.map((store) => store.status().gauges['queueDepth'] ?? 0) };
}

describe('a cold supernode cache in front of stores with a queue', () => {
  const started: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of started.splice(0).reverse()) await item.close();
  });

  it("fills for every client when a miss asks the user's own store, and stays cold when every miss asks every store: the stores serve queries nobody waits for", async () => {
    const [allShards, ownStore] = await Promise.all([coldStart('all-shards', started), coldStart('owner-shard', started)]);
    const entries = (storm: Storm) => storm.supernode.status().gauges['startupCacheEntries'] ?? 0;

    await waitFor(() => entries(ownStore) === CLIENTS, 20_000, "every client warm when each miss asks the user's own store");
    expect(ownStore.supernode.status().counters['startupQueriesSent']).toBe(ownStore.supernode.status().counters['startupCacheMisses']);

    // Not slow but stuck: two more rounds of misses fail, the queues still hold work, and the cache has not filled.
    const failed = () => allShards.supernode.status().counters['startupFanOutsFailed'] ?? 0;
    await waitFor(() => failed() > CLIENTS, STORM_BOUND_MS, 'a round of failed fan-outs');
    const roundLater = failed() + 2 * CLIENTS;
    await waitFor(() => failed() >= roundLater, STORM_BOUND_MS, 'two more rounds of failed fan-outs');
    expect(Math.min(...allShards.queueDepths())).toBeGreaterThan(0);
    expect(entries(allShards)).toBeLessThan(CLIENTS / 2);
    expect(allShards.fleet.status().gauges['clientsOnline'] ?? 0).toBeLessThanOrEqual(entries(allShards));
  }, 90_000);
});
