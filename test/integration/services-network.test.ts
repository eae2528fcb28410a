import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceOwner } from '../../harness/lifecycle/owner.js';
import type { NodeHandle } from '../../harness/platform/platform.js';
import { StatusFields } from '../../services/protocol/status.js';
import { counter, deployServiceNetwork, gauge, readAll, readStatus, sleep, sum, testScenario, waitUntil, type ServiceNetwork } from './helpers/service-network.js';

const fleetSize = 250;
const everyone = 2 * fleetSize;
const F = StatusFields.fleet;
const O = StatusFields.offlineMessages;

const scenario = testScenario(
  'dedicated',
  { supernodes: 3, fleets: 2, clientsPerFleet: fleetSize, offlineMessageServers: 1 },
  // No buggy clients here: this file is about the network working, not the 2010 bug.
  { versionMix: { '5.0.0.156': 1 }, lookupsPerClientPerMinute: 12, imsPerClientPerMinute: 12 },
);

describe.each(['docker', 'local'] as const)('%s platform: services through Toxiproxy', (kind) => {
  const owner = new ResourceOwner();
  let net: ServiceNetwork;
  const handles = (group: 'fleets' | 'supernodes' | 'offline-messages'): NodeHandle[] => net.topology.nodes(group).map((node) => node.handle);
  const fleets = (): NodeHandle[] => handles('fleets');
  const offline = (): NodeHandle => {
    const handle = handles('offline-messages')[0];
    if (handle === undefined) throw new Error('no offline-messages node');
    return handle;
  };

  beforeAll(async () => {
    net = await deployServiceNetwork({ kind, owner, scenario, architecture: 'dedicated' });
  });

  afterAll(async () => {
    expect(await owner.releaseAll()).toEqual([]);
  });

  it('deploys every link through Toxiproxy', () => {
    expect(net.topology.nodes()).toHaveLength(1 + 1 + 3 + 2);
    // login and offline-messages: from clients and supernodes; each supernode: from clients and supernodes
    expect(net.topology.links()).toHaveLength(2 + 2 + 3 * 2);
    expect(net.topology.links().every((link) => link.dialAddress.includes(':'))).toBe(true);
  });

  it('reaches steady state within 20 s: every client online, lookups at least 99% successful', async () => {
    const started = Date.now();
    await waitUntil('all 500 clients online', 20_000, async () => {
      const online = sum(await readAll(fleets()), (s) => gauge(s, F.clientsOnline));
      return online === everyone || `${online} online`;
    });
    const before = await readAll(fleets());
    await sleep(3_000);
    const after = await readAll(fleets());
    const ok = sum(after, (s) => counter(s, F.lookupsOk)) - sum(before, (s) => counter(s, F.lookupsOk));
    const failed = sum(after, (s) => counter(s, F.lookupsFailed)) - sum(before, (s) => counter(s, F.lookupsFailed));
    const elapsed = Date.now() - started;
    console.log(`[${kind}] steady state in ${elapsed} ms; lookups over 3 s: ${ok} ok, ${failed} failed`);
    expect(elapsed).toBeLessThan(20_000);
    expect(ok).toBeGreaterThan(20);
    expect(ok / (ok + failed)).toBeGreaterThanOrEqual(0.99);
    expect(sum(after, (s) => gauge(s, F.clientsOnline))).toBe(everyone);
  });

  it('re-homes a killed supernode\'s clients on the others within 10 s', async () => {
    const [victim, ...survivors] = handles('supernodes');
    if (victim === undefined) throw new Error('no supernodes');
    const victimSessions = gauge(await readStatus(victim), StatusFields.supernode.sessions);
    expect(victimSessions).toBeGreaterThan(0);
    await victim.kill();
    const took = await waitUntil('clients re-homed', 10_000, async () => {
      const online = sum(await readAll(fleets()), (s) => gauge(s, F.clientsOnline));
      const sessions = sum(await readAll(survivors), (s) => gauge(s, StatusFields.supernode.sessions));
      return (online === everyone && sessions === everyone) || `${online} online, ${sessions} sessions on survivors`;
    });
    console.log(`[${kind}] ${victimSessions} sessions of ${victim.name} re-homed in ${took} ms`);
    expect((await victim.inspect()).state).toBe('exited');
  });

  it('delivers every IM sent to offline users once they log in, none twice', async () => {
    const [away, sender] = fleets();
    if (away === undefined || sender === undefined) throw new Error('two fleets expected');
    const storedBefore = counter(await readStatus(offline()), O.stored);
    await away.kill();
    await sleep(6_000);
    const whileAway = await readStatus(offline());
    const storedWhileAway = counter(whileAway, O.stored) - storedBefore;
    expect(storedWhileAway).toBeGreaterThan(10);

    await away.restart();
    // The sender keeps writing, so a later reading may catch a message between stored and delivered:
    // the assertions use the reading at which everything was delivered.
    let settled: Awaited<ReturnType<typeof readStatus>> | undefined;
    const took = await waitUntil('every stored IM delivered', 20_000, async () => {
      const status = await readStatus(offline());
      const online = sum(await readAll(fleets()), (s) => gauge(s, F.clientsOnline));
      const [stored, delivered, pending] = [counter(status, O.stored), counter(status, O.delivered), gauge(status, O.pending)];
      if (online === everyone && delivered === stored && pending === 0) {
        settled = status;
        return true;
      }
      return `${online} online, stored ${stored}, delivered ${delivered}, pending ${pending}`;
    });
    if (settled === undefined) throw new Error('waitUntil returned without a settled reading');
    const final = settled;
    const fleetStatuses = await readAll(fleets());
    const duplicates = sum(fleetStatuses, (s) => counter(s, F.imsDuplicate));
    const receivedAfterRestart = counter(fleetStatuses[0] ?? final, F.imsReceived);
    console.log(
      `[${kind}] ${storedWhileAway} IMs stored while fleet away; all delivered ${took} ms after restart; ` +
        `offline stored ${counter(final, O.stored)} delivered ${counter(final, O.delivered)}; ` +
        `restarted fleet received ${receivedAfterRestart}; duplicates ${duplicates}; accepted direct ${sum(fleetStatuses, (s) => counter(s, F.imsAccepted))}`,
    );
    expect(counter(final, O.delivered)).toBe(counter(final, O.stored));
    expect(gauge(final, O.pending)).toBe(0);
    // Delivery is at-least-once: a sender whose supernode answers `send-im` after the client's request
    // timeout stores the IM offline although it was delivered directly, and an ack lost across a
    // reconnect brings a stored one back; the recipient's id store suppresses the second copy (counted
    // as imsDuplicate), so no user sees it twice. How many answers come late depends on the host (10 of
    // 149 beside a full CI run, within 5% in the runs before it), so the bound only catches redelivery as a rule.
    expect(duplicates).toBeLessThan(storedWhileAway / 2);
    expect(receivedAfterRestart).toBeGreaterThanOrEqual(storedWhileAway);
  });
});
