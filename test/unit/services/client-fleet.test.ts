import { afterEach, describe, expect, it } from 'vitest';
import { startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('client fleet', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  it('a delayed offline-messages reply kills exactly the vulnerable buggy clients, and users restart them', async () => {
    network = await startLocalNetwork({ offline: { serviceTimeMs: 200, workers: 200 } });
    const net = network;
    await net.startSupernode('sn-a');
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 1, 2_000, 'supernode registered');
    const fleet = await net.startFleet('fleet-bug', {
      users: { first: 0, count: 80 },
      versionMix: { '5.0.0.152': 1, '5.0.0.156': 1 },
      crashProbability: 0.4,
      delayedReplyThresholdMs: 100,
      offlinePollIntervalMs: 0,
      restartDelay: { kind: 'uniform', minMs: 400, maxMs: 600 },
    });
    const vulnerable = fleet.status().gauges['clientsVulnerable'] ?? 0;
    const buggy = fleet.status().gauges['clientsBuggyVersion'] ?? 0;
    expect(buggy).toBeGreaterThan(25);
    expect(buggy).toBeLessThan(55);
    expect(vulnerable).toBeGreaterThan(0);
    await waitFor(() => (fleet.status().counters['crashes'] ?? 0) >= vulnerable, 20_000, 'every vulnerable client to crash');
    const afterFirst = fleet.status();
    // Users may already have restarted the earliest victims (400-600 ms); none but the vulnerable is down.
    expect(afterFirst.gauges['clientsCrashed']).toBeGreaterThan(0);
    expect(afterFirst.gauges['clientsCrashed']).toBeLessThanOrEqual(vulnerable);
    const crashed = fleet.clients.filter((client) => client.state === 'crashed');
    expect(crashed.every((client) => client.identity.clientVersion === '5.0.0.152' && client.identity.vulnerable)).toBe(true);
    // Restarted clients log in again, fetch again, and crash again while the delay lasts.
    await waitFor(() => (fleet.status().counters['restarts'] ?? 0) >= vulnerable, 20_000, 'users to restart their clients');
    await waitFor(() => (fleet.status().counters['crashes'] ?? 0) >= vulnerable * 2, 20_000, 'restarted clients to crash again');
    // The vulnerable ones keep crashing and restarting (one may be online for a moment); every other client is online.
    const spared = fleet.clients.filter((client) => !(client.identity.vulnerable && client.identity.clientVersion === '5.0.0.152'));
    expect(spared).toHaveLength(80 - vulnerable);
    await waitFor(() => spared.every((client) => client.state === 'online'), 20_000, 'the others online');
  }, 90_000);

  it('counts the clients that lost their supernode as re-homing until they find another, and no one else', async () => {
    network = await startLocalNetwork();
    const net = network;
    const doomed = await net.startSupernode('sn-a', { capacity: { sessions: 10, requestsPerSecond: 1e6 } });
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 1, 2_000, 'supernode registered');
    const fleet = await net.startFleet('fleet-rehome', { users: { first: 0, count: 10 }, reconnect: { policy: 'naive', intervalMs: 100 }, startSpreadMs: 0 });
    await waitFor(() => fleet.status().gauges['clientsOnline'] === 10, 2_000, 'clients online');
    // Logging in at start-up is not re-homing.
    expect(fleet.status().gauges['clientsRehoming']).toBe(0);
    await doomed.close();
    await waitFor(() => fleet.status().gauges['clientsRehoming'] === 10, 2_000, 'its clients to notice the loss');
    await net.startSupernode('sn-b', { capacity: { sessions: 10, requestsPerSecond: 1e6 } });
    await waitFor(() => fleet.status().gauges['clientsOnline'] === 10, 5_000, 'clients re-homed on sn-b');
    expect(fleet.status().gauges['clientsRehoming']).toBe(0);
  });

  it('naive clients hammer full supernodes; backoff clients retry a few times', async () => {
    network = await startLocalNetwork();
    const net = network;
    await net.startSupernode('sn-a', { capacity: { sessions: 5, requestsPerSecond: 1e6 } });
    await net.startSupernode('sn-b', { capacity: { sessions: 5, requestsPerSecond: 1e6 } });
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 2, 2_000, 'supernodes registered');
    const naive = await net.startFleet('fleet-naive', { users: { first: 0, count: 20 }, reconnect: { policy: 'naive', intervalMs: 20 }, startSpreadMs: 0 });
    await waitFor(() => naive.status().gauges['clientsOnline'] === 10, 2_000, 'capacity filled');
    await sleep(1_000);
    const naiveAttempts = naive.status().counters['reconnectAttempts'] ?? 0;
    const naiveScheduled = naive.status().gauges['attemptsScheduled'] ?? 0;
    await naive.close();
    await waitFor(() => [...net.supernodes.values()].every((sn) => sn.status().gauges['sessions'] === 0), 3_000, 'sessions released');
    const backoff = await net.startFleet('fleet-backoff', {
      users: { first: 100, count: 20 },
      reconnect: { policy: 'backoff', baseMs: 100, capMs: 1_000 },
      startSpreadMs: 0,
    });
    await waitFor(() => backoff.status().gauges['clientsOnline'] === 10, 2_000, 'capacity filled');
    await sleep(1_000);
    const backoffAttempts = backoff.status().counters['reconnectAttempts'] ?? 0;
    const backoffScheduled = backoff.status().gauges['attemptsScheduled'] ?? 0;
    console.log(`reconnect attempts in ~1 s by 10 waiting clients: naive ${naiveAttempts} made (${naiveScheduled} scheduled), backoff ${backoffAttempts} (${backoffScheduled})`);
    // 500 due in the second: how many a host makes is its speed (138 seen beside a full CI run, 25 beside a type
    // check, a lint and a chaos run, fewer than the backed-off fleet made on a calmer second), so the made counts
    // are bounded only from above and the comparison is on the schedules below.
    expect(naiveAttempts).toBeGreaterThan(0);
    // The schedule, not the CPU, sets the naive rate: 10 clients, one attempt per 20 ms each, in about 1.5 s.
    expect(naiveAttempts).toBeLessThan(10 * (1_500 / 20));
    expect(backoffAttempts).toBeLessThan(100);
    // What the two fleets' schedules promised (lateness counts as its share of a period): both count their
    // heartbeats and polls, backoff its retries on their mean delay too, and naive's cadence restarts after an
    // attempt slower than 20 ms, so a loaded host narrows the ratio (222 naive against 80 backoff seen, and
    // 116 against 86 beside a type check, a lint and a chaos run): naive still promises more.
    expect(naiveScheduled).toBeGreaterThan(backoffScheduled);
  });
});
