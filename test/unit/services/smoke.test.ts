import { afterEach, describe, expect, it } from 'vitest';
import { startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

const gauge = (status: { gauges: Readonly<Record<string, number>> }, name: string): number => status.gauges[name] ?? 0;
const counter = (status: { counters: Readonly<Record<string, number>> }, name: string): number => status.counters[name] ?? 0;

describe('a local network of real services', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  it('reaches steady state and re-homes the clients of a killed supernode', { timeout: 90_000 }, async () => {
    network = await startLocalNetwork();
    const net = network;
    for (const name of ['sn-a', 'sn-b', 'sn-c']) await net.startSupernode(name);
    await waitFor(() => gauge(net.login.status(), 'liveSupernodes') === 3, 30_000, 'three supernodes registered');

    const fleet = await net.startFleet('fleet-1', {
      users: { first: 0, count: 100 },
      contacts: [{ first: 0, count: 120 }],
      lookupsPerClientPerMinute: 120,
      imsPerClientPerMinute: 30,
      offlinePollIntervalMs: 500,
    });
    const startedAt = Date.now();
    await waitFor(() => gauge(fleet.status(), 'clientsOnline') === 100, 30_000, 'all 100 clients online');
    const steadyMs = Date.now() - startedAt;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const steady = fleet.status();
    const ok = counter(steady, 'lookupsOk');
    const failed = counter(steady, 'lookupsFailed');
    expect(ok).toBeGreaterThan(100);
    expect(ok / (ok + failed)).toBeGreaterThanOrEqual(0.99);
    expect(counter(steady, 'imsAcceptedDirect')).toBeGreaterThan(10);
    console.log(`steady state: 100 online in ${steadyMs} ms; lookups ${ok} ok / ${failed} failed`);

    // Kill one supernode abruptly: its clients find the others.
    const victim = net.supernodes.get('sn-b');
    const victimSessions = gauge(victim?.status() ?? { gauges: {} }, 'sessions');
    expect(victimSessions).toBeGreaterThan(0);
    const killedAt = Date.now();
    await victim?.close();
    net.supernodes.delete('sn-b');
    await waitFor(() => gauge(fleet.status(), 'clientsOnline') === 100 && counter(fleet.status(), 'sessionsLost') >= victimSessions, 30_000, 're-homing');
    const survivors = [...net.supernodes.values()].reduce((sum, supernode) => sum + gauge(supernode.status(), 'sessions'), 0);
    expect(survivors).toBe(100);
    console.log(`re-homed ${victimSessions} clients in ${Date.now() - killedAt} ms`);

  });

  it('stores IMs to offline users and delivers each exactly once when they log in', { timeout: 90_000 }, async () => {
    network = await startLocalNetwork();
    const net = network;
    await net.startSupernode('sn-a');
    await net.startSupernode('sn-b');
    await waitFor(() => gauge(net.login.status(), 'liveSupernodes') === 2, 30_000, 'two supernodes registered');
    // Users 0..49 write only to users 100..119, who have no client running yet.
    const sender = await net.startFleet('fleet-1', {
      users: { first: 0, count: 50 },
      contacts: [{ first: 100, count: 20 }],
      lookupsPerClientPerMinute: 60,
      imsPerClientPerMinute: 120,
    });
    await waitFor(() => counter(sender.status(), 'imsAccepted') >= 60, 30_000, '60 IMs accepted');
    await sender.close();
    const sent = sender.status();
    expect(counter(sent, 'imsAcceptedDirect')).toBe(0);
    expect(counter(sent, 'imsAccepted')).toBe(counter(sent, 'imsAcceptedOffline'));
    const storedBefore = counter(net.offline.status(), 'stored');
    expect(storedBefore).toBeGreaterThanOrEqual(counter(sent, 'imsAccepted'));

    const receiver = await net.startFleet('fleet-2', { users: { first: 100, count: 20 }, offlinePollIntervalMs: 300 });
    await waitFor(() => gauge(net.offline.status(), 'pending') === 0, 30_000, 'every stored message fetched and acknowledged');
    // A store still in flight when the sender closed lands after storedBefore was read, so compare with the final count.
    const storedInAll = (): number => counter(net.offline.status(), 'stored');
    await waitFor(() => counter(receiver.status(), 'imsReceived') >= storedInAll(), 30_000, 'every stored message received');
    const offlineStatus = net.offline.status();
    expect(counter(offlineStatus, 'delivered')).toBe(storedInAll());
    expect(counter(receiver.status(), 'imsReceived')).toBe(storedInAll());
    expect(counter(receiver.status(), 'imsDuplicate')).toBe(0);
  });
});
