import { afterEach, describe, expect, it } from 'vitest';
import { startOfflineMessagesService, type RunningOfflineMessages } from '../../../services/offline-messages/offline-messages-service.js';
import type { RunningFleet } from '../../../services/client-fleet/client-fleet-service.js';
import type { RunningSupernode } from '../../../services/supernode/supernode-service.js';
import { secret, serviceEnv, startLocalNetwork, type LocalNetwork } from './local-network.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Inbox queries each store answers a second: far below the storm, enough for the owner alone. */
const QUERY_CAPACITY = 30;
const CLIENTS = 60;
const STORM_MS = 3_000;

interface StormOutcome {
  readonly cacheEntries: number;
  readonly online: number;
  readonly counters: Record<string, number>;
}

/**
 * A supernode just (re)started, its cache empty, three stores of which the first holds every
 * inbox, and a fleet whose clients all start up at once and retry every 50 ms. The stores'
 * windows start a third of a bucket (33 ms) apart, as on separate machines.
 */
async function coldStartStorm(fanOut: 'all-shards' | 'owner-shard', started: { close(): Promise<void> }[]): Promise<StormOutcome> {
  const network: LocalNetwork = await startLocalNetwork({ offline: { queryCapacity: QUERY_CAPACITY } });
  started.push(network);
  const others: RunningOfflineMessages[] = [];
  for (const name of ['offline-2', 'offline-3']) {
    await sleep(33);
    const store = await startOfflineMessagesService(serviceEnv('offline-messages', name, 0, { secret, queryCapacity: QUERY_CAPACITY }));
    started.push(store);
    others.push(store);
  }
  const shardAddresses = [network.offlineAddress, ...others.map((store) => `127.0.0.1:${store.port}`)];
  const supernode: RunningSupernode = await network.startSupernode('sn-a', { startupCache: { fanOut, queryTimeoutMs: 500, shardAddresses } });
  while (supernode.state !== 'serving') await sleep(20);
  const fleet: RunningFleet = await network.startFleet('fleet-1', {
    users: { first: 0, count: CLIENTS },
    startSpreadMs: 0,
    reconnect: { policy: 'naive', intervalMs: 50 },
    offlinePollIntervalMs: 0,
    lookupsPerClientPerMinute: 0,
    imsPerClientPerMinute: 0,
    requestTimeoutMs: 1_000,
  });
  await sleep(STORM_MS);
  return {
    cacheEntries: supernode.status().gauges['startupCacheEntries'] ?? 0,
    online: fleet.status().gauges['clientsOnline'] ?? 0,
    counters: supernode.status().counters,
  };
}

describe('a start-up storm against a cold supernode cache', () => {
  const started: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of started.splice(0).reverse()) await item.close();
  });

  // Every inbox lives on the first store (as every client dials offline-1), so that store refuses the
  // same share of either fan-out's queries; the others refuse at their own moments, and a miss that
  // needs all three succeeds far less often. Measured: owner-shard 60 of 60 warm, all-shards 23-43.
  it('fills the cache for every client when a miss asks only the owner, and leaves a share of it cold when every miss asks every store', async () => {
    const [allShards, ownerShard] = await Promise.all([coldStartStorm('all-shards', started), coldStartStorm('owner-shard', started)]);
    expect(ownerShard.cacheEntries).toBe(CLIENTS);
    expect(ownerShard.online).toBe(CLIENTS);
    expect(ownerShard.counters['startupQueriesSent']).toBe(ownerShard.counters['startupCacheMisses']);
    expect(allShards.cacheEntries).toBeLessThan(CLIENTS * 0.8);
    expect(allShards.online).toBe(allShards.cacheEntries);
    const misses = allShards.counters['startupCacheMisses'] ?? 0;
    expect(allShards.counters['startupQueriesSent']).toBe(misses * 3);
    expect(allShards.counters['startupFanOutsFailed']).toBeGreaterThan(misses * 0.8);
  }, 15_000);
});
