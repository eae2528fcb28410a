import { afterEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../../services/common/seeded-random.js';
import { SupernodeDirectory, type DirectoryTuning } from '../../../services/login/supernode-directory.js';
import { authToken } from '../../../services/protocol/auth-token.js';
import { RawSocket } from './raw-socket.js';
import { secret, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

const tuning: DirectoryTuning = { heartbeatTimeoutMs: 1_000, rejoinDelayMs: 0, wantedSupernodes: 0, promotionPendingMs: 1_000 };

function directoryWith(allocation: DirectoryTuning['allocation'], supernodes: readonly { name: string; capacity: number; sessions: number }[]): SupernodeDirectory {
  const directory = new SupernodeDirectory({ ...tuning, ...(allocation === undefined ? {} : { allocation }) });
  for (const { name, capacity, sessions } of supernodes) {
    directory.register({ name, clientAddress: `${name}:1`, overlayAddress: `${name}:2`, mode: 'dedicated', state: 'serving', capacitySessions: capacity }, 0);
    directory.heartbeat(name, { load: sessions / capacity, sessions, state: 'serving' }, 0);
  }
  return directory;
}

const names = (entries: readonly { name: string }[]) => entries.map((entry) => entry.name);
const fleetOf = [
  { name: 'sn-full', capacity: 100, sessions: 99 },
  { name: 'sn-big', capacity: 1_000, sessions: 400 },
  { name: 'sn-small', capacity: 60, sessions: 0 },
  { name: 'sn-half', capacity: 100, sessions: 50 },
];

describe("login's allocation of supernodes", () => {
  it('least-loaded: the most free session slots first, whatever the draw', () => {
    for (const seed of [1, 2, 3]) {
      expect(names(directoryWith('least-loaded', fleetOf).hostCache(createRandom(seed), 8, 10))).toEqual(['sn-big', 'sn-small', 'sn-half', 'sn-full']);
    }
    expect(names(directoryWith('least-loaded', fleetOf).hostCache(createRandom(1), 2, 10))).toEqual(['sn-big', 'sn-small']);
  });

  it('random (the default): the same seeded shuffle as before, load or not', () => {
    const seeded = (allocation: DirectoryTuning['allocation']) => names(directoryWith(allocation, fleetOf).hostCache(createRandom(5), 8, 10));
    const unloaded = names(directoryWith(undefined, fleetOf.map((node) => ({ ...node, sessions: 0 }))).hostCache(createRandom(5), 8, 10));
    expect(seeded(undefined)).toEqual(unloaded);
    expect(seeded('random')).toEqual(unloaded);
  });

  it('least-loaded keeps handing the same first choice until a heartbeat says otherwise (it does not count its own hand-outs)', () => {
    const directory = directoryWith('least-loaded', fleetOf);
    const first = Array.from({ length: 5 }, (_, i) => directory.hostCache(createRandom(i), 1, 10)[0]?.name);
    expect(first).toEqual(Array(5).fill('sn-big'));
    directory.heartbeat('sn-big', { load: 0.99, sessions: 990, state: 'serving' }, 20);
    expect(names(directory.hostCache(createRandom(1), 1, 30))).toEqual(['sn-small']);
  });
});

describe('login with least-loaded allocation', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  it('hands a client the supernode with the most free sessions first, from the sessions and capacity the supernodes report', async () => {
    network = await startLocalNetwork({ login: { allocation: 'least-loaded', hostCacheSize: 2 } });
    const net = network;
    const big = await net.startSupernode('sn-big', { capacity: { sessions: 100, requestsPerSecond: 10_000 } });
    await net.startSupernode('sn-small', { capacity: { sessions: 10, requestsPerSecond: 10_000 } });
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 2, 3_000, 'both supernodes handed out');
    const sessions = await Promise.all(['u1', 'u2', 'u3'].map(() => RawSocket.open(big.port)));
    for (const [i, socket] of sessions.entries()) {
      const userId = `u${i + 1}`;
      socket.send({ v: 1, type: 'register', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' });
      expect(await socket.next()).toMatchObject({ type: 'registered' });
    }
    // sn-big has 97 free slots and sn-small 10: sn-big first, in every login.
    const client = await RawSocket.open(net.login.port);
    for (let i = 0; i < 5; i += 1) {
      client.send({ v: 1, type: 'login', userId: `c${i}`, token: authToken(secret, `c${i}`), clientVersion: '5.0.0.156' });
      expect(await client.next()).toMatchObject({ type: 'login-ok', hostCache: [{ name: 'sn-big' }, { name: 'sn-small' }] });
    }
    for (const socket of [client, ...sessions]) socket.close();
  });
});
