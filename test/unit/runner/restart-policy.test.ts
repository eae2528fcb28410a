import { describe, expect, it } from 'vitest';
import { restartPolicy } from '../../../harness/runner/restart-policy.js';
import { createTimeScale } from '../../../harness/scenario/time-scale.js';

const scale = createTimeScale({ oneHour: '1s' });
const load = { restartDelay: { kind: 'fixed', value: '2h' } } as const;

describe('the restart policy', () => {
  it('restarts supernodes after the users\' delay and leaves login down, as before, without an overload shutdown', () => {
    const policy = restartPolicy(load, {}, scale);
    expect(policy('supernode', 'client-bug')).toEqual({ kind: 'fixed', valueMs: 2_000 });
    expect(policy('login', 'self-protection')).toBeUndefined();
    expect(policy('login', 'fault')).toBeUndefined();
    expect(policy('offline-messages', 'unknown')).toBeUndefined();
  });

  it('starts a login that shut itself down again, after its restartAfter or else the users\' delay; a login killed otherwise stays down', () => {
    const own = restartPolicy(load, { login: { directory: { capacity: 10 }, overloadShutdown: { graceMs: 500, restartAfter: { kind: 'fixed', value: '30m' } } } }, scale);
    expect(own('login', 'self-protection')).toEqual({ kind: 'fixed', valueMs: 500 });
    expect(own('login', 'fault')).toBeUndefined();
    expect(own('login', 'unknown')).toBeUndefined();
    const users = restartPolicy(load, { login: { directory: { capacity: 10 }, overloadShutdown: { graceMs: 500 } } }, scale);
    expect(users('login', 'self-protection')).toEqual({ kind: 'fixed', valueMs: 2_000 });
  });
});
