import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket, WebSocketServer } from 'ws';
import { authToken } from '../../../services/protocol/auth-token.js';
import { closeWs, listenWs, listeningPort } from '../../../services/common/ws-server.js';
import { startLoginService, type RunningLogin } from '../../../services/login/login-service.js';
import type { RunningSupernode } from '../../../services/supernode/supernode-service.js';
import type { SupernodeConfigInput } from '../../../services/supernode/supernode-config.js';
import { RawSocket } from './raw-socket.js';
import { ExitRecorder, secret, serviceEnv, startLoneSupernode, waitFor } from './local-network.js';
import { freeLoopbackPort } from '../../../harness/platform/free-port.js';

const register = (userId: string) => ({ v: 1, type: 'register', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const leaseExpiries = (supernode: RunningSupernode) => supernode.status().counters['leaseExpiries'];

/** A stand-in for login that answers every `sn-register` at once, and every `sn-heartbeat` while told to. */
async function startScriptedLogin(): Promise<{ server: WebSocketServer; address: string; registers: WebSocket[]; heartbeats: WebSocket[]; answerHeartbeats: { on: boolean } }> {
  const registers: WebSocket[] = [];
  const heartbeats: WebSocket[] = [];
  const answerHeartbeats = { on: true };
  const server = await listenWs('127.0.0.1', 0, (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; attempt?: number };
      if (frame.type === 'sn-register') {
        registers.push(socket);
        socket.send(JSON.stringify({ v: 1, type: 'sn-registered', peers: [], attempt: frame.attempt }));
      } else if (frame.type === 'sn-heartbeat') {
        heartbeats.push(socket);
        if (answerHeartbeats.on) socket.send(JSON.stringify({ v: 1, type: 'sn-peers', peers: [] }));
      }
    });
  });
  return { server, address: `127.0.0.1:${listeningPort(server)}`, registers, heartbeats, answerHeartbeats };
}

describe('a supernode’s lease on its membership with login', () => {
  const started: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of started.splice(0).reverse()) await item.close();
  });

  async function startLogin(port: number): Promise<RunningLogin> {
    const login = await startLoginService(serviceEnv('login', 'login', port, { secret, heartbeatTimeoutMs: 1_500 }), new ExitRecorder());
    started.push(login);
    return login;
  }

  async function stopLogin(login: RunningLogin): Promise<void> {
    started.splice(started.indexOf(login), 1);
    await login.close();
  }

  async function startSupernode(name: string, loginAddress: string, overrides: Partial<SupernodeConfigInput>): Promise<RunningSupernode> {
    const supernode = await startLoneSupernode(name, loginAddress, { loginHeartbeatMs: 50, ...overrides });
    started.push(supernode);
    return supernode;
  }

  async function clientOf(supernode: RunningSupernode, userId: string): Promise<RawSocket> {
    const client = await RawSocket.open(supernode.port);
    started.push({ close: async () => client.close() });
    client.send(register(userId));
    expect(await client.next()).toMatchObject({ type: 'registered' });
    return client;
  }

  it('goes out of service about a lease after login stops, sends its clients elsewhere, and serves again once a login at the same address answers its registration', async () => {
    const loginPort = await freeLoopbackPort();
    const loginAddress = `127.0.0.1:${loginPort}`;
    const login = await startLogin(loginPort);
    const supernode = await startSupernode('sn-a', loginAddress, { loginLeaseMs: 300 });
    await waitFor(() => login.status().gauges['liveSupernodes'] === 1 && supernode.state === 'serving', 2_000, 'sn-a registered and serving');
    const client = await clientOf(supernode, 'u1');

    await stopLogin(login);
    await waitFor(() => leaseExpiries(supernode) === 1, 2_000, 'the lease expiring');
    expect(supernode.status()).toMatchObject({ state: 'joining', ready: false, counters: { registrationTimeouts: 0, heartbeatTimeouts: 0 } });
    await waitFor(() => client.closed !== undefined, 1_000, 'the client sent elsewhere');
    expect(client.closed).toMatchObject({ code: 1013, reason: 'supernode out of service: no answer from login for 300 ms' });

    const back = await startLogin(loginPort);
    // Login counts it live once a heartbeat after its registration says it serves.
    await waitFor(() => supernode.state === 'serving' && back.status().gauges['liveSupernodes'] === 1, 3_000, 'serving again once login answers, and live at login');
    await clientOf(supernode, 'u2');
    expect(leaseExpiries(supernode)).toBe(1);
  });

  it('without loginLeaseMs keeps serving while login is down, as before', async () => {
    const loginPort = await freeLoopbackPort();
    const loginAddress = `127.0.0.1:${loginPort}`;
    const login = await startLogin(loginPort);
    const leased = await startSupernode('sn-a', loginAddress, { loginLeaseMs: 300 });
    const unleased = await startSupernode('sn-b', loginAddress, {});
    await waitFor(() => login.status().gauges['liveSupernodes'] === 2, 2_000, 'both registered');
    const client = await clientOf(unleased, 'u1');

    await stopLogin(login);
    await waitFor(() => leaseExpiries(leased) === 1, 2_000, 'the leased supernode’s lease expiring');
    // A few more leases, and the login link's redials failing meanwhile.
    await sleep(1_000);
    expect(unleased.status()).toMatchObject({ state: 'serving', ready: true, counters: { leaseExpiries: 0 } });
    expect(client.closed).toBeUndefined();
  });

  it('renews the lease with every heartbeat answer, and lets it expire (registering again on the open link) when heartbeats go unanswered', async () => {
    const fake = await startScriptedLogin();
    started.push({ close: () => closeWs(fake.server, 'test over') });
    const supernode = await startSupernode('sn-a', fake.address, { loginLeaseMs: 300 });
    // Forty heartbeats answered: over six leases after the one registration.
    await waitFor(() => fake.heartbeats.length >= 40, 4_000, 'forty heartbeats');
    expect(fake.registers).toHaveLength(1);
    expect(supernode.status()).toMatchObject({ state: 'serving', counters: { leaseExpiries: 0 } });

    fake.answerHeartbeats.on = false;
    await waitFor(() => leaseExpiries(supernode) === 1, 2_000, 'the lease expiring without heartbeat answers');
    fake.answerHeartbeats.on = true;
    await waitFor(() => fake.registers.length === 2 && supernode.state === 'serving', 2_000, 'registered again on the same link');
    expect(new Set(fake.registers).size).toBe(1);
    const beats = fake.heartbeats.length;
    await waitFor(() => fake.heartbeats.length >= beats + 20, 3_000, 'twenty more heartbeats');
    expect(supernode.status()).toMatchObject({ state: 'serving', counters: { leaseExpiries: 1 } });
  });

  it('runs the lease from the start: one that never reaches login goes out of service, and one still in its rejoin delay stays joining', async () => {
    const nowhere = `127.0.0.1:${await freeLoopbackPort()}`;
    const startedAt = Date.now();
    const quick = await startSupernode('sn-a', nowhere, { loginLeaseMs: 200 });
    const slow = await startSupernode('sn-b', nowhere, { loginLeaseMs: 200, rejoinDelayMs: 500 });
    await waitFor(() => leaseExpiries(quick) === 1 && leaseExpiries(slow) === 1, 2_000, 'both leases expiring');
    expect(quick.status()).toMatchObject({ state: 'joining', ready: false });
    await sleep(Math.max(0, startedAt + 800 - Date.now()));
    expect(slow.status()).toMatchObject({ state: 'joining', ready: false, counters: { leaseExpiries: 1 } });
    expect(leaseExpiries(quick)).toBe(1);
  });
});
