import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { createLedgerCollector, type LedgerEvent } from '../../../harness/observe/ledger-collector.js';
import type { SampledNode } from '../../../harness/observe/sample-aggregator.js';
import { fetchNodeStatus } from '../../../harness/runner/fetch-status.js';
import { realClock } from '../../../harness/engine/clock.js';
import { measureMessagesLost } from '../../../harness/verdict/messages-lost.js';
import { startClientFleetService, type RunningFleet } from '../../../services/client-fleet/client-fleet-service.js';
import type { ClientFleetConfigInput } from '../../../services/client-fleet/client-fleet-config.js';
import { pendingLedgerDocument } from '../../../services/common/message-ledger.js';
import { startOfflineMessagesService, type RunningOfflineMessages } from '../../../services/offline-messages/offline-messages-service.js';
import { authToken } from '../../../services/protocol/auth-token.js';
import { startSupernodeService, type RunningSupernode } from '../../../services/supernode/supernode-service.js';
import type { SupernodeConfigInput } from '../../../services/supernode/supernode-config.js';
import { ExitRecorder, secret, serviceEnv, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';
import { freeLoopbackPort } from '../../../harness/platform/free-port.js';
import { RawSocket } from './raw-socket.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Users 0-29 are everyone's contacts; only 0-24 ever run a client, so IMs to 25-29 stay at offline-messages. */
const contacts = [{ first: 0, count: 30 }];

describe('message ledger across a small network', () => {
  let network: LocalNetwork | undefined;
  const fleets: RunningFleet[] = [];
  const others: (RunningSupernode | RunningOfflineMessages)[] = [];
  afterEach(async () => {
    await Promise.all(fleets.splice(0).map((fleet) => fleet.close()));
    await Promise.all(others.splice(0).map((service) => service.close()));
    await network?.close();
    network = undefined;
  });

  it('accounts for every accepted id as received or pending (fleets, a peer, and offline-messages)', async () => {
    network = await startLocalNetwork();
    const net = network;
    const controlUrls = new Map<string, string>();
    const startFleet = async (name: string, first: number, count: number): Promise<void> => {
      const controlPort = await freeLoopbackPort();
      const config: ClientFleetConfigInput = {
        secret,
        seed: 11,
        loginAddress: net.loginAddress,
        offlineMessagesAddress: net.offlineAddress,
        versionMix: { '5.0.0.156': 1 },
        restartDelay: { kind: 'fixed', ms: 100 },
        heartbeatIntervalMs: 300,
        requestTimeoutMs: 2_000,
        startSpreadMs: 200,
        users: { first, count },
        contacts,
        imsPerClientPerMinute: 120,
        lookupsPerClientPerMinute: 0,
        offlinePollIntervalMs: 500,
      };
      fleets.push(await startClientFleetService({ ...serviceEnv('client-fleet', name, 0, config), controlPort }));
      controlUrls.set(name, `http://127.0.0.1:${controlPort}`);
    };

    await net.startSupernode('sn-a');
    // The peer is started here rather than by the network helper, to reach its control port.
    const peerPort = await freeLoopbackPort();
    const peerControlPort = await freeLoopbackPort();
    const peerConfig: SupernodeConfigInput = {
      secret,
      mode: 'peer',
      clientAddress: `127.0.0.1:${peerPort}`,
      overlayAddress: `127.0.0.1:${peerPort}`,
      loginAddress: net.loginAddress,
      capacity: { sessions: 1_000, requestsPerSecond: 100_000 },
      loginHeartbeatMs: 200,
      sessionTimeoutMs: 1_500,
      client: {
        secret,
        loginAddress: net.loginAddress,
        offlineMessagesAddress: net.offlineAddress,
        userId: 'p1',
        clientVersion: '5.0.0.156',
        vulnerable: false,
        heartbeatIntervalMs: 300,
        imsPerClientPerMinute: 300,
        lookupsPerClientPerMinute: 0,
        contacts,
      },
    };
    const peer = await startSupernodeService({ ...serviceEnv('supernode', 'sn-peer', peerPort, peerConfig), controlPort: peerControlPort }, new ExitRecorder());
    others.push(peer);
    controlUrls.set('sn-peer', `http://127.0.0.1:${peerControlPort}`);
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 2, 3_000, 'both supernodes registered');
    await startFleet('fleet-a', 0, 10);
    await startFleet('fleet-b', 10, 10);

    const events: LedgerEvent[] = [];
    const started = Date.now();
    const collector = createLedgerCollector({
      fetchLedger: (node: SampledNode, after: number, signal: AbortSignal) => {
        const url = controlUrls.get(node.name);
        if (url !== undefined) return fetchNodeStatus(url, signal, `/ledger?after=${after}`);
        return Promise.resolve(pendingLedgerDocument('offline', 1, net.offline.pendingIds()));
      },
      clock: realClock,
      timeoutMs: 1_000,
      now: () => Date.now() - started,
      onEvent: (event) => events.push(event),
    });
    const tick = () => {
      const nodes: Record<string, { role: SampledNode['role']; up: boolean }> = {
        offline: { role: 'offline-messages', up: true },
      };
      for (const name of controlUrls.keys()) nodes[name] = { role: name === 'sn-peer' ? 'supernode' : 'client-fleet', up: true };
      return collector.collect({ nodes });
    };

    let fleetCStartedAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 16; i += 1) {
      // Users 20-24 come online late and fetch what waited for them at offline-messages.
      if (i === 6) {
        fleetCStartedAt = Date.now() - started;
        await startFleet('fleet-c', 20, 5);
      }
      await tick();
      await sleep(150);
    }

    const measured = measureMessagesLost(events as HistoryEvent[]);
    expect(measured.missing).toEqual([]);
    expect(measured.lost).toBe(0);
    expect(measured.accepted).toBeGreaterThan(30);
    expect(measured.pending).toBeGreaterThan(0);
    expect(measured.received).toBeGreaterThan(10);
    const acceptedBy = (node: string) => events.filter((event) => event.node === node).flatMap((event) => event.accepted);
    expect(acceptedBy('sn-peer').length).toBeGreaterThan(0);
    expect(acceptedBy('sn-peer').every((id) => id.startsWith('sn-peer-'))).toBe(true);
    // Fleet-c's users received messages stored before they came online.
    const lateReceived = new Set(events.filter((event) => event.node === 'fleet-c').flatMap((event) => event.received));
    const pendingEarly = new Set(events.filter((event) => event.pending !== undefined && event.t < fleetCStartedAt).flatMap((event) => event.pending ?? []));
    expect([...lateReceived].some((id) => pendingEarly.has(id))).toBe(true);
    // The counters agree with the journals.
    const counted = fleets.reduce((sum, fleet) => sum + (fleet.status().counters['imsAccepted'] ?? 0), 0) + (peer.embedded?.counters.snapshot()['imsAccepted'] ?? 0);
    expect(counted).toBeGreaterThanOrEqual(measured.accepted);
  });

  it('offline-messages serves the ids it holds at /ledger, whatever `after` says', async () => {
    const controlPort = await freeLoopbackPort();
    const offline = await startOfflineMessagesService({ ...serviceEnv('offline-messages', 'om-0', 0, { secret }), controlPort });
    others.push(offline);
    const ledgerOf = async (after: number) => (await fetch(`http://127.0.0.1:${controlPort}/ledger?after=${after}`)).json() as Promise<Record<string, unknown>>;
    expect(await ledgerOf(0)).toMatchObject({ node: 'om-0', seq: 0, accepted: [], received: [], duplicates: [], pending: [] });
    const socket = await RawSocket.open(offline.port);
    for (const messageId of ['m1', 'm2']) {
      socket.send({ v: 1, type: 'store', requestId: `s-${messageId}`, messageId, from: 'u1', to: 'u2', body: 'hi' });
      expect(await socket.next()).toMatchObject({ type: 'stored', messageId });
    }
    expect((await ledgerOf(5)).pending).toEqual(['m1', 'm2']);
    socket.send({ v: 1, type: 'ack', requestId: 'a1', userId: 'u2', token: authToken(secret, 'u2'), messageIds: ['m1'] });
    expect(await socket.next()).toMatchObject({ type: 'acked', deleted: 1 });
    expect((await ledgerOf(0)).pending).toEqual(['m2']);
    expect(offline.pendingIds()).toEqual(['m2']);
    expect((await fetch(`http://127.0.0.1:${controlPort}/ledger?after=x`)).status).toBe(400);
    socket.close();
  });
});
