import { describe, expect, it } from 'vitest';
import { predictDirectoryLoad } from '../../../harness/verdict/directory-prediction.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';
import { directoryScenario, withP2pLogin } from './directory-fixture.js';

describe('predictDirectoryLoad', () => {
  it('does the arithmetic by hand: a 1000 ms deadline, 300 ms retry', () => {
    const p = predictDirectoryLoad(directoryScenario(), 'p2p');
    // 1000 / 40 = 25 ms, plus 1.5 ms for each of 32 supernodes; a login answer names 8.
    expect(p?.answerMs.membership).toBeCloseTo(73, 9);
    expect(p?.answerMs.login).toBeCloseTo(37, 9);
    // 32 x 73 ms every 4000 ms.
    expect(p?.steadyUtilisation).toBeCloseTo(0.584, 9);
    expect(p?.reRegistrationBurstMs).toBeCloseTo(2_336, 9);
    const deadline = p?.deadline;
    expect(deadline?.deadlineMs).toBe(1_000);
    expect(deadline?.registrationRetryMs).toBe(300);
    // floor(1000 / 73) = 13 in time.
    expect(deadline?.outOfServiceAtBurst).toBe(19);
    // 2336 / 1300.
    expect(deadline?.stormUtilisation).toBeCloseTo(1.797, 3);
    expect(deadline?.feedsItself).toBe(true);
    // 2336 - 300: from there the storm offers at most 1.
    expect(deadline?.tippingDeadlineMs).toBeCloseTo(2_036, 9);
    // Half the burst: from 1168 ms the 32 - 1168 / 73 = 16 late ones take 16 x 73 = 1168 ms when they ask again.
    expect(deadline?.drainsAloneFromMs).toBeCloseTo(1_168, 9);
  });

  it('a 5000 ms deadline: nothing goes out of service and the storm would not feed itself', () => {
    const deadline = predictDirectoryLoad(directoryScenario({ registrationTimeoutMs: 5_000, registrationRetryMs: 300 }), 'p2p')?.deadline;
    expect(deadline?.stormUtilisation).toBeCloseTo(0.44, 2);
    expect(deadline?.outOfServiceAtBurst).toBe(0);
    expect(deadline?.feedsItself).toBe(false);
  });

  it('the storm feeds itself below the tipping deadline and not at it', () => {
    const at = (registrationTimeoutMs: number) => predictDirectoryLoad(directoryScenario({ registrationTimeoutMs, registrationRetryMs: 300 }), 'p2p')?.deadline;
    const tipping = at(1_000)?.tippingDeadlineMs ?? Number.NaN;
    expect(at(tipping - 1)?.feedsItself).toBe(true);
    expect(at(tipping)?.feedsItself).toBe(false);
    expect(at(tipping)?.tippingDeadlineMs).toBeCloseTo(tipping, 9);
  });

  it('takes the defaults: heartbeat and retry 1000 ms, no answer cost', () => {
    const p = predictDirectoryLoad(withP2pLogin(32, { registrationTimeoutMs: 500 }, { capacity: 100 }), 'p2p');
    expect(p?.answerMs).toEqual({ membership: 10, login: 10 });
    expect(p?.loginHeartbeatMs).toBe(1_000);
    expect(p?.steadyUtilisation).toBeCloseTo(0.32, 9);
    expect(p?.deadline).toMatchObject({ deadlineMs: 500, registrationRetryMs: 1_000, outOfServiceAtBurst: 0, feedsItself: false, tippingDeadlineMs: 0 });
  });

  it('gives no deadline figures without registrationTimeoutMs', () => {
    const p = predictDirectoryLoad(directoryScenario({}), 'p2p');
    expect(p?.reRegistrationBurstMs).toBeCloseTo(2_336, 9);
    expect(p).not.toHaveProperty('deadline');
  });

  it('is undefined without a directory, or for an architecture the scenario does not run', () => {
    expect(predictDirectoryLoad(validScenarioDefinition(), 'p2p')).toBeUndefined();
    expect(predictDirectoryLoad(directoryScenario(), 'dedicated')).toBeUndefined();
    const base = directoryScenario();
    expect(predictDirectoryLoad({ ...base, architectures: { p2p: base.architectures.p2p! } }, 'dedicated')).toBeUndefined();
  });
});
