import { afterEach, describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { loginConfigSchema } from '../../../services/login/login-config.js';
import { SaturationWatch } from '../../../services/login/saturation-watch.js';
import { authToken } from '../../../services/protocol/auth-token.js';
import { NodeExitCode, exitCauseOf } from '../../../services/protocol/exit-codes.js';
import { createManualClock } from '../helpers/manual-clock.js';
import { RawSocket } from './raw-socket.js';
import { secret, startLocalNetwork, waitFor, type LocalNetwork } from './local-network.js';

const login = (userId: string) => ({ v: 1, type: 'login', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Refusals every `everyMs` for `forMs` on the manual clock; whether the watch tripped at any of them. */
async function refuseFor(watch: SaturationWatch, clock: ReturnType<typeof createManualClock>, forMs: number, everyMs: number): Promise<boolean> {
  let tripped = watch.refused();
  for (let elapsed = everyMs; elapsed <= forMs; elapsed += everyMs) {
    await clock.advance(everyMs);
    tripped = watch.refused() || tripped;
  }
  return tripped;
}

describe("login's saturation watch", () => {
  it('trips once refusals have gone on for the grace period without a calm second between them', async () => {
    const clock = createManualClock(5_000);
    const watch = new SaturationWatch(clock, 2_000);
    expect(await refuseFor(watch, clock, 1_900, 100)).toBe(false);
    expect(watch.saturatedForMs()).toBe(1_900);
    // Gaps shorter than the calm second do not end the episode.
    await clock.advance(900);
    expect(watch.refused()).toBe(true);
  });

  it('forgets a burst shorter than the grace at its first calm gap', async () => {
    const clock = createManualClock();
    const watch = new SaturationWatch(clock, 2_000);
    expect(await refuseFor(watch, clock, 1_500, 100)).toBe(false);
    await clock.advance(1_001);
    expect(watch.saturatedForMs()).toBe(0);
    expect(await refuseFor(watch, clock, 1_500, 100)).toBe(false);
  });
});

describe('login with an overload shutdown', () => {
  let network: LocalNetwork | undefined;
  afterEach(async () => {
    await network?.close();
    network = undefined;
  });

  it('is off by default and needs a positive grace of at most an hour', () => {
    expect(parseRoleConfig('login', loginConfigSchema, { secret }).overloadShutdown).toBeUndefined();
    for (const graceMs of [0, -5, 4_000_000]) {
      expect(() => parseRoleConfig('login', loginConfigSchema, { secret, overloadShutdown: { graceMs } })).toThrow(/overloadShutdown/);
    }
  });

  it('shuts itself down after refusing requests for the grace period: connections turned away, exit 75 (self-protection)', async () => {
    network = await startLocalNetwork({ login: { directory: { capacity: 5, queueLimit: 2 }, overloadShutdown: { graceMs: 400 } } });
    const net = network;
    const socket = await RawSocket.open(net.login.port);
    for (let i = 0; i < 50 && net.exits.exits.length === 0; i += 1) {
      if (socket.closed === undefined) socket.send(login(`u${i}`));
      await sleep(20);
    }
    await waitFor(() => net.exits.exits.length === 1, 1_000, 'login exiting');
    const exit = net.exits.exits[0];
    expect(exit?.code).toBe(NodeExitCode.selfProtection);
    expect(exitCauseOf(exit?.code)).toBe('self-protection');
    expect(exit?.reason).toMatch(/^self-protection: directory refusing requests \(queue full\) for \d+ ms$/);
    expect(net.login.status().counters).toMatchObject({ overloadShutdowns: 1 });
    await waitFor(() => socket.closed !== undefined, 1_000, 'the connection turned away');
    expect(socket.closed).toMatchObject({ code: 1013, reason: 'login overloaded: self-protection' });
  });

  it('rides out a burst of refusals shorter than the grace', async () => {
    network = await startLocalNetwork({ login: { directory: { capacity: 20, queueLimit: 2 }, overloadShutdown: { graceMs: 400 } } });
    const net = network;
    const socket = await RawSocket.open(net.login.port);
    for (let i = 0; i < 20; i += 1) socket.send(login(`u${i}`));
    await waitFor(() => (net.login.status().counters['requestsRefused'] ?? 0) > 0, 1_000, 'refusals');
    await sleep(1_600);
    expect(net.exits.exits).toEqual([]);
    expect(net.login.status().counters).toMatchObject({ overloadShutdowns: 0 });
    socket.send(login('u-after'));
    expect(await socket.next((reply) => reply['type'] === 'login-ok')).toMatchObject({ type: 'login-ok' });
    socket.close();
  });
});
