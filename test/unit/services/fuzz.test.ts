import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom, type Random } from '../../../services/common/seeded-random.js';
import { authToken } from '../../../services/protocol/auth-token.js';
import { RawSocket } from './raw-socket.js';
import { secret, startLocalNetwork, type LocalNetwork } from './local-network.js';

const frameTypes = [
  'register', 'heartbeat', 'lookup', 'send-im', 'im-ack', 'overlay-hello', 'overlay-lookup', 'overlay-deliver',
  'login', 'host-cache-request', 'sn-register', 'sn-heartbeat', 'peer-hello', 'error', 'im', 'promote', '', 'REGISTER', '__proto__',
];
const fieldNames = ['userId', 'token', 'clientVersion', 'seq', 'requestId', 'messageId', 'to', 'body', 'name', 'capacity', 'state', 'load', 'constructor', '__proto__'];

function randomValue(random: Random, depth = 0): unknown {
  switch (random.int(0, depth > 2 ? 5 : 7)) {
    case 0: return null;
    case 1: return random.chance(0.5);
    case 2: return random.pick([0, -1, 1.5, 2 ** 53, Number.MAX_VALUE, 1e300]);
    case 3: return 'x'.repeat(random.int(0, 80));
    case 4: return random.pick(['u1', 'sn-a', 'a b', '\u0000', '💥', '5.0.0.152', 'serving']);
    case 5: return random.int(0, 1e6);
    case 6: return Array.from({ length: random.int(0, 4) }, () => randomValue(random, depth + 1));
    default: return Object.fromEntries(Array.from({ length: random.int(0, 4) }, () => [random.pick(fieldNames), randomValue(random, depth + 1)]));
  }
}

function fuzzFrame(random: Random): string | Buffer {
  switch (random.int(0, 9)) {
    case 0: return Buffer.from(Array.from({ length: random.int(0, 300) }, () => random.int(0, 255)));
    case 1: return JSON.stringify(randomValue(random));
    case 2: return JSON.stringify({ v: random.pick([1, 2, '1', null]), type: random.pick(frameTypes) });
    case 3: {
      const frame: Record<string, unknown> = { v: 1, type: random.pick(frameTypes) };
      for (let i = random.int(0, 6); i > 0; i -= 1) frame[random.pick(fieldNames)] = randomValue(random);
      return JSON.stringify(frame);
    }
    case 4: {
      const text = JSON.stringify({ v: 1, type: 'lookup', requestId: 'r1', userId: 'u1' });
      return text.slice(0, random.int(0, text.length - 1));
    }
    case 5: return '['.repeat(random.int(1, 3_000)) + ']'.repeat(random.int(0, 3_000));
    case 6: return random.chance(0.1) ? 'x'.repeat(17 * 1024 + random.int(0, 4_000)) : 'y'.repeat(random.int(0, 15_000));
    case 7: return JSON.stringify({ v: 1, type: 'register', userId: `u${random.int(0, 9)}`, token: 'f'.repeat(32), clientVersion: '5.0.0.152' });
    case 8: return JSON.stringify({ v: 1, type: 'lookup', requestId: `r${random.int(0, 99)}`, userId: `u${random.int(0, 99)}` });
    default: return JSON.stringify({ v: 1, type: 'sn-heartbeat', load: random.next(), sessions: random.int(0, 10), state: 'serving' });
  }
}

/** Throws frames at a server from a few sockets, reopening any the server closes, until it has received `count`. */
async function throwFrames(port: number, count: number, seed: number, received: () => number): Promise<number> {
  const random = createRandom(seed);
  const sockets = await Promise.all(Array.from({ length: 4 }, () => RawSocket.open(port)));
  const target = received() + count;
  let reopened = 0;
  for (let i = 0; received() < target; i += 1) {
    const slot = i % sockets.length;
    let socket = sockets[slot] as RawSocket;
    if (socket.closed !== undefined || socket.socket.readyState !== socket.socket.OPEN) {
      socket.close();
      socket = await RawSocket.open(port);
      sockets[slot] = socket;
      reopened += 1;
    }
    socket.send(fuzzFrame(random));
    socket.replies.length = 0;
    if (i % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const socket of sockets) socket.close();
  return reopened;
}

describe('fuzzing over real WebSockets', () => {
  let network: LocalNetwork;
  beforeAll(async () => {
    network = await startLocalNetwork();
    await network.startSupernode('sn-fuzz', { capacity: { sessions: 100, requestsPerSecond: 1e9 } });
  });
  afterAll(async () => {
    await network.close();
  });

  it('a supernode survives 10,000 malformed frames while a well-behaved session keeps working', { timeout: 30_000 }, async () => {
    const supernode = network.supernodes.get('sn-fuzz');
    if (supernode === undefined) throw new Error('no supernode');
    const heapBefore = process.memoryUsage().heapUsed;
    const good = await RawSocket.open(supernode.port);
    good.send({ v: 1, type: 'register', userId: 'good', token: authToken(secret, 'good'), clientVersion: '5.0.0.156' });
    expect(await good.next()).toMatchObject({ type: 'registered' });
    let seq = 0;
    let acked = 0;
    const heartbeats = setInterval(() => {
      seq += 1;
      good.send({ v: 1, type: 'heartbeat', seq });
    }, 20);
    const counting = setInterval(() => {
      acked += good.replies.filter((reply) => reply['type'] === 'heartbeat-ack').length;
      good.replies.length = 0;
    }, 10);
    const reopened = await throwFrames(supernode.port, 10_000, 1, () => supernode.status().counters['requests'] ?? 0);
    clearInterval(heartbeats);
    await new Promise((resolve) => setTimeout(resolve, 200));
    clearInterval(counting);
    acked += good.replies.filter((reply) => reply['type'] === 'heartbeat-ack').length;
    good.replies.length = 0;

    expect(network.exits.exits).toEqual([]);
    expect(seq).toBeGreaterThan(5);
    expect(acked).toBe(seq);
    good.send({ v: 1, type: 'lookup', requestId: 'after', userId: 'good' });
    expect(await good.next((reply) => reply['type'] === 'lookup-result')).toMatchObject({ found: true, supernode: 'sn-fuzz' });
    const status = supernode.status();
    expect(status.state).toBe('serving');
    expect(status.counters['badFrames']).toBeGreaterThan(5_000);
    expect(status.gauges['sessions']).toBe(1);
    expect(status.gauges['connections']).toBeLessThanOrEqual(5);
    expect(reopened).toBeGreaterThan(0);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(150 * 1024 * 1024);
    good.close();
  });

  it('login survives 10,000 malformed frames while another user keeps logging in', { timeout: 30_000 }, async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const fuzzing = throwFrames(network.login.port, 10_000, 2, () => network.login.status().counters['frames'] ?? 0);
    let logins = 0;
    let done = false;
    void fuzzing.then(() => (done = true));
    while (!done) {
      const user = await RawSocket.open(network.login.port);
      user.send({ v: 1, type: 'login', userId: 'good', token: authToken(secret, 'good'), clientVersion: '5.0.0.156' });
      const reply = await user.next();
      expect(reply).toMatchObject({ type: 'login-ok' });
      expect((reply['hostCache'] as unknown[]).length).toBe(1);
      user.close();
      logins += 1;
    }
    await fuzzing;
    expect(logins).toBeGreaterThan(3);
    const status = network.login.status();
    expect(status.counters['badFrames']).toBeGreaterThan(5_000);
    expect(status.gauges['liveSupernodes']).toBe(1);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(150 * 1024 * 1024);
  });
});
