import { afterEach, describe, expect, it, vi } from 'vitest';
import { faultNames } from '../../../harness/faults/registry.js';
import type { RebootWaveAction } from '../../../harness/faults/reboot-wave.js';
import { parseOperatorCommand } from '../../../harness/rehearsal/operator-command.js';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import { executorOnFakes, peerPlan } from '../runner/fake-network.js';
import { scenarioProblems as problemsOf, validScenario } from '../scenario/scenario-fixture.js';

const wave: RebootWaveAction = { do: 'reboot-wave', id: 'update', target: { share: 0.5, of: 'both' }, over: '2h', downFor: '30m' };
const fleetCommand = (fleet: string) => `command ${fleet} /reboot-wave {"share":0.5,"overMs":2000,"downForMs":500,"key":"reboot-wave-0"}`;

describe('the reboot wave (the executor on the fake network; one scenario hour is a real second)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("asks every fleet to reboot its share over the window, and kills the peers at their moments, each back after downFor as the fault's loss", async () => {
    const { executor, journal, records, restarts } = await executorOnFakes({ plan: peerPlan() });
    vi.useFakeTimers();
    await executor.execute(wave, 'timeline[0]');
    expect(journal).toEqual([fleetCommand('fleet-1'), fleetCommand('fleet-2'), 'record fault inject update']);
    // The fake's draw takes every peer; neither the dedicated box a remedy added nor the standby peer is one.
    expect(records).toEqual([
      { type: 'fault', id: 'update', action: 'inject', kind: 'reboot-wave', targets: ['fleet-1', 'fleet-2', 'sn-01', 'sn-02', 'sn-03'], detail: { share: 0.5, of: 'both', overMs: 2_000 }, startedT: 0 },
    ]);

    journal.length = 0;
    // Draws 0.1, 0.3, 0.5 of the 2 s window: 200, 600 and 1000 ms.
    await vi.advanceTimersByTimeAsync(199);
    expect(journal).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(journal).toEqual(['expect kill sn-01', 'kill sn-01']);
    expect(restarts).toEqual([['sn-01', { kind: 'fixed', value: '30m' }]]);
    await vi.advanceTimersByTimeAsync(400);
    expect(journal.at(-1)).toBe('kill sn-02');

    // The rollback cancels the reboot still to come and closes the fault with the machines it rebooted.
    journal.length = 0;
    expect(await executor.healAll()).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(journal).toEqual(['record fault heal update']);
    expect(records.at(-1)).toEqual({ type: 'fault', id: 'update', action: 'heal', kind: 'reboot-wave', targets: ['fleet-1', 'fleet-2', 'sn-01', 'sn-02'], startedT: 0 });
  });

  it('reboots only the fleets, or only the peers, as the target says', async () => {
    const clients = await executorOnFakes({ plan: peerPlan() });
    await clients.executor.execute({ ...wave, target: { share: 0.5, of: 'clients' } }, 'timeline[0]');
    expect(clients.records[0]).toMatchObject({ targets: ['fleet-1', 'fleet-2'] });

    const peers = await executorOnFakes({ plan: peerPlan() });
    vi.useFakeTimers();
    await peers.executor.execute({ do: 'reboot-wave', id: 'update', target: { share: 1, of: 'peers' }, over: '2h' }, 'timeline[0]');
    expect(peers.journal).toEqual(['record fault inject update']);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(peers.journal.filter((line) => line.startsWith('kill'))).toEqual(['kill sn-01', 'kill sn-02', 'kill sn-03']);
    expect(peers.restarts.map(([, after]) => after)).toEqual(Array(3).fill({ kind: 'fixed', value: '0s' }));
  });

  it('fails the step, records nothing and leaves no peer reboot behind when a fleet refuses the wave', async () => {
    const { executor, journal, records } = await executorOnFakes({ plan: peerPlan(), refuseCommand: (node) => node === 'fleet-2' });
    vi.useFakeTimers();
    await expect(executor.execute(wave, 'timeline[0]')).rejects.toThrow('fleet-2 answered 400 to /reboot-wave');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(records).toEqual([]);
    expect(journal.filter((line) => line.startsWith('kill'))).toEqual([]);
  });

  it('names the peers it could not kill in the record the rollback closes it with', async () => {
    const { executor, records } = await executorOnFakes({ plan: peerPlan(), refuseKill: (node) => node === 'sn-02' });
    vi.useFakeTimers();
    await executor.execute({ ...wave, target: { share: 1, of: 'peers' } }, 'timeline[0]');
    await vi.advanceTimersByTimeAsync(2_000);
    await executor.healAll();
    expect(records.at(-1)).toMatchObject({ action: 'heal', targets: ['sn-01', 'sn-02', 'sn-03'], detail: { failedReboots: ['sn-02: sn-02 would not die'] } });
  });

  it('is a kind no heal step may name', () => {
    expect(faultNames.creating.has('reboot-wave')).toBe(true);
    expect(faultNames.healable.has('reboot-wave')).toBe(false);
  });
});

describe('reboot-wave in a scenario file and at the operator prompt', () => {
  const withStep = (action: unknown, ...more: unknown[]): unknown => {
    const scenario = validScenario();
    scenario.timeline.push({ at: '4h', action }, ...more);
    return scenario;
  };

  it('validates a wave, and refuses a bad one naming the field and the fix', () => {
    expect(validateScenario(withStep(wave)).timeline.at(-1)?.action).toEqual(wave);
    expect(problemsOf(withStep({ ...wave, target: { share: 2, of: 'both' } }))).toEqual(['timeline[5].action.target.share: must be between 0 and 1 (a share, e.g. 0.3 for 30%)']);
    expect(problemsOf(withStep({ ...wave, target: { share: 0.5, of: 'servers' } }))).toEqual([
      'timeline[5].action.target.of: "servers" is not allowed (use one of "clients", "peers", "both")',
    ]);
    expect(problemsOf(withStep({ ...wave, over: '0s' }))).toEqual(['timeline[5].action.over: must be longer than zero (e.g. "1.5s")']);
    expect(problemsOf(withStep({ ...wave, over: '100000h' }))).toEqual([
      'timeline[5].action.over: "100000h" lasts 27h47m of real time at this time scale, more than 24h (use at most 24h real time; a reboot wave longer than the run needs only to outlast duration)',
    ]);
    expect(problemsOf(withStep(wave, { at: '5h', action: { do: 'heal', id: 'update' } }))).toEqual([
      'timeline[6].action.id: "update" is a reboot-wave, which cannot be healed (remove the heal: the machines of a reboot-wave come back after downFor by themselves)',
    ]);
  });

  it('reads the same step from the operator', () => {
    expect(parseOperatorCommand('reboot both 50% over=2h down=30m as update', (kind) => `${kind}-1`)).toEqual({ kind: 'step', action: wave });
    expect(() => parseOperatorCommand('reboot both 50%', (kind) => `${kind}-1`)).toThrow('reboot needs over=<duration>');
  });
});
