import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket, WebSocketServer } from 'ws';
import { authToken } from '../../../services/protocol/auth-token.js';
import { closeWs, listenWs, listeningPort } from '../../../services/common/ws-server.js';
import type { RunningSupernode } from '../../../services/supernode/supernode-service.js';
import { RawSocket } from './raw-socket.js';
import { secret, startLoneSupernode, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

const login = (userId: string) => ({ v: 1, type: 'login', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' });
const register = (userId: string) => ({ v: 1, type: 'register', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RegisterSeen {
  readonly attempt: number | undefined;
  readonly socket: WebSocket;
}

/** A stand-in for login that records every `sn-register` and answers only when the test says so. */
async function startSilentLogin(): Promise<{ server: WebSocketServer; address: string; registers: RegisterSeen[] }> {
  const registers: RegisterSeen[] = [];
  const server = await listenWs('127.0.0.1', 0, (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; attempt?: number };
      if (frame.type === 'sn-register') registers.push({ attempt: frame.attempt, socket });
    });
  });
  return { server, address: `127.0.0.1:${listeningPort(server)}`, registers };
}

const answer = (seen: RegisterSeen | undefined) => seen?.socket.send(JSON.stringify({ v: 1, type: 'sn-registered', peers: [], attempt: seen.attempt }));

describe('login with a directory capacity', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  it('queues requests beyond its rate, refuses them beyond its queue with a busy frame, and reports its queue and answer latency', async () => {
    network = await startLocalNetwork({ login: { directory: { capacity: 20, queueLimit: 5 } } });
    const net = network;
    const socket = await RawSocket.open(net.login.port);
    for (let i = 0; i < 10; i += 1) socket.send(login(`u${i}`));
    await waitFor(() => (net.login.status().counters['requestsRefused'] ?? 0) === 4, 2_000, 'four requests refused');
    expect(net.login.status().gauges['queueDepth']).toBeGreaterThan(0);
    const refusal = await socket.next((reply) => reply['type'] === 'error');
    expect(refusal).toMatchObject({ code: 'busy', message: expect.stringMatching(/login is over capacity: \d+ requests already waiting; try again later/) });
    await waitFor(() => socket.replies.filter((reply) => reply['type'] === 'login-ok').length === 6, 2_000, 'six answers');
    expect(net.login.status().gauges['queueDepth']).toBe(0);
    // Six answers 50 ms apart, the last 300 ms after it arrived.
    await waitFor(() => (net.login.status().gauges['answerLatencyP99Seconds'] ?? 0) >= 0.25, 2_500, 'answer latency p99 reported');
    socket.close();
  });

  it('answers at once, as before, without a capacity', async () => {
    network = await startLocalNetwork();
    const socket = await RawSocket.open(network.login.port);
    for (let i = 0; i < 50; i += 1) socket.send(login(`u${i}`));
    await waitFor(() => socket.replies.length === 50, 2_000, 'fifty answers');
    expect(socket.replies.every((reply) => reply['type'] === 'login-ok')).toBe(true);
    expect(network.login.status()).toMatchObject({ counters: { requestsRefused: 0 }, gauges: { queueDepth: 0, answerLatencyP99Seconds: 0 } });
    socket.close();
  });

  it('keeps supernodes without a registration timeout serving however late their answers, and takes one with a timeout out of service when its answer is longer', async () => {
    // Every answer costs 250 ms per supernode it names: a registration that names two peers takes 500 ms.
    network = await startLocalNetwork({ login: { heartbeatTimeoutMs: 10_000, directory: { capacity: 1_000, answerCostMsPerSupernode: 250 } } });
    const net = network;
    const patient = await Promise.all(['sn-a', 'sn-b'].map((name) => net.startSupernode(name, { loginHeartbeatMs: 3_000 })));
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 2, 3_000, 'both patient supernodes handed out');
    const hasty = await net.startSupernode('sn-c', { loginHeartbeatMs: 3_000, registrationTimeoutMs: 300, registrationRetryMs: 400 });
    await waitFor(() => (hasty.status().counters['registrationTimeouts'] ?? 0) >= 2, 4_000, 'sn-c timing out again and again');
    expect(hasty.status()).toMatchObject({ state: 'joining', ready: false, gauges: { serving: 0 } });
    const patientLater = await net.startSupernode('sn-d', { loginHeartbeatMs: 3_000, registrationTimeoutMs: 2_000 });
    await sleep(1_200);
    expect(patientLater.state).toBe('serving');
    expect(patientLater.status().counters['registrationTimeouts']).toBe(0);
    for (const supernode of patient) expect(supernode.state).toBe('serving');
  });
});

describe('a supernode with a registration timeout', () => {
  const started: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of started.splice(0).reverse()) await item.close();
  });

  async function startWith(loginAddress: string, overrides: Record<string, unknown>): Promise<RunningSupernode> {
    const supernode = await startLoneSupernode('sn-a', loginAddress, { loginHeartbeatMs: 100, ...overrides });
    started.push(supernode);
    return supernode;
  }

  it('goes out of service when login answers late, sends its clients elsewhere, ignores the late answer, and serves again once a retry is answered in time', async () => {
    const fake = await startSilentLogin();
    started.push({ close: () => closeWs(fake.server, 'test over') });
    const supernode = await startWith(fake.address, { registrationTimeoutMs: 300, registrationRetryMs: 200 });
    await waitFor(() => supernode.state === 'serving', 1_000, 'serving before the deadline');
    const client = await RawSocket.open(supernode.port);
    client.send(register('u1'));
    expect(await client.next()).toMatchObject({ type: 'registered' });
    await waitFor(() => supernode.status().counters['registrationTimeouts'] === 1, 1_000, 'the first registration timing out');
    expect(supernode.status()).toMatchObject({ state: 'joining', ready: false });
    await waitFor(() => client.closed !== undefined, 1_000, 'the client sent elsewhere');
    expect(client.closed).toMatchObject({ code: 1013, reason: expect.stringMatching(/out of service: login did not answer registration 1 within 300 ms/) });
    const turnedAway = await RawSocket.open(supernode.port);
    turnedAway.send(register('u2'));
    expect(await turnedAway.next()).toMatchObject({ type: 'error', code: 'not-ready' });

    answer(fake.registers[0]);
    await sleep(50);
    expect(supernode.state).toBe('joining');
    // No second registration goes before the jittered retry delay (100-300 ms) is over.
    expect(fake.registers).toHaveLength(1);
    await waitFor(() => fake.registers.length === 2, 1_000, 'the retry');
    expect(fake.registers[1]?.attempt).toBe(2);
    answer(fake.registers[1]);
    await waitFor(() => supernode.state === 'serving', 1_000, 'serving again');
    expect(supernode.status().counters['registrationTimeouts']).toBe(1);
  });

  it('counts a refusal from login as a failed registration and retries it', async () => {
    const fake = await startSilentLogin();
    started.push({ close: () => closeWs(fake.server, 'test over') });
    const supernode = await startWith(fake.address, { registrationTimeoutMs: 1_000, registrationRetryMs: 200 });
    await waitFor(() => fake.registers.length === 1, 1_000, 'the first registration');
    const first = fake.registers[0];
    first?.socket.send(JSON.stringify({ v: 1, type: 'error', code: 'busy', message: 'login is over capacity', requestId: `sn-register-${String(first.attempt)}` }));
    await waitFor(() => supernode.status().counters['registrationRefusals'] === 1, 1_000, 'the refusal counted');
    expect(supernode.state).toBe('joining');
    await waitFor(() => fake.registers.length === 2, 1_000, 'the retry');
    answer(fake.registers[1]);
    await waitFor(() => supernode.state === 'serving', 1_000, 'serving');
  });

  it('without a timeout, keeps serving and asking login every heartbeat, as before', async () => {
    const fake = await startSilentLogin();
    started.push({ close: () => closeWs(fake.server, 'test over') });
    const supernode = await startWith(fake.address, {});
    await waitFor(() => fake.registers.length >= 4, 2_000, 'registrations every heartbeat');
    expect(fake.registers.every((seen) => seen.attempt === undefined)).toBe(true);
    expect(supernode.state).toBe('serving');
  });
});
