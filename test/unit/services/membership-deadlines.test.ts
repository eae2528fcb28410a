import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket, WebSocketServer } from 'ws';
import { authToken, supernodeSubject } from '../../../services/protocol/auth-token.js';
import { closeWs, listenWs, listeningPort } from '../../../services/common/ws-server.js';
import type { RunningSupernode } from '../../../services/supernode/supernode-service.js';
import type { SupernodeConfigInput } from '../../../services/supernode/supernode-config.js';
import { RawSocket } from './raw-socket.js';
import { secret, startLoneSupernode, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Seen {
  readonly number: number | undefined;
  readonly socket: WebSocket;
}

/**
 * A stand-in for login that records every `sn-register` and `sn-heartbeat`; it answers each at once
 * while its kind is `prompt`, and otherwise only when the test says so.
 */
async function startScriptedLogin() {
  const registers: Seen[] = [];
  const heartbeats: Seen[] = [];
  const prompt = { registers: false, heartbeats: false };
  const server: WebSocketServer = await listenWs('127.0.0.1', 0, (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; attempt?: number; seq?: number };
      if (frame.type === 'sn-register') {
        registers.push({ number: frame.attempt, socket });
        if (prompt.registers) answerRegister(registers.at(-1));
      } else if (frame.type === 'sn-heartbeat') {
        heartbeats.push({ number: frame.seq, socket });
        if (prompt.heartbeats) answerHeartbeat(heartbeats.at(-1));
      }
    });
  });
  return { server, address: `127.0.0.1:${listeningPort(server)}`, registers, heartbeats, prompt };
}

function answerRegister(seen: Seen | undefined): void {
  seen?.socket.send(JSON.stringify({ v: 1, type: 'sn-registered', peers: [], attempt: seen.number }));
}

function answerHeartbeat(seen: Seen | undefined, peers: readonly { name: string; overlayAddress: string }[] = []): void {
  seen?.socket.send(JSON.stringify({ v: 1, type: 'sn-peers', peers, seq: seen.number }));
}

describe('deadlines on a supernode’s membership with a scripted login', () => {
  const started: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of started.splice(0).reverse()) await item.close();
  });

  async function scriptedLogin() {
    const fake = await startScriptedLogin();
    started.push({ close: () => closeWs(fake.server, 'test over') });
    return fake;
  }

  async function startWith(loginAddress: string, overrides: Partial<SupernodeConfigInput>): Promise<RunningSupernode> {
    const supernode = await startLoneSupernode('sn-a', loginAddress, { loginHeartbeatMs: 50, ...overrides });
    started.push(supernode);
    return supernode;
  }

  it('with heartbeatDeadline, keeps one heartbeat waiting, goes out of service when it is late, ignores its late answer, and serves again after a retry', async () => {
    const fake = await scriptedLogin();
    fake.prompt.registers = true;
    const supernode = await startWith(fake.address, { registrationTimeoutMs: 200, registrationRetryMs: 400, heartbeatDeadline: true });
    await waitFor(() => fake.heartbeats.length === 1, 1_000, 'the first heartbeat');
    expect(fake.heartbeats[0]?.number).toBe(1);
    expect(supernode.state).toBe('serving');

    await waitFor(() => supernode.status().counters['heartbeatTimeouts'] === 1, 1_000, 'the heartbeat timing out');
    // Four heartbeat periods went by: none other went while the first waited.
    expect(fake.heartbeats).toHaveLength(1);
    expect(supernode.status()).toMatchObject({ state: 'joining', ready: false, counters: { registrationTimeouts: 0, registrationRefusals: 0 } });
    expect(fake.registers).toHaveLength(1);
    fake.prompt.heartbeats = true;

    // The retry waits 200-600 ms: the late answer comes before it.
    answerHeartbeat(fake.heartbeats[0], [{ name: 'sn-x', overlayAddress: '127.0.0.1:1' }]);
    await sleep(50);
    expect(supernode.status().gauges['overlayPeers']).toBe(0);
    expect(supernode.state).toBe('joining');

    await waitFor(() => fake.registers.length === 2, 1_000, 'the registration again after the retry delay');
    await waitFor(() => supernode.state === 'serving', 1_000, 'serving again');
    await waitFor(() => fake.heartbeats.length >= 4, 1_000, 'heartbeats answered in time');
    expect(fake.heartbeats.slice(1).map((seen) => seen.number)).toEqual(fake.heartbeats.slice(1).map((_, index) => index + 2));
    expect(supernode.status()).toMatchObject({ state: 'serving', counters: { heartbeatTimeouts: 1, registrationTimeouts: 0 } });
  });

  it('with heartbeatSlot, checks its membership on its turn, numbered and answered in time, and keeps serving', async () => {
    const fake = await scriptedLogin();
    fake.prompt.registers = true;
    fake.prompt.heartbeats = true;
    const supernode = await startWith(fake.address, { registrationTimeoutMs: 200, heartbeatDeadline: true, heartbeatSlot: { index: 1, of: 2 } });
    await waitFor(() => fake.heartbeats.length >= 5, 3_000, 'five heartbeats on its turns');
    expect(fake.heartbeats.slice(0, 5).map((seen) => seen.number)).toEqual([1, 2, 3, 4, 5]);
    expect(supernode.status()).toMatchObject({ state: 'serving', counters: { heartbeatTimeouts: 0, registrationTimeouts: 0 } });
  });

  it('without heartbeatDeadline, sends heartbeats without a number and keeps serving however late they are answered', async () => {
    const fake = await scriptedLogin();
    fake.prompt.registers = true;
    const supernode = await startWith(fake.address, { registrationTimeoutMs: 200 });
    await waitFor(() => fake.heartbeats.length >= 10, 2_000, 'ten heartbeats, none answered');
    expect(fake.heartbeats.every((seen) => seen.number === undefined)).toBe(true);
    expect(supernode.status()).toMatchObject({ state: 'serving', counters: { heartbeatTimeouts: 0, registrationTimeouts: 0 } });
  });

  it('with registrationDeadlineAtStart false, waits for the first registration however long it takes, but not for a later one', async () => {
    const fake = await scriptedLogin();
    const supernode = await startWith(fake.address, { registrationTimeoutMs: 80, registrationRetryMs: 100, registrationDeadlineAtStart: false });
    await waitFor(() => fake.registers.length === 1, 1_000, 'the first registration');
    await sleep(800);
    expect(fake.registers).toHaveLength(1);
    expect(supernode.status()).toMatchObject({ state: 'serving', counters: { registrationTimeouts: 0 } });
    answerRegister(fake.registers[0]);
    await sleep(50);

    fake.registers[0]?.socket.close();
    await waitFor(() => fake.registers.length === 2, 2_000, 'the registration on the new login link');
    expect(fake.registers[1]?.number).toBe(2);
    await waitFor(() => supernode.status().counters['registrationTimeouts'] === 1, 1_000, 'the later registration timing out');
    expect(supernode.status()).toMatchObject({ state: 'joining', ready: false });
  });
});

describe('heartbeat deadlines against login’s directory', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  it('echoes a heartbeat’s number in its answer, and answers a heartbeat without one as before', async () => {
    network = await startLocalNetwork();
    const socket = await RawSocket.open(network.login.port);
    const address = '127.0.0.1:1';
    const name = 'sn-raw';
    const capacity = { sessions: 10, requestsPerSecond: 10 };
    socket.send({ v: 1, type: 'sn-register', name, token: authToken(secret, supernodeSubject(name)), clientAddress: address, overlayAddress: address, mode: 'dedicated', capacity, state: 'serving' });
    expect(await socket.next()).toMatchObject({ type: 'sn-registered' });
    socket.send({ v: 1, type: 'sn-heartbeat', load: 0, sessions: 0, state: 'serving', seq: 7 });
    expect(await socket.next()).toEqual({ v: 1, type: 'sn-peers', peers: [], seq: 7 });
    socket.send({ v: 1, type: 'sn-heartbeat', load: 0, sessions: 0, state: 'serving' });
    expect(await socket.next()).toEqual({ v: 1, type: 'sn-peers', peers: [] });
    socket.close();
  });

  it('takes a supernode checking its membership out of service while the membership lists come back slowly, leaves one that does not serving, and serves again once they are fast', async () => {
    // Every answer costs 300 ms per supernode it names: two peers make 600 ms, ten times the 60 ms deadline.
    network = await startLocalNetwork({ login: { heartbeatTimeoutMs: 10_000, directory: { capacity: 1_000, answerCostMsPerSupernode: 300 } } });
    const net = network;
    for (const name of ['sn-a', 'sn-b']) await net.startSupernode(name, { loginHeartbeatMs: 3_000 });
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 2, 3_000, 'both patient supernodes handed out');
    // Both wait out their first registration, so both come into service with the same slow answers.
    const deadlines = { registrationTimeoutMs: 60, registrationRetryMs: 200, registrationDeadlineAtStart: false };
    const checking = await net.startSupernode('sn-c', { ...deadlines, loginHeartbeatMs: 100, heartbeatDeadline: true });
    const trusting = await net.startSupernode('sn-d', { ...deadlines, loginHeartbeatMs: 1_000 });
    await waitFor(() => (checking.status().counters['heartbeatTimeouts'] ?? 0) >= 1, 4_000, 'sn-c’s heartbeat timing out');
    expect(checking.status()).toMatchObject({ state: 'joining', ready: false });
    await waitFor(() => (trusting.status().gauges['overlayPeers'] ?? 0) >= 2, 3_000, 'sn-d registered');
    // Five deadlines more, its heartbeat's slow answer still on its way.
    await sleep(300);
    expect(trusting.status()).toMatchObject({ state: 'serving', counters: { heartbeatTimeouts: 0, registrationTimeouts: 0 } });

    for (const name of ['sn-a', 'sn-b', 'sn-d']) {
      await net.supernodes.get(name)?.close();
      net.supernodes.delete(name);
    }
    await waitFor(() => checking.state === 'serving', 4_000, 'sn-c serving again once the lists are empty and fast');
  });
});
