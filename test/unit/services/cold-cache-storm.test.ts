import { afterEach, describe, expect, it } from 'vitest';
import { startOfflineMessagesService, type RunningOfflineMessages } from '../../../services/offline-messages/offline-messages-service.js';
import type { RunningFleet } from '../../../services/client-fleet/client-fleet-service.js';
import type { RunningSupernode } from '../../../services/supernode/supernode-service.js';
import { secret, serviceEnv, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CLIENTS = 60;
/** The third store answers one inbox query a second; the owner (the first) and the second have no limit. */
const THIRD_STORE_CAPACITY = 1;
/** Long enough for a storm to fail more fan-outs than there are clients, even on a busy host. */
const STORM_BOUND_MS = 20_000;
/** Only a refusal fails a miss here: no store is slow, and a busy host's stalls stay far below 5 s. */
const QUERY_TIMEOUT_MS = 5_000;

interface StormOutcome {
  readonly cacheEntries: number;
  readonly online: number;
  readonly counters: Record<string, number>;
  /** Wall-clock seconds from the fleet's start to the reading. */
  readonly elapsedSeconds: number;
}

/**
 * A supernode just (re)started, its cache empty, three stores of which the first holds every
 * inbox, and a fleet whose clients all start up at once and retry every 50 ms.
 */
async function coldStartStorm(fanOut: 'all-shards' | 'owner-shard', started: { close(): Promise<void> }[]): Promise<StormOutcome> {
  const network: LocalNetwork = await startLocalNetwork();
  started.push(network);
  const others: RunningOfflineMessages[] = [];
  for (const [name, queryCapacity] of [['offline-2', undefined], ['offline-3', THIRD_STORE_CAPACITY]] as const) {
    const store = await startOfflineMessagesService(serviceEnv('offline-messages', name, 0, { secret, queryCapacity }));
    started.push(store);
    others.push(store);
  }
  const shardAddresses = [network.offlineAddress, ...others.map((store) => `127.0.0.1:${store.port}`)];
  const supernode: RunningSupernode = await network.startSupernode('sn-a', { startupCache: { fanOut, queryTimeoutMs: QUERY_TIMEOUT_MS, shardAddresses } });
  while (supernode.state !== 'serving') await sleep(20);
  const fleetStarted = Date.now();
  const fleet: RunningFleet = await network.startFleet('fleet-1', {
    users: { first: 0, count: CLIENTS },
    startSpreadMs: 0,
    reconnect: { policy: 'naive', intervalMs: 50 },
    offlinePollIntervalMs: 0,
    lookupsPerClientPerMinute: 0,
    imsPerClientPerMinute: 0,
    requestTimeoutMs: 1_000,
  });
  if (fanOut === 'owner-shard') {
    await waitFor(() => (supernode.status().gauges['startupCacheEntries'] ?? 0) === CLIENTS, 20_000, 'every client warm in the cache');
  } else {
    // The storm goes on: its fan-outs keep failing, more of them than there are clients.
    await waitFor(() => (supernode.status().counters['startupFanOutsFailed'] ?? 0) > CLIENTS, STORM_BOUND_MS, 'more failed fan-outs than clients');
  }
  const counters = supernode.status().counters;
  return {
    cacheEntries: supernode.status().gauges['startupCacheEntries'] ?? 0,
    online: fleet.status().gauges['clientsOnline'] ?? 0,
    counters,
    elapsedSeconds: (Date.now() - fleetStarted) / 1_000,
  };
}

describe('a start-up storm against a cold supernode cache', () => {
  const started: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of started.splice(0).reverse()) await item.close();
  });

  // Every inbox lives on the first store; the third answers one query a second. A miss that asks
  // only the owner never meets the third store, while a miss that asks every store completes at
  // most once per second the third store is open: a bound set by its capacity, not by host speed.
  it('fills the cache for every client when a miss asks only the owner, and is held to the slowest store when every miss asks every store', async () => {
    const [allShards, ownerShard] = await Promise.all([coldStartStorm('all-shards', started), coldStartStorm('owner-shard', started)]);
    expect(ownerShard.cacheEntries).toBe(CLIENTS);
    expect(ownerShard.counters['startupQueriesSent']).toBe(ownerShard.counters['startupCacheMisses']);
    expect(ownerShard.counters['startupFanOutsFailed'] ?? 0).toBe(0);

    const windowsOpen = Math.ceil(allShards.elapsedSeconds) + 1;
    expect(allShards.cacheEntries).toBeLessThanOrEqual(windowsOpen * THIRD_STORE_CAPACITY);
    expect(allShards.online).toBeLessThanOrEqual(allShards.cacheEntries);
    const misses = allShards.counters['startupCacheMisses'] ?? 0;
    expect(allShards.counters['startupQueriesSent']).toBe(misses * 3);
    const failed = allShards.counters['startupFanOutsFailed'] ?? 0;
    // A miss still waiting on its stores at the reading is neither cached nor failed: at most one a client.
    expect(failed).toBeLessThanOrEqual(misses - allShards.cacheEntries);
    expect(failed).toBeGreaterThanOrEqual(misses - allShards.cacheEntries - CLIENTS);
    expect(failed).toBeGreaterThan(CLIENTS);
  }, 40_000);
});
