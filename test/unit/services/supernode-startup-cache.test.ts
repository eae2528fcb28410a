import { afterEach, describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { authToken } from '../../../services/protocol/auth-token.js';
import type { OfflineToClient } from '../../../services/protocol/frames.js';
import type { StartupShards } from '../../../services/supernode/offline-shards.js';
import { StartupLookup, userShard, type StartupCounterName } from '../../../services/supernode/startup-cache.js';
import { setStartupCacheWarming, STARTUP_CACHE_WARMING_PATH } from '../../../services/supernode/startup-cache-command.js';
import { supernodeConfigSchema } from '../../../services/supernode/supernode-config.js';
import { startSupernodeService } from '../../../services/supernode/supernode-service.js';
import { RawSocket } from './raw-socket.js';
import { secret, serviceEnv, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';
import { freeLoopbackPort } from '../../../harness/platform/free-port.js';

type ShardAnswer = 'answers' | 'errs' | 'silent';

const page: OfflineToClient = { v: 1, type: 'messages', requestId: 'r', items: [], more: false };
const busy: OfflineToClient = { v: 1, type: 'error', code: 'busy', message: 'over capacity', requestId: 'r' };

/** Stores that answer as told, counting the queries each one got; `silent` is a query that timed out. */
function fakeShards(answers: ShardAnswer[]): StartupShards & { asked: number[] } {
  const asked = answers.map(() => 0);
  return {
    count: answers.length,
    asked,
    query(shard) {
      asked[shard] = (asked[shard] ?? 0) + 1;
      const answer = answers[shard];
      return Promise.resolve(answer === 'answers' ? page : answer === 'errs' ? busy : undefined);
    },
    close: () => undefined,
  };
}

function lookup(fanOut: 'all-shards' | 'owner-shard', shards: StartupShards, ownerShard: number | 'user-hash' = 0) {
  const counts = new Map<StartupCounterName, number>();
  const cache = new StartupLookup({ fanOut, queryTimeoutMs: 100, ownerShard }, { shards, now: () => 0, counters: { inc: (name, by = 1) => counts.set(name, (counts.get(name) ?? 0) + by) } });
  return { cache, counts: () => Object.fromEntries(counts) };
}

/** A dedicated supernode on `port` whose start-up cache reads the network's one offline store. */
function cachingSupernodeConfig(net: LocalNetwork, port: number, fanOut: 'owner-shard' | 'all-shards') {
  const address = `127.0.0.1:${port}`;
  return {
    secret,
    mode: 'dedicated',
    clientAddress: address,
    overlayAddress: address,
    loginAddress: net.loginAddress,
    capacity: { sessions: 100, requestsPerSecond: 100_000 },
    startupCache: { fanOut, queryTimeoutMs: 1_000, shardAddresses: [net.offlineAddress] },
  };
}

describe("a supernode's start-up cache", () => {
  it('misses a user once, fills on the answers, then answers from memory', async () => {
    const shards = fakeShards(['answers', 'answers', 'answers']);
    const { cache, counts } = lookup('all-shards', shards);
    expect(await cache.stateOf('u1', 't')).toEqual([0, 1, 2].map((shard) => ({ shard, held: 0, more: false })));
    expect(await cache.stateOf('u1', 't')).toHaveLength(3);
    expect(cache.size).toBe(1);
    expect(shards.asked).toEqual([1, 1, 1]);
    expect(counts()).toEqual({ startupCacheMisses: 1, startupQueriesSent: 3, startupCacheHits: 1 });
  });

  it.each<[string, ShardAnswer]>([
    ['errs', 'errs'],
    ['does not answer in time', 'silent'],
  ])('fails a miss under all-shards when one store %s, fills nothing, and misses again next time', async (_name, answer) => {
    const { cache, counts } = lookup('all-shards', fakeShards(['answers', 'answers', answer]));
    expect(await cache.stateOf('u1', 't')).toBeUndefined();
    expect(await cache.stateOf('u1', 't')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(counts()).toEqual({ startupCacheMisses: 2, startupQueriesSent: 6, startupFanOutsFailed: 2 });
  });

  it('asks only the owner under owner-shard, so the same erring store does not fail it', async () => {
    const shards = fakeShards(['answers', 'silent', 'errs']);
    const { cache, counts } = lookup('owner-shard', shards);
    expect(await cache.stateOf('u1', 't')).toEqual([{ shard: 0, held: 0, more: false }]);
    expect(await cache.stateOf('u1', 't')).toBeDefined();
    expect(shards.asked).toEqual([1, 0, 0]);
    expect(counts()).toEqual({ startupCacheMisses: 1, startupQueriesSent: 1, startupCacheHits: 1 });
  });

  it("asks each user's own store under owner-shard by user hash: one query a miss, the same store every time, every store a share of the users", async () => {
    const shards = fakeShards(['answers', 'answers', 'answers', 'answers']);
    const { cache, counts } = lookup('owner-shard', shards, 'user-hash');
    const users = Array.from({ length: 400 }, (_, index) => `user-${index}`);
    for (const user of users) expect(await cache.stateOf(user, 't')).toEqual([{ shard: userShard(user, 4), held: 0, more: false }]);
    expect(counts()).toEqual({ startupCacheMisses: 400, startupQueriesSent: 400 });
    // 400 users over 4 stores: a share of 100 each, and a hash that spreads them lands every store within 60-140.
    for (const asked of shards.asked) expect(asked).toBeGreaterThanOrEqual(60);
    for (const asked of shards.asked) expect(asked).toBeLessThanOrEqual(140);
    expect(users.map((user) => userShard(user, 4))).toEqual(users.map((user) => userShard(user, 4)));
  });

  it("fails a user's miss under owner-shard by user hash only when that user's own store errs", async () => {
    const shards = fakeShards(['answers', 'errs']);
    const { cache } = lookup('owner-shard', shards, 'user-hash');
    const users = Array.from({ length: 40 }, (_, index) => `user-${index}`);
    const states = await Promise.all(users.map((user) => cache.stateOf(user, 't')));
    for (const [index, user] of users.entries()) expect(states[index] === undefined, user).toBe(userShard(user, 2) === 1);
    expect(cache.size).toBe(users.filter((user) => userShard(user, 2) === 0).length);
  });

  it('is off by default in the service config and refuses an owner outside the shards', () => {
    const base = { secret, mode: 'dedicated', clientAddress: 'a:1', overlayAddress: 'a:2', loginAddress: 'a:3', capacity: { sessions: 1, requestsPerSecond: 1 } };
    expect(parseRoleConfig('supernode', supernodeConfigSchema, base).startupCache).toBeUndefined();
    const cache = { fanOut: 'owner-shard', queryTimeoutMs: 500, shardAddresses: ['o:1', 'o:2'] };
    expect(parseRoleConfig('supernode', supernodeConfigSchema, { ...base, startupCache: cache }).startupCache?.ownerShard).toBe(0);
    expect(() => parseRoleConfig('supernode', supernodeConfigSchema, { ...base, startupCache: { ...cache, ownerShard: 2 } })).toThrow(/ownerShard/);
    expect(parseRoleConfig('supernode', supernodeConfigSchema, { ...base, startupCache: { ...cache, ownerShard: 'user-hash' } }).startupCache?.ownerShard).toBe('user-hash');
    expect(() => parseRoleConfig('supernode', supernodeConfigSchema, { ...base, startupCache: { ...cache, ownerShard: 'by-user' } })).toThrow(/ownerShard/);
    expect(() => parseRoleConfig('supernode', supernodeConfigSchema, { ...base, startupCache: { ...cache, shardAddresses: [] } })).toThrow(/shardAddresses/);
  });
});

describe("a start-up cache warming (the state it held before the run)", () => {
  it('caches a miss at once without asking a store while warming, then misses for real once it stops', async () => {
    const shards = fakeShards(['answers', 'answers']);
    const { cache, counts } = lookup('all-shards', shards);
    cache.setWarming(true);
    expect(await cache.stateOf('u1', 't')).toEqual([]);
    expect(await cache.stateOf('u1', 't')).toEqual([]);
    cache.setWarming(false);
    expect(await cache.stateOf('u2', 't')).toHaveLength(2);
    expect(shards.asked).toEqual([1, 1]);
    expect(cache.size).toBe(2);
    expect(counts()).toEqual({ startupCacheWarmed: 1, startupCacheHits: 1, startupCacheMisses: 1, startupQueriesSent: 2 });
  });

  it('takes { on } on the control command, refusing another body and a supernode without a cache', () => {
    const { cache } = lookup('all-shards', fakeShards(['answers']));
    expect(setStartupCacheWarming(cache, { on: true })).toEqual({ status: 200, body: { warming: true, entries: 0 } });
    expect(cache.warming).toBe(true);
    expect(setStartupCacheWarming(cache, { on: 'yes' })).toEqual({ status: 400, body: { error: 'the body is { "on": true | false }' } });
    expect(setStartupCacheWarming(cache, { on: false, extra: 1 }).status).toBe(400);
    expect(cache.warming).toBe(true);
    expect(setStartupCacheWarming(undefined, { on: true })).toEqual({ status: 409, body: { error: 'this supernode has no start-up cache (supernode.startupCache in the scenario)' } });
  });
});

describe('a supernode with a start-up cache, on real sockets', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  const register = (userId: string) => ({ v: 1, type: 'register', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' });

  async function registerOnce(port: number, userId: string): Promise<Record<string, unknown>> {
    const socket = await RawSocket.open(port);
    socket.send(register(userId));
    const reply = await socket.next();
    socket.close();
    return reply;
  }

  it('reads a registering client from the offline store once, and again after the supernode restarts: its memory starts empty', async () => {
    network = await startLocalNetwork();
    const net = network;
    const port = await freeLoopbackPort();
    const config = cachingSupernodeConfig(net, port, 'owner-shard');
    const start = () => startSupernodeService(serviceEnv('supernode', 'sn-a', port, config), net.exits);
    let supernode = await start();
    await waitFor(() => supernode.state === 'serving', 2_000, 'serving');
    expect(await registerOnce(port, 'u1')).toMatchObject({ type: 'registered' });
    expect(await registerOnce(port, 'u1')).toMatchObject({ type: 'registered' });
    expect(supernode.status().counters).toMatchObject({ startupCacheMisses: 1, startupCacheHits: 1, startupQueriesSent: 1, startupFanOutsFailed: 0 });
    expect(supernode.status().gauges['startupCacheEntries']).toBe(1);
    expect(net.offline.status().counters['fetches']).toBe(1);
    await supernode.close();
    supernode = await start();
    await waitFor(() => supernode.state === 'serving', 2_000, 'serving again');
    expect(supernode.status().gauges['startupCacheEntries']).toBe(0);
    expect(await registerOnce(port, 'u1')).toMatchObject({ type: 'registered' });
    expect(supernode.status().counters).toMatchObject({ startupCacheMisses: 1, startupCacheHits: 0 });
    expect(net.offline.status().counters['fetches']).toBe(2);
    await supernode.close();
  });

  it('warms on its control port (no store asked), stops warming on it, and begins cold and not warming after a restart', async () => {
    network = await startLocalNetwork();
    const net = network;
    const port = await freeLoopbackPort();
    const controlPort = await freeLoopbackPort();
    const config = cachingSupernodeConfig(net, port, 'all-shards');
    const start = () => startSupernodeService({ ...serviceEnv('supernode', 'sn-w', port, config), controlPort }, net.exits);
    const warming = async (on: boolean) => {
      const response = await fetch(`http://127.0.0.1:${controlPort}${STARTUP_CACHE_WARMING_PATH}`, { method: 'POST', body: JSON.stringify({ on }) });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    let supernode = await start();
    await waitFor(() => supernode.state === 'serving', 2_000, 'serving');
    expect(await warming(true)).toEqual({ status: 200, body: { warming: true, entries: 0 } });
    expect(supernode.status().gauges['startupCacheWarming']).toBe(1);
    expect(await registerOnce(port, 'u1')).toMatchObject({ type: 'registered' });
    expect(await warming(false)).toEqual({ status: 200, body: { warming: false, entries: 1 } });
    expect(await registerOnce(port, 'u1')).toMatchObject({ type: 'registered' });
    expect(await registerOnce(port, 'u2')).toMatchObject({ type: 'registered' });
    expect(supernode.status().counters).toMatchObject({ startupCacheWarmed: 1, startupCacheHits: 1, startupCacheMisses: 1 });
    expect(net.offline.status().counters['fetches']).toBe(1);
    await supernode.close();
    supernode = await start();
    await waitFor(() => supernode.state === 'serving', 2_000, 'serving again');
    expect(supernode.status().gauges).toMatchObject({ startupCacheEntries: 0, startupCacheWarming: 0 });
    expect(await registerOnce(port, 'u1')).toMatchObject({ type: 'registered' });
    expect(supernode.status().counters).toMatchObject({ startupCacheMisses: 1, startupCacheHits: 0 });
    expect(supernode.status().counters['startupCacheWarmed'] ?? 0).toBe(0);
    await supernode.close();
  });

  it('refuses a registration with a timeout error under all-shards when one store cannot be reached, and admits it under owner-shard', async () => {
    network = await startLocalNetwork();
    const net = network;
    const unreachable = `127.0.0.1:${await freeLoopbackPort()}`;
    const shardAddresses = [net.offlineAddress, unreachable];
    const allShards = await net.startSupernode('sn-all', { startupCache: { fanOut: 'all-shards', queryTimeoutMs: 300, shardAddresses } });
    const ownerShard = await net.startSupernode('sn-owner', { startupCache: { fanOut: 'owner-shard', queryTimeoutMs: 300, shardAddresses } });
    await waitFor(() => allShards.state === 'serving' && ownerShard.state === 'serving', 2_000, 'serving');
    expect(await registerOnce(allShards.port, 'u1')).toMatchObject({ type: 'error', code: 'timeout' });
    expect(allShards.status().counters).toMatchObject({ startupCacheMisses: 1, startupQueriesSent: 2, startupFanOutsFailed: 1, registrationsRejected: 1, registrations: 0 });
    expect(allShards.status().gauges['startupCacheEntries']).toBe(0);
    expect(await registerOnce(ownerShard.port, 'u1')).toMatchObject({ type: 'registered' });
    expect(ownerShard.status().counters).toMatchObject({ startupCacheMisses: 1, startupQueriesSent: 1, startupFanOutsFailed: 0, registrations: 1 });
  });
});
