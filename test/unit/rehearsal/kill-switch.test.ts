import { describe, expect, it } from 'vitest';
import { type KillSwitchWorld, type ProxyState, pullKillSwitch, renderKillSwitchReport } from '../../../harness/rehearsal/kill-switch.js';
import type { RehearsalRecord } from '../../../harness/rehearsal/rehearsal-registry.js';

function world(overrides: Partial<KillSwitchWorld> = {}) {
  const done: string[] = [];
  const proxies: Record<string, ProxyState[]> = {
    'http://127.0.0.1:1': [
      { name: 'r1.clients->offline-1', enabled: true, toxics: [{ name: 'latency_downstream_1', type: 'latency' }] },
      { name: 'r1.clients->sn-01', enabled: false, toxics: [] },
      { name: 'r1.clients->login', enabled: true, toxics: [] },
    ],
    'http://127.0.0.1:2': [{ name: 'r2.supernodes->sn-02', enabled: true, toxics: [{ name: 'bandwidth_upstream_3', type: 'bandwidth' }] }],
  };
  const rehearsal: RehearsalRecord = { id: 'a', harness: { pid: 11 }, url: 'http://127.0.0.1:5', killSwitchToken: 'k', scenario: 'small', architecture: 'dedicated' };
  const dead: RehearsalRecord = { ...rehearsal, id: 'b', harness: { pid: 12 } };
  const fake: KillSwitchWorld = {
    rehearsals: async () => [rehearsal, dead],
    isAlive: (identity) => identity.pid === 11,
    pullRehearsal: async (record, caller) => {
      done.push(`pull ${record.harness.pid} by ${caller}`);
      return { ok: true, message: 'healed inject-1\nhealed pause-1' };
    },
    toxiproxies: async () => [
      { api: 'http://127.0.0.1:1', runId: 'r1' },
      { api: 'http://127.0.0.1:2', runId: 'r2' },
    ],
    proxies: async (api) => proxies[api] ?? [],
    removeToxic: async (api, proxy, toxic) => void done.push(`remove ${toxic} ${proxy}`),
    enableProxy: async (api, proxy) => void done.push(`enable ${proxy}`),
    paused: async () => [{ id: 'pid:77', name: 'node sn-01 (pid 77)', runId: 'r1' }],
    resume: async (thing) => void done.push(`resume ${thing.id}`),
    ...overrides,
  };
  return { fake, done };
}

describe('chaos heal, the kill switch', () => {
  it('asks each live rehearsal first, then removes every toxic, enables every proxy and resumes paused nodes', async () => {
    const { fake, done } = world();
    const report = await pullKillSwitch(fake, 'chaos heal (pid 1)');
    expect(done).toEqual([
      'pull 11 by chaos heal (pid 1)',
      'remove latency_downstream_1 r1.clients->offline-1',
      'enable r1.clients->sn-01',
      'remove bandwidth_upstream_3 r2.supernodes->sn-02',
      'resume pid:77',
    ]);
    expect(report.removed).toBe(4);
    expect(report.failures).toEqual([]);
    expect(renderKillSwitchReport(report)).toBe(
      [
        'rehearsal small (dedicated, pid 11):\n  healed inject-1\n  healed pause-1',
        'removed latency toxic latency_downstream_1 from r1.clients->offline-1 (run r1)',
        'brought r1.clients->sn-01 back up (run r1)',
        'removed bandwidth toxic bandwidth_upstream_3 from r2.supernodes->sn-02 (run r2)',
        'resumed node sn-01 (pid 77) (run r1)',
        'kill switch: 4 faults removed from Toxiproxy and nodes directly',
      ].join('\n'),
    );
  });

  it('goes on past what fails and says so', async () => {
    const { fake } = world({
      proxies: async (api) => {
        if (api.endsWith(':1')) throw new Error('connection refused');
        return [{ name: 'p', enabled: true, toxics: [{ name: 't', type: 'latency' }] }];
      },
      removeToxic: async () => {
        throw new Error('HTTP 500');
      },
      paused: async () => [],
    });
    const report = await pullKillSwitch(fake, 'x');
    expect(report.failures).toEqual(['Toxiproxy http://127.0.0.1:1 of run r1: connection refused', 'toxic t on p: HTTP 500']);
    expect(renderKillSwitchReport(report)).toContain('failed: toxic t on p: HTTP 500');
  });

  it('says when there is nothing to heal', async () => {
    const { fake } = world({ rehearsals: async () => [], toxiproxies: async () => [], paused: async () => [] });
    expect(renderKillSwitchReport(await pullKillSwitch(fake, 'x'))).toBe('nothing to heal: no fault in place on this machine');
  });
});
