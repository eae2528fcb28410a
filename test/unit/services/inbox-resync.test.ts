import { afterEach, describe, expect, it } from 'vitest';
import { clientFleetConfigSchema } from '../../../services/client-fleet/client-fleet-config.js';
import type { ClientCounterName } from '../../../services/client-fleet/client-context.js';
import type { InboxErrorPolicy } from '../../../services/client-fleet/client-settings.js';
import { InboxResync } from '../../../services/client-fleet/inbox-resync.js';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { authToken } from '../../../services/protocol/auth-token.js';
import type { OfflineToClient } from '../../../services/protocol/frames.js';
import { RawSocket } from './raw-socket.js';
import { secret, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const page = (requestId: string, messageIds: string[]): OfflineToClient => ({
  v: 1,
  type: 'messages',
  requestId,
  items: messageIds.map((messageId) => ({ messageId, from: 'u9', body: 'hi' })),
  more: false,
});
const busy = (requestId: string): OfflineToClient => ({ v: 1, type: 'error', code: 'busy', message: 'over capacity', requestId });

/** An inbox re-sync under `policy`, the answers its queries get in turn, and what it counted. */
function resyncWith(policy: InboxErrorPolicy, answers: readonly OfflineToClient[]) {
  const counted: ClientCounterName[] = [];
  const resync = new InboxResync(policy, { inc: (name) => counted.push(name) });
  let asked = 0;
  const query = async (): Promise<OfflineToClient | undefined> => {
    const answer = answers[asked % answers.length];
    asked += 1;
    return answer;
  };
  return { resync, query, counted, asked: () => asked };
}

describe('an inbox after an error answer', () => {
  it('waits for the next poll under `wait`: it stays valid and is never re-read in full', async () => {
    const { resync, query, counted, asked } = resyncWith({ policy: 'wait' }, [page('f1', [])]);
    expect(resync.errorAnswered()).toBe(false);
    expect(resync.needed).toBe(false);
    expect(await resync.readInFull(query)).toBeUndefined();
    expect([asked(), counted]).toEqual([0, []]);
  });

  it('is invalid under `full-resync` and re-read in as many queries as set, valid again only when every one is answered', async () => {
    const failing = resyncWith({ policy: 'full-resync', resyncQueries: 4 }, [page('f1', ['m1']), busy('f2')]);
    expect(failing.resync.errorAnswered()).toBe(true);
    expect(failing.resync.needed).toBe(true);
    expect(await failing.resync.readInFull(failing.query)).toBeUndefined();
    expect(failing.asked()).toBe(4);
    expect(failing.resync.needed).toBe(true);

    const answered = resyncWith({ policy: 'full-resync', resyncQueries: 3 }, [page('f1', ['m1', 'm2']), page('f2', ['m1', 'm2', 'm3'])]);
    answered.resync.errorAnswered();
    // Every query read the same inbox: the first answer stands for all, so no message is delivered twice.
    expect(await answered.resync.readInFull(answered.query)).toEqual(page('f1', ['m1', 'm2']));
    expect([answered.asked(), answered.resync.needed, answered.counted]).toEqual([3, false, ['inboxResyncs']]);
  });

  it('is valid again in a new life', () => {
    const { resync } = resyncWith({ policy: 'full-resync', resyncQueries: 2 }, [busy('f1')]);
    resync.errorAnswered();
    resync.reset();
    expect(resync.needed).toBe(false);
  });

  it('is `wait` unless the client is told otherwise; a re-sync of no query or of more than 100 is refused', () => {
    const fleet = { secret, loginAddress: '127.0.0.1:1', offlineMessagesAddress: '127.0.0.1:2', seed: 1, users: { first: 0, count: 1 }, versionMix: { a: 1 }, restartDelay: { kind: 'fixed', ms: 1 } };
    expect(parseRoleConfig('client-fleet', clientFleetConfigSchema, fleet).inboxErrors).toEqual({ policy: 'wait' });
    for (const resyncQueries of [0, 101, 2.5]) {
      expect(() => parseRoleConfig('client-fleet', clientFleetConfigSchema, { ...fleet, inboxErrors: { policy: 'full-resync', resyncQueries } })).toThrow(/inboxErrors\.resyncQueries/);
    }
  });
});

describe('a fleet polling an offline store of finite query capacity, after a trigger held it over capacity', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  const users = 20;

  /**
   * 20 clients poll once a second (20 queries a second) a store that answers 60. The trigger, queries
   * from elsewhere at 100 a second for two seconds, holds it over its capacity: the clients' polls
   * meet errors. 20 messages wait for the clients meanwhile. Returns the store's refusals and the
   * fleet's re-syncs over two seconds that start two seconds after the trigger ended.
   */
  async function afterTrigger(inboxErrors: InboxErrorPolicy) {
    network = await startLocalNetwork({ offline: { queryCapacity: 60 } });
    const net = network;
    await net.startSupernode('sn-a');
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 1, 2_000, 'supernode registered');
    const fleet = await net.startFleet('fleet-resync', { users: { first: 0, count: users }, offlinePollIntervalMs: 1_000, startSpreadMs: 0, inboxErrors });
    await waitFor(() => fleet.status().gauges['clientsOnline'] === users, 3_000, 'clients online');
    const trigger = await RawSocket.open(net.offline.port);
    for (let i = 0; i < users; i += 1) trigger.send({ v: 1, type: 'store', requestId: `s${i}`, messageId: `m${i}`, from: 'u999', to: `u${i}`, body: 'hi' });
    for (let tick = 0; tick < 20; tick += 1) {
      for (let i = 0; i < 10; i += 1) trigger.send({ v: 1, type: 'fetch', requestId: `t${tick}-${i}`, userId: 'u999', token: authToken(secret, 'u999') });
      await sleep(100);
    }
    trigger.close();
    await sleep(2_000);
    const refused = () => net.offline.status().counters['fetchesOverCapacity'] ?? 0;
    const resyncs = () => fleet.status().counters['inboxResyncs'] ?? 0;
    const [refusedBefore, resyncsBefore] = [refused(), resyncs()];
    await sleep(2_000);
    const gauges = fleet.status().gauges;
    return {
      fleet,
      refusedLater: refused() - refusedBefore,
      resyncsLater: resyncs() - resyncsBefore,
      failedFetches: fleet.status().counters['offlineFetchFailures'] ?? 0,
      online: gauges['clientsOnline'] ?? 0,
      resyncing: gauges['clientsResyncing'] ?? 0,
    };
  }

  it('recovers once the trigger ends when the clients wait for their next poll', async () => {
    const { fleet, refusedLater, resyncsLater, failedFetches, online, resyncing } = await afterTrigger({ policy: 'wait' });
    expect(failedFetches).toBeGreaterThan(0);
    expect([online, resyncing]).toEqual([users, 0]);
    expect([refusedLater, resyncsLater, fleet.status().counters['inboxResyncs']]).toEqual([0, 0, 0]);
    await waitFor(() => fleet.status().counters['imsReceived'] === users, 2_000, 'every message delivered');
  });

  it('recovers when the clients re-sync in few enough queries, delivering every message once', async () => {
    // All 20 invalid at once ask 2 x 20 = 40 queries a second, under the capacity.
    const { fleet, refusedLater, resyncsLater } = await afterTrigger({ policy: 'full-resync', resyncQueries: 2 });
    expect(fleet.status().counters['inboxResyncs']).toBeGreaterThan(0);
    expect([refusedLater, resyncsLater]).toEqual([0, 0]);
    await waitFor(() => fleet.status().counters['imsReceived'] === users, 2_000, 'every message delivered');
    expect(fleet.status().counters['imsDuplicate']).toBe(0);
  });

  it('keeps the store over its capacity after the trigger is gone when the clients re-sync in many queries; a re-syncing client is not online', async () => {
    const { refusedLater, resyncsLater, online, resyncing } = await afterTrigger({ policy: 'full-resync', resyncQueries: 20 });
    expect(refusedLater).toBeGreaterThan(0);
    expect(resyncsLater).toBeGreaterThan(0);
    // Logged in and holding a supernode, but showing no messages: each client counts once, as one or the other.
    expect(resyncing).toBeGreaterThan(0);
    expect(online + resyncing).toBe(users);
  });
});
