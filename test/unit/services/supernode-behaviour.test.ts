import { afterEach, describe, expect, it } from 'vitest';
import { authToken, supernodeSubject } from '../../../services/protocol/auth-token.js';
import { RawSocket } from './raw-socket.js';
import { secret, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

const register = (userId: string) => ({ v: 1, type: 'register', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function flood(socket: RawSocket, frames: number, everyMs: number): Promise<void> {
  for (let i = 0; i < frames; i += 1) {
    socket.send({ v: 1, type: 'heartbeat', seq: i });
    await sleep(everyMs);
  }
}

describe('supernode capacity and self-protection', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  it('answers busy over session capacity and not-ready during its rejoin delay; both cost a request', async () => {
    network = await startLocalNetwork();
    const supernode = await network.startSupernode('sn-a', { capacity: { sessions: 2, requestsPerSecond: 1_000 }, rejoinDelayMs: 300 });
    const early = await RawSocket.open(supernode.port);
    early.send(register('u1'));
    expect(await early.next()).toMatchObject({ type: 'error', code: 'not-ready' });
    await waitFor(() => supernode.state === 'serving', 2_000, 'serving');
    const sockets = await Promise.all(['u1', 'u2', 'u3'].map(() => RawSocket.open(supernode.port)));
    for (const [i, socket] of sockets.slice(0, 2).entries()) {
      socket.send(register(`u${i + 1}`));
      expect(await socket.next()).toMatchObject({ type: 'registered', supernode: 'sn-a' });
    }
    sockets[2]?.send(register('u3'));
    expect(await sockets[2]?.next()).toMatchObject({ type: 'error', code: 'busy' });
    await waitFor(() => sockets[2]?.closed !== undefined, 1_000, 'busy socket closed');
    const status = supernode.status();
    expect(status.counters['registrationsRejected']).toBe(2);
    expect(status.counters['requests']).toBe(4);
    expect(status.gauges['sessions']).toBe(2);
    expect(status.gauges['load']).toBe(1);
    for (const socket of [early, ...sockets]) socket.close();
  });

  it('survives overload shorter than the grace period, and exits 75 when it lasts the grace period', async () => {
    network = await startLocalNetwork();
    const net = network;
    const supernode = await net.startSupernode('sn-a', {
      capacity: { sessions: 10, requestsPerSecond: 40 },
      overloadThreshold: 1,
      overloadGraceMs: 1_200,
      loadCheckMs: 20,
    });
    await waitFor(() => supernode.state === 'serving', 1_000, 'serving');
    const socket = await RawSocket.open(supernode.port);
    // ~300 ms at ~200 frames/s: the 1 s rate window stays above 40/s for about 0.9 s, less than the grace.
    await flood(socket, 60, 5);
    await sleep(1_300);
    expect(net.exits.exits).toEqual([]);
    expect(supernode.state).toBe('serving');
    await flood(socket, 400, 5); // about 2 s over the threshold
    await waitFor(() => net.exits.exits.length > 0, 2_000, 'self-protection exit');
    expect(net.exits.exits[0]?.code).toBe(75);
    expect(net.exits.exits[0]?.reason).toMatch(/self-protection: load above 1 for/);
    expect(supernode.status()).toMatchObject({ state: 'shutting-down', ready: false, counters: { selfProtectShutdowns: 1 } });
    await waitFor(() => socket.closed !== undefined, 1_000, 'sockets closed with a reason');
    expect(socket.closed?.reason).toMatch(/self-protection/);
  });
  it('with refuse-while-overloaded admission, turns new sessions away while over its rate and admits them again once calm', async () => {
    network = await startLocalNetwork();
    const supernode = await network.startSupernode('sn-a', {
      // 60 frames at 5 ms: over 10/s in the last second even if a busy host stretches the flood to 3 s.
      capacity: { sessions: 100, requestsPerSecond: 10 },
      overloadGraceMs: 60_000,
      admission: 'refuse-while-overloaded',
      loadCheckMs: 20,
    });
    await waitFor(() => supernode.state === 'serving', 1_000, 'serving');
    const noisy = await RawSocket.open(supernode.port);
    noisy.send(register('noisy'));
    expect(await noisy.next()).toMatchObject({ type: 'registered' });
    await flood(noisy, 60, 5);
    expect(supernode.status().gauges['load']).toBeGreaterThan(1);
    const turnedAway = await RawSocket.open(supernode.port);
    turnedAway.send(register('late'));
    expect(await turnedAway.next()).toMatchObject({ type: 'error', code: 'busy', message: expect.stringMatching(/overloaded/) });
    expect(supernode.status().counters['registrationsRefusedOverloaded']).toBe(1);
    // Calm enough that the new connection and its register frame (two requests of the 10/s) keep it at or under 1.
    await waitFor(() => (supernode.status().gauges['load'] ?? 2) <= 0.5, 3_000, 'rate window calm again');
    const admitted = await RawSocket.open(supernode.port);
    admitted.send(register('late'));
    expect(await admitted.next()).toMatchObject({ type: 'registered' });
    for (const socket of [noisy, turnedAway, admitted]) socket.close();
  });
  it('counts a client connection and its frames as offered load, but nothing another supernode sends on an overlay link', async () => {
    network = await startLocalNetwork();
    const supernode = await network.startSupernode('sn-a', { capacity: { sessions: 100, requestsPerSecond: 1_000 } });
    await waitFor(() => supernode.state === 'serving', 1_000, 'serving');
    const peers = await Promise.all(Array.from({ length: 10 }, () => RawSocket.open(supernode.port)));
    for (const [i, socket] of peers.entries()) {
      const name = `sn-peer-${i}`;
      socket.send({ v: 1, type: 'overlay-hello', name, token: authToken(secret, supernodeSubject(name)) });
      expect(await socket.next()).toMatchObject({ type: 'overlay-welcome' });
      socket.send({ v: 1, type: 'overlay-lookup', requestId: `r${i}`, userId: 'u999' });
      expect(await socket.next()).toMatchObject({ type: 'overlay-lookup-result', found: false });
    }
    expect(supernode.status().gauges['requestRate']).toBe(0);
    const client = await RawSocket.open(supernode.port);
    client.send(register('u1'));
    expect(await client.next()).toMatchObject({ type: 'registered' });
    // The connection attempt and its register frame.
    expect(supernode.status().gauges['requestRate']).toBe(2);
    for (const socket of [...peers, client]) socket.close();
  });
});

describe('peer supernodes run client code', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  const embedded = (net: LocalNetwork, userId: string, clientVersion: string, vulnerable: boolean) => ({
    secret,
    loginAddress: net.loginAddress,
    offlineMessagesAddress: net.offlineAddress,
    userId,
    clientVersion,
    vulnerable,
    delayedReplyThresholdMs: 100,
    heartbeatIntervalMs: 200,
    offlinePollIntervalMs: 200,
  });

  it('exits 70 when its vulnerable buggy client gets a delayed offline-messages reply; others and dedicated ones survive', async () => {
    network = await startLocalNetwork({ offline: { serviceTimeMs: 250, workers: 50 } });
    const net = network;
    await net.startSupernode('sn-dedicated');
    await net.startSupernode('sn-peer-safe', { mode: 'peer', client: embedded(net, 'p1', '5.0.0.152', false) });
    await net.startSupernode('sn-peer-other', { mode: 'peer', client: embedded(net, 'p2', '5.0.0.156', true) });
    const victim = await net.startSupernode('sn-peer-buggy', { mode: 'peer', client: embedded(net, 'p3', '5.0.0.152', true) });
    await waitFor(() => net.exits.exits.length > 0, 3_000, 'the buggy peer to crash');
    expect(net.exits.exits[0]).toMatchObject({ code: 70 });
    expect(net.exits.exits[0]?.reason).toMatch(/client crash: offline-messages reply after \d+ ms \(threshold 100 ms\)/);
    expect(victim.status()).toMatchObject({ mode: 'peer', clientVersion: '5.0.0.152' });
    await sleep(800);
    expect(net.exits.exits).toHaveLength(1);
    expect(net.supernodes.get('sn-dedicated')?.status().clientVersion).toBeUndefined();
  });

  it('a standby peer is promoted by login when supernodes are short, then serves', async () => {
    network = await startLocalNetwork({ login: { wantedSupernodes: 2, promotionCheckMs: 50 } });
    const net = network;
    await net.startSupernode('sn-a');
    const standby = await net.startSupernode('sn-p', { mode: 'peer', standby: true, rejoinDelayMs: 100, client: embedded(net, 'p9', '5.0.0.156', false) });
    expect(standby.status()).toMatchObject({ state: 'standby', ready: false });
    await waitFor(() => standby.state === 'serving', 3_000, 'promotion');
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 2, 2_000, 'login to hand out the promoted peer');
    expect(net.login.status().counters['promotions']).toBe(1);
  });
});
