import { afterEach, describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { loginConfigSchema } from '../../../services/login/login-config.js';
import { startLoginService, type RunningLogin } from '../../../services/login/login-service.js';
import { StagedReadmission, readmissionForStart, readmissionRank } from '../../../services/login/staged-readmission.js';
import { authToken } from '../../../services/protocol/auth-token.js';
import { createManualClock } from '../helpers/manual-clock.js';
import { RawSocket } from './raw-socket.js';
import { ExitRecorder, secret, serviceEnv } from './local-network.js';

const users = Array.from({ length: 10_000 }, (_, i) => `u${i}`);
const steps = { stepShare: 0.1, stepEveryMs: 1_000, atFirstStart: false };

describe('staged readmission', () => {
  it('admits stepShare at the start and one step more every stepEveryMs, until every user', async () => {
    const clock = createManualClock(7_000);
    const stage = new StagedReadmission(steps, clock);
    const shares: number[] = [];
    for (let step = 0; step < 11; step += 1) {
      shares.push(stage.admittedShare());
      await clock.advance(step === 0 ? 999 : 1_000);
    }
    expect(shares.map((share) => Math.round(share * 10) / 10)).toEqual([0.1, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(stage.admittedShare()).toBe(1);
    expect(users.every((user) => stage.verdict(user) === 'open')).toBe(true);
  });

  it('decides per user from a stable rank: about the admitted share, the same users at every start, none dropped by a later step', async () => {
    const clock = createManualClock();
    const stage = new StagedReadmission(steps, clock);
    await clock.advance(2_000);
    const admittedAt30 = users.filter((user) => stage.verdict(user) === 'admitted');
    expect(admittedAt30.length / users.length).toBeGreaterThan(0.28);
    expect(admittedAt30.length / users.length).toBeLessThan(0.32);
    expect(users.every((user) => (stage.verdict(user) === 'admitted') === readmissionRank(user) < stage.admittedShare())).toBe(true);

    const again = new StagedReadmission(steps, clock);
    await clock.advance(2_000);
    expect(admittedAt30.every((user) => again.verdict(user) === 'admitted')).toBe(true);
    expect(users.map(readmissionRank)).toEqual(users.map(readmissionRank));
  });

  it('stages a start again, and the first start only with atFirstStart', () => {
    const clock = createManualClock();
    expect(readmissionForStart(undefined, true, clock).verdict('u1')).toBe('open');
    expect(readmissionForStart(steps, false, clock).admittedShare()).toBe(1);
    expect(readmissionForStart(steps, true, clock).admittedShare()).toBeCloseTo(0.1);
    expect(readmissionForStart({ ...steps, atFirstStart: true }, false, clock).admittedShare()).toBeCloseTo(0.1);
  });

  it('is off by default in the login config and refuses shares and steps out of range', () => {
    expect(parseRoleConfig('login', loginConfigSchema, { secret }).readmission).toBeUndefined();
    expect(parseRoleConfig('login', loginConfigSchema, { secret, readmission: { stepShare: 0.1, stepEveryMs: 500 } }).readmission).toEqual({
      stepShare: 0.1,
      stepEveryMs: 500,
      atFirstStart: false,
    });
    for (const readmission of [{ stepShare: 0, stepEveryMs: 500 }, { stepShare: 1.5, stepEveryMs: 500 }, { stepShare: 0.1, stepEveryMs: 0 }, { stepShare: 0.1 }]) {
      expect(() => parseRoleConfig('login', loginConfigSchema, { secret, readmission })).toThrow(/readmission/);
    }
  });
});

describe('login started again with a staged readmission', () => {
  let login: RunningLogin | undefined;
  afterEach(async () => {
    await login?.close();
    login = undefined;
  });

  const loginFrame = (userId: string) => ({ v: 1, type: 'login', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' });

  it('answers admitted users and refuses the rest with busy, the frame clients retry later, counting both', async () => {
    const config = { secret, readmission: { stepShare: 0.5, stepEveryMs: 60_000 } };
    login = await startLoginService(serviceEnv('login', 'login', 0, config), new ExitRecorder(), { restarted: true });
    const admitted = users.find((user) => readmissionRank(user) < 0.5) ?? '';
    const heldBack = users.find((user) => readmissionRank(user) >= 0.5) ?? '';
    const socket = await RawSocket.open(login.port);
    socket.send(loginFrame(admitted));
    expect(await socket.next()).toMatchObject({ type: 'login-ok' });
    socket.send(loginFrame(heldBack));
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'busy', message: 'login is readmitting users in steps (50% so far); try again later' });
    expect(login.status()).toMatchObject({ counters: { logins: 1, loginsAdmittedByStage: 1, loginsRefusedByStage: 1 }, gauges: { admittedShare: 0.5 } });
    socket.close();
  });

  it('admits everyone at its first start unless told to stage it', async () => {
    login = await startLoginService(serviceEnv('login', 'login', 0, { secret, readmission: { stepShare: 0.1, stepEveryMs: 60_000 } }), new ExitRecorder());
    const socket = await RawSocket.open(login.port);
    for (const user of users.slice(0, 20)) socket.send(loginFrame(user));
    for (let i = 0; i < 20; i += 1) expect(await socket.next()).toMatchObject({ type: 'login-ok' });
    expect(login.status()).toMatchObject({ counters: { loginsAdmittedByStage: 0, loginsRefusedByStage: 0 }, gauges: { admittedShare: 1 } });
    socket.close();
  });
});
