import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../harness/errors.js';
import { timelineActionSchema } from '../../../harness/scenario/scenario-schema.js';
import type { Distribution, TimelineAction } from '../../../harness/scenario/types.js';
import { checkAction, faultKindNamed } from '../../../harness/faults/registry.js';
import { executorOnFakes as setUp } from './fake-network.js';

const latency: TimelineAction = {
  do: 'inject',
  id: 'trigger',
  target: { links: { from: 'any', to: { group: 'offline-messages' } } },
  toxic: { type: 'latency', attributes: { latency: 3_000 } },
};

describe('ActionExecutor', () => {
  it('injects a toxic on every link into the chosen nodes, records it, and heals it by id', async () => {
    const { executor, journal, records, links } = await setUp();
    await executor.execute(latency, 'timeline[1]');
    expect(journal).toEqual(['add latency_1 on clients->offline-1', 'add latency_1 on supernodes->offline-1', 'record fault inject trigger']);
    expect(records).toEqual([
      { type: 'fault', id: 'trigger', action: 'inject', kind: 'latency', targets: ['clients->offline-1', 'supernodes->offline-1'], detail: { latency: 3_000 }, startedT: 0 },
    ]);
    expect(executor.activeFaults()).toEqual(['trigger']);

    journal.length = 0;
    await executor.execute({ do: 'heal', id: 'trigger' }, 'timeline[2]');
    expect(journal).toEqual(['remove latency_1 on clients->offline-1', 'remove latency_1 on supernodes->offline-1', 'record fault heal trigger']);
    expect(records.at(-1)).toEqual({ type: 'fault', id: 'trigger', action: 'heal', kind: 'toxic', targets: ['clients->offline-1', 'supernodes->offline-1'], startedT: 0 });
    expect([...links.made.values()].every((link) => link.toxics.size === 0)).toBe(true);
    expect(executor.activeFaults()).toEqual([]);

    // A second heal (the rollback's) finds nothing to do.
    await executor.execute({ do: 'heal', id: 'trigger' }, 'rollback:heal');
    expect(await executor.healAll()).toEqual([]);
    expect(records).toHaveLength(2);
  });

  it('fails a toxic Toxiproxy refuses with its own error, records no injection, and still heals what landed at rollback', async () => {
    const { executor, journal, records, links } = await setUp({ refuseToxicOn: (link) => link === 'supernodes->offline-1' });
    const failure = await executor.execute(latency, 'timeline[1]').catch((error: unknown) => error);
    expect(isChaosError(failure) && failure.code).toBe('TOXIPROXY_UNAVAILABLE');
    expect(journal).toEqual(['add latency_1 on clients->offline-1', 'refuse latency on supernodes->offline-1']);
    expect(records).toEqual([]);
    expect(executor.activeFaults()).toEqual(['trigger']);

    expect(await executor.healAll()).toEqual([]);
    expect(links.made.get('clients->offline-1')?.toxics.size).toBe(0);
    expect(records).toEqual([{ type: 'fault', id: 'trigger', action: 'heal', kind: 'toxic', targets: ['clients->offline-1'], startedT: 0 }]);
  });

  it('cuts and heals links, pauses and resumes nodes, and heals everything left at rollback in the order injected', async () => {
    const { executor, journal, records } = await setUp();
    await executor.execute({ do: 'cut', id: 'split', target: { links: { from: 'clients', to: { group: 'supernodes', count: 2 } } } }, 'timeline[0]');
    await executor.execute({ do: 'pause', id: 'freeze', target: { nodes: { group: 'offline-messages' } } }, 'timeline[1]');
    await executor.execute(latency, 'timeline[2]');
    expect(journal.slice(0, 3)).toEqual(['down clients->sn-01', 'down clients->sn-02', 'record fault inject split']);
    expect(journal.slice(3, 5)).toEqual(['pause offline-1', 'record fault inject freeze']);
    expect(records.slice(0, 2)).toEqual([
      { type: 'fault', id: 'split', action: 'inject', kind: 'down', targets: ['clients->sn-01', 'clients->sn-02'], startedT: 0 },
      { type: 'fault', id: 'freeze', action: 'inject', kind: 'pause', targets: ['offline-1'], startedT: 0 },
    ]);

    journal.length = 0;
    expect(await executor.healAll()).toEqual([]);
    expect(journal.filter((line) => line.startsWith('record'))).toEqual(['record fault heal split', 'record fault heal freeze', 'record fault heal trigger']);
    expect(journal).toContain('up clients->sn-01');
    expect(journal).toContain('resume offline-1');
    expect(records.slice(3).map((r) => r.type === 'fault' && r.kind)).toEqual(['cut', 'pause', 'toxic']);
  });

  it('goes on healing the others when one heal fails, and returns the failure', async () => {
    const { executor, records } = await setUp({ failRemoveOn: (link) => link.endsWith('offline-1') });
    await executor.execute(latency, 'timeline[0]');
    await executor.execute({ do: 'cut', id: 'split', target: { links: { from: 'any', to: { group: 'supernodes', count: 1 } } } }, 'timeline[1]');
    const failures = await executor.healAll();
    expect(failures.map(String)).toEqual(['Error: cannot remove latency_1 from clients->offline-1']);
    expect(records.at(-1)).toEqual({ type: 'fault', id: 'split', action: 'heal', kind: 'cut', targets: ['clients->sn-01', 'supernodes->sn-01'], startedT: 0 });
    expect(executor.activeFaults()).toEqual([]);
  });

  it('crashes the chosen nodes (never a standby peer), announcing the kill and the restart before it, and only closes the crash at rollback', async () => {
    const { executor, journal, records, restarts, topology } = await setUp();
    const restartAfter: Distribution = { kind: 'fixed', value: '1h' };
    await executor.execute({ do: 'crash', id: 'crash-all', target: { nodes: { group: 'supernodes' } }, restartAfter }, 'timeline[3]');
    const linksIn = ['clients->sn-01', 'supernodes->sn-01', 'clients->sn-02', 'supernodes->sn-02', 'clients->sn-03', 'supernodes->sn-03'];
    // Every victim is cut off before the first kill, and reachable again (dead) once the last is done.
    expect(journal).toEqual([
      'expect kill sn-01',
      'expect kill sn-02',
      'expect kill sn-03',
      ...linksIn.map((link) => `down ${link}`),
      'kill sn-01',
      'kill sn-02',
      'kill sn-03',
      ...linksIn.map((link) => `up ${link}`),
      'record fault inject crash-all',
    ]);
    expect(restarts.map(([name]) => name)).toEqual(['sn-01', 'sn-02', 'sn-03']);
    expect((await topology.node('peer-01')?.handle.inspect())?.state).toBe('running');
    await executor.healAll();
    expect(records.at(-1)).toEqual({ type: 'fault', id: 'crash-all', action: 'heal', kind: 'crash', targets: ['sn-01', 'sn-02', 'sn-03'], startedT: 0 });
  });

  it('stamps each record of a step with when the step began, not when it was done (a slow kill, a slow heal)', async () => {
    // The engine takes 1.5 s per kill: the clock moves on while the step runs.
    const clock = { t: 4_000 };
    const slow = await setUp({ beforeKill: () => Promise.resolve(void (clock.t += 1_500)) }, clock);
    await slow.executor.execute({ do: 'crash', id: 'box', target: { nodes: { group: 'supernodes', count: 2 } } }, 'timeline[1]');
    expect(clock.t).toBe(7_000);
    expect(slow.records).toEqual([{ type: 'fault', id: 'box', action: 'inject', kind: 'crash', targets: ['sn-01', 'sn-02'], startedT: 4_000 }]);

    await slow.executor.execute({ do: 'add-supernodes', label: 'wave', count: 1, tuning: 'mega' }, 'timeline[2]');
    expect(slow.records.slice(1)).toEqual([
      { type: 'node', node: 'mega-01', role: 'supernode', change: 'added' },
      expect.objectContaining({ type: 'remedy', label: 'wave', added: ['mega-01'], startedT: 7_000 }),
    ]);

    // A heal the rollback runs starts when the rollback reaches it.
    clock.t = 9_000;
    await slow.executor.healAll();
    expect(slow.records.at(-1)).toEqual({ type: 'fault', id: 'box', action: 'heal', kind: 'crash', targets: ['sn-01', 'sn-02'], startedT: 9_000 });
  });

  it('fails a crash whose node will not die, keeping its heal for the rollback, with its links up again', async () => {
    const { executor, records, topology } = await setUp({ refuseKill: (node) => node === 'sn-02' });
    await expect(executor.execute({ do: 'crash', id: 'c', target: { nodes: { group: 'supernodes' } } }, 'timeline[0]')).rejects.toThrow('sn-02 would not die');
    expect(records).toEqual([]);
    expect(executor.activeFaults()).toEqual(['c']);
    expect(topology.linksTo(['sn-01', 'sn-02', 'sn-03'], 'any').filter((link) => !link.up_)).toEqual([]);
  });

  it('leaves a cut link down when a crash behind it is done, and brings it up only at the cut\'s heal', async () => {
    const { executor, journal, topology } = await setUp();
    await executor.execute({ do: 'cut', id: 'split', target: { links: { from: 'clients', to: { group: 'supernodes', count: 3 } } } }, 'timeline[0]');
    await executor.execute({ do: 'crash', id: 'box', target: { nodes: { group: 'supernodes', count: 1 } } }, 'timeline[1]');
    const victim = journal.find((line) => line.startsWith('kill '))?.slice('kill '.length) ?? 'no kill';
    const clientsLink = topology.linksTo([victim], 'clients')[0];
    const peersLink = topology.linksTo([victim], 'supernodes')[0];
    expect(clientsLink?.up_).toBe(false);
    expect(peersLink?.up_).toBe(true);
    await executor.execute({ do: 'heal', id: 'split' }, 'timeline[2]');
    expect(topology.linksTo(['sn-01', 'sn-02', 'sn-03'], 'any').filter((link) => !link.up_)).toEqual([]);
  });

  it('adds supernodes numbered over the whole run, watches them, and records each node and the remedy', async () => {
    const { executor, records, journal, topology } = await setUp();
    await executor.execute({ do: 'add-supernodes', label: 'wave 1', count: 2, tuning: 'mega' }, 'timeline[4]');
    await executor.execute({ do: 'add-supernodes', label: 'wave 2', count: 1, tuning: 'default' }, 'timeline[5]');
    expect(topology.nodes('supernodes').map((node) => node.handle.name)).toEqual(['sn-01', 'sn-02', 'sn-03', 'peer-01', 'mega-01', 'mega-02', 'mega-03']);
    expect(topology.linksTo(['mega-03'], 'any').map((link) => link.name)).toEqual(['clients->mega-03', 'supernodes->mega-03']);
    expect(journal.filter((line) => line.startsWith('watch'))).toEqual(['watch mega-01', 'watch mega-02', 'watch mega-03']);
    expect(records.map((r) => (r.type === 'remedy' ? `remedy ${r.label} ${r.added.join(',')}` : r.type === 'node' ? `${r.change} ${r.node}` : r.type))).toEqual([
      'added mega-01',
      'added mega-02',
      'remedy wave 1 mega-01,mega-02',
      'added mega-03',
      'remedy wave 2 mega-03',
    ]);
    expect(executor.activeFaults()).toEqual([]);
  });

  it('records a mark', async () => {
    const { executor, records } = await setUp();
    await executor.execute({ do: 'mark', label: 'T0' }, 'timeline[0]');
    expect(records).toEqual([{ type: 'mark', label: 'T0', startedT: 0 }]);
  });

  it('refuses a step of no known kind, or one that does not fit its kind, before touching anything', async () => {
    const { executor, journal } = await setUp();
    await expect(executor.execute({ do: 'explode' } as never, 'timeline[0]')).rejects.toMatchObject({ code: 'INVALID_SCENARIO', message: 'no step kind "explode"' });
    const malformed = await executor.execute({ do: 'crash', id: 'c', target: { nodes: { group: 'moon' } } } as never, 'timeline[0]').catch((error: unknown) => error);
    expect(malformed).toMatchObject({ code: 'INVALID_SCENARIO', message: 'a crash step does not fit its kind' });
    expect(isChaosError(malformed) ? malformed.details.join('\n') : '').toMatch(/target\.nodes\.group/);
    expect(journal).toEqual([]);
  });
});

describe('the fault registry', () => {
  const actions: TimelineAction[] = [
    { do: 'mark', label: 'T0' },
    latency,
    { do: 'cut', id: 'split', target: { links: { from: 'clients', to: { group: 'supernodes', fraction: 0.5 } } } },
    { do: 'crash', id: 'c', target: { nodes: { group: 'supernodes', count: 2 } }, restartAfter: { kind: 'uniform', min: '1h', max: '2h' } },
    { do: 'pause', id: 'p', target: { nodes: { group: 'login' } } },
    { do: 'add-supernodes', label: 'wave', count: 3, tuning: 'mega' },
    { do: 'slow-close', id: 's', target: { nodes: { group: 'supernodes', fraction: 0.5 } }, delayMs: 100 },
  ];

  it('has a kind for every action the scenario schema accepts, reading each as the scenario does', () => {
    for (const action of actions) {
      expect(timelineActionSchema.safeParse(action).success).toBe(true);
      expect(checkAction(faultKindNamed(action.do), action)).toEqual(action);
      const broken = { ...action, unknownField: 1 };
      expect(timelineActionSchema.safeParse(broken).success).toBe(false);
      expect(() => checkAction(faultKindNamed(action.do), broken)).toThrow(/does not fit its kind/);
    }
  });
});
