import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createMetricsRegistry } from '../../../services/common/control-server.js';
import { LatencyRecorder } from '../../../services/common/latency-window.js';
import type { RunningService } from '../../../services/common/running-service.js';
import { StatusCounters, StatusGauges } from '../../../services/common/status-metrics.js';
import { startEchoService } from '../../../services/echo/echo-service.js';
import { startLoginService, type RunningLogin } from '../../../services/login/login-service.js';
import { startOfflineMessagesService } from '../../../services/offline-messages/offline-messages-service.js';
import { startSupernodeService } from '../../../services/supernode/supernode-service.js';
import type { SupernodeConfigInput } from '../../../services/supernode/supernode-config.js';
import { startClientFleetService, type RunningFleet } from '../../../services/client-fleet/client-fleet-service.js';
import { ExitRecorder, secret, serviceEnv, waitFor } from './local-network.js';
import { freeLoopbackPort } from '../../../harness/platform/free-port.js';

/** Users 0-11 are everyone's contacts; only 0-7 run a client, so some IMs go to offline-messages. */
const contacts = [{ first: 0, count: 12 }];
const clientBehaviour = { heartbeatIntervalMs: 200, imsPerClientPerMinute: 600, lookupsPerClientPerMinute: 600, offlinePollIntervalMs: 200, contacts };

function promtoolInstalled(): boolean {
  return spawnSync('promtool', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** `promtool check metrics` on one exposition: its exit status and everything it printed. */
function promtoolCheck(exposition: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8', timeout: 10_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

async function scrape(controlPort: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${controlPort}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

async function echoOnce(port: number): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send('ping'));
    socket.once('message', () => resolve());
    socket.once('error', reject);
  });
  socket.close();
}

describe('/metrics of every service', () => {
  const running: RunningService[] = [];
  afterEach(async () => {
    // Clients first, then what they talk to.
    for (const service of running.splice(0).reverse()) await service.close();
  });

  it('passes promtool check metrics after some traffic', async (context) => {
    if (!promtoolInstalled()) context.skip('promtool is not installed (Debian: apt-get install -y prometheus)');
    const controlPorts = new Map<string, number>();
    const start = async <S extends RunningService>(name: string, launch: (controlPort: number) => Promise<S>): Promise<S> => {
      const controlPort = await freeLoopbackPort();
      const service = await launch(controlPort);
      running.push(service);
      controlPorts.set(name, controlPort);
      return service;
    };

    const login: RunningLogin = await start('login', (controlPort) =>
      startLoginService({ ...serviceEnv('login', 'login', 0, { secret, heartbeatTimeoutMs: 1_500 }), controlPort }, new ExitRecorder()),
    );
    const offline = await start('offline-messages', (controlPort) =>
      startOfflineMessagesService({ ...serviceEnv('offline-messages', 'offline', 0, { secret }), controlPort }),
    );
    const loginAddress = `127.0.0.1:${login.port}`;
    const offlineAddress = `127.0.0.1:${offline.port}`;
    const supernodeConfig = (port: number): SupernodeConfigInput => ({
      secret,
      mode: 'dedicated',
      clientAddress: `127.0.0.1:${port}`,
      overlayAddress: `127.0.0.1:${port}`,
      loginAddress,
      capacity: { sessions: 1_000, requestsPerSecond: 100_000 },
      loginHeartbeatMs: 200,
      sessionTimeoutMs: 1_500,
    });
    const exits = new ExitRecorder();
    const dedicatedPort = await freeLoopbackPort();
    await start('supernode (dedicated)', (controlPort) =>
      startSupernodeService({ ...serviceEnv('supernode', 'sn-a', dedicatedPort, supernodeConfig(dedicatedPort)), controlPort }, exits),
    );
    const peerPort = await freeLoopbackPort();
    const peerConfig: SupernodeConfigInput = {
      ...supernodeConfig(peerPort),
      mode: 'peer',
      client: { secret, loginAddress, offlineMessagesAddress: offlineAddress, userId: 'p1', clientVersion: '5.0.0.156', vulnerable: false, ...clientBehaviour },
    };
    await start('supernode (peer)', (controlPort) => startSupernodeService({ ...serviceEnv('supernode', 'sn-peer', peerPort, peerConfig), controlPort }, exits));
    await waitFor(() => login.status().gauges['liveSupernodes'] === 2, 3_000, 'both supernodes registered');
    const fleet: RunningFleet = await start('client-fleet', (controlPort) =>
      startClientFleetService({
        ...serviceEnv('client-fleet', 'fleet-a', 0, {
          secret,
          seed: 5,
          loginAddress,
          offlineMessagesAddress: offlineAddress,
          versionMix: { '5.0.0.156': 1 },
          restartDelay: { kind: 'fixed', ms: 100 },
          requestTimeoutMs: 2_000,
          startSpreadMs: 100,
          users: { first: 0, count: 8 },
          ...clientBehaviour,
        }),
        controlPort,
      }),
    );
    const echoPort = await freeLoopbackPort();
    await start('echo', (controlPort) => startEchoService({ ...serviceEnv('echo', 'echo', echoPort, {}), controlPort }));
    await echoOnce(echoPort);

    // Every histogram and most counters have seen something.
    await waitFor(
      () => {
        const status = fleet.status();
        const seen = (name: string): boolean => (status.histograms?.[name]?.count ?? 0) > 0;
        return seen('heartbeatRtt') && seen('lookupLatency') && seen('offlineReply') && (status.counters['imsAccepted'] ?? 0) > 0;
      },
      5_000,
      'fleet traffic',
    );
    await waitFor(() => (offline.status().counters['stored'] ?? 0) > 0, 5_000, 'an IM stored offline');

    const problems: Record<string, string> = {};
    for (const [name, controlPort] of controlPorts) {
      const exposition = await scrape(controlPort);
      expect(exposition, name).toContain('# TYPE');
      const { status, output } = promtoolCheck(exposition);
      if (status !== 0 || output !== '') problems[name] = `exit ${String(status)}: ${output}`;
    }
    expect(problems).toEqual({});
    expect(exits.exits).toEqual([]);
  }, 20_000);
});

describe('metric names and units', () => {
  it('counters end in _total, gauges never do, running totals are counters, latencies are histograms in seconds', async () => {
    const registry = createMetricsRegistry({ node: 'n' });
    const counters = new StatusCounters(registry, 'chaos_x', ['imsSent'] as const);
    counters.inc('imsSent', 2);
    let made = 7;
    const gauges = new StatusGauges(registry, 'chaos_x', { clientsTotal: () => 3, attemptsMade: () => made }, { cumulative: ['attemptsMade'] });
    const latency = new LatencyRecorder(registry, 'chaos_x_reply_seconds', 'Reply time (seconds)');
    latency.record(5);
    latency.record(1_500);
    made = 9;
    const text = await registry.metrics();
    expect(text).toContain('# TYPE chaos_x_ims_sent_total counter\nchaos_x_ims_sent_total{node="n"} 2\n');
    expect(text).toContain('# TYPE chaos_x_clients gauge\nchaos_x_clients{node="n"} 3\n');
    expect(text).toContain('# TYPE chaos_x_attempts_made_total counter\nchaos_x_attempts_made_total{node="n"} 9\n');
    expect(text).toContain('chaos_x_reply_seconds_bucket{le="0.005",node="n"} 1\n');
    expect(text).toContain('chaos_x_reply_seconds_bucket{le="1",node="n"} 1\n');
    expect(text).toContain('chaos_x_reply_seconds_bucket{le="2",node="n"} 2\n');
    expect(text).toContain('chaos_x_reply_seconds_sum{node="n"} 1.505\n');
    expect(text).toMatch(/^nodejs_active_handles\{/m);
    expect(text).not.toMatch(/^# TYPE \S+_total gauge$/m);
    // `/status` keeps its names and its milliseconds.
    expect(gauges.snapshot()).toEqual({ clientsTotal: 3, attemptsMade: 9 });
    expect(latency.summary()).toMatchObject({ count: 2, max: 1_500 });
  });
});
