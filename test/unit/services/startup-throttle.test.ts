import { afterEach, describe, expect, it } from 'vitest';
import { clientFleetConfigSchema } from '../../../services/client-fleet/client-fleet-config.js';
import { StartupThrottle } from '../../../services/client-fleet/startup-throttle.js';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { createManualClock } from '../helpers/manual-clock.js';
import { secret, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

describe("a fleet's start-up throttle", () => {
  it('gives a crowd arriving at once one slot each, perSecond apart, and lets a lone start-up through at once', async () => {
    const clock = createManualClock(1_000);
    const throttle = new StartupThrottle(4, clock);
    expect(Array.from({ length: 5 }, () => throttle.reserve())).toEqual([0, 250, 500, 750, 1_000]);
    await clock.advance(2_000);
    expect(throttle.reserve()).toBe(0);
    await clock.advance(100);
    expect(throttle.reserve()).toBe(150);
  });

  it('is off by default in the fleet config', () => {
    const fleet = { secret, loginAddress: 'l:1', offlineMessagesAddress: 'o:1', seed: 1, users: { first: 0, count: 1 }, versionMix: { a: 1 }, restartDelay: { kind: 'fixed', ms: 1 } };
    expect(parseRoleConfig('client-fleet', clientFleetConfigSchema, fleet).startupThrottle).toBeUndefined();
    expect(() => parseRoleConfig('client-fleet', clientFleetConfigSchema, { ...fleet, startupThrottle: { perSecond: 0 } })).toThrow(/perSecond/);
  });
});

describe('a throttled fleet on real sockets', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  it('registers a crowd that starts at once no faster than its throttle', async () => {
    network = await startLocalNetwork();
    const supernode = await network.startSupernode('sn-a');
    await waitFor(() => supernode.state === 'serving', 2_000, 'serving');
    const started = Date.now();
    const fleet = await network.startFleet('fleet-1', { users: { first: 0, count: 10 }, startSpreadMs: 0, startupThrottle: { perSecond: 20 }, lookupsPerClientPerMinute: 0, imsPerClientPerMinute: 0 });
    await waitFor(() => fleet.status().gauges['clientsOnline'] === 10, 3_000, 'ten clients online');
    // Ten slots 50 ms apart: the last registers 450 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(supernode.status().counters['registrations']).toBe(10);
  });
});
