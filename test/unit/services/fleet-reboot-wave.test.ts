import { afterEach, describe, expect, it } from 'vitest';
import { startClientFleetService, type RunningFleet } from '../../../services/client-fleet/client-fleet-service.js';
import { secret, serviceEnv, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';
import { freeLoopbackPort } from '../../../harness/platform/free-port.js';

async function post(port: number, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

describe("a fleet's reboot wave (POST /reboot-wave on its control port)", () => {
  let network: LocalNetwork | undefined;
  let fleet: RunningFleet | undefined;
  afterEach(async () => {
    await fleet?.close();
    fleet = undefined;
    await network?.close();
    network = undefined;
  });

  async function startFleet(net: LocalNetwork, count: number): Promise<{ fleet: RunningFleet; controlPort: number }> {
    const controlPort = await freeLoopbackPort();
    const started = await startClientFleetService({
      ...serviceEnv('client-fleet', 'fleet-1', 0, {
        secret,
        seed: 7,
        loginAddress: net.loginAddress,
        offlineMessagesAddress: net.offlineAddress,
        versionMix: { '5.0.0.156': 1 },
        restartDelay: { kind: 'fixed', ms: 100 },
        heartbeatIntervalMs: 300,
        startSpreadMs: 0,
        users: { first: 0, count },
      }),
      controlPort,
    });
    return { fleet: started, controlPort };
  }

  it('reboots the share of its clients over the window, each logging in again once its machine is back', async () => {
    network = await startLocalNetwork();
    const net = network;
    await net.startSupernode('sn-a');
    await waitFor(() => net.login.status().gauges['liveSupernodes'] === 1, 2_000, 'supernode registered');
    const started = await startFleet(net, 20);
    fleet = started.fleet;
    const running = started.fleet;
    await waitFor(() => running.status().gauges['clientsOnline'] === 20, 3_000, 'every client online');
    const loginsBefore = net.login.status().counters['logins'] ?? 0;

    const reply = await post(started.controlPort, '/reboot-wave', { share: 0.5, overMs: 400, downForMs: 300, key: 'timeline[1]' });
    expect(reply).toEqual({ status: 202, body: { rebooting: 10, of: 20 } });
    // Spread over the window: part of the wave is down while the rest has not rebooted yet.
    await waitFor(() => (running.status().counters['reboots'] ?? 0) >= 1, 1_000, 'the first reboot');
    expect(running.status().counters['reboots']).toBeLessThan(10);
    await waitFor(() => running.status().counters['reboots'] === 10, 1_000, 'the whole wave');
    expect(running.clients.filter((client) => client.state === 'stopped').length).toBeGreaterThan(0);
    await waitFor(() => running.status().gauges['clientsOnline'] === 20, 3_000, 'every client back online');
    expect((net.login.status().counters['logins'] ?? 0) - loginsBefore).toBe(10);
    expect(running.status().counters['crashes']).toBe(0);
  });

  it('refuses a request that is not a wave, saying what a wave is, and takes commands by POST only', async () => {
    network = await startLocalNetwork();
    const started = await startFleet(network, 10);
    fleet = started.fleet;
    expect(await post(started.controlPort, '/reboot-wave', { share: 1.5, overMs: 100, key: 'k' })).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/^a reboot wave is \{ share \(0-1\), overMs, downForMs\?, key \}: share: .*1/) },
    });
    expect(await post(started.controlPort, '/reboot-wave', 'not json')).toEqual({ status: 400, body: { error: 'the body is not JSON (send a JSON object)' } });
    const response = await fetch(`http://127.0.0.1:${started.controlPort}/reboot-wave`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await post(started.controlPort, '/reboot-wave', { share: 0.3, overMs: 0, key: 'k' })).toEqual({ status: 202, body: { rebooting: 3, of: 10 } });
  });
});
