import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../harness/errors.js';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import type { OutageSignature } from '../../../harness/scenario/types.js';
import { combineOutcomes, judgeRun } from '../../../harness/verdict/judge-run.js';
import { buildRunReport, reportOutcome } from '../../../harness/verdict/run-report.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';
import { HistoryBuilder, dedicatedHistory, p2pOutageHistory } from './history-builder.js';

const withEnd = (events: readonly HistoryEvent[], outcome: 'completed' | 'aborted' | 'interrupted' | 'failed' | undefined): HistoryEvent[] => {
  const rest = events.filter((e) => e.type !== 'run-end');
  const last = events.at(-1)?.t ?? 0;
  return outcome === undefined ? rest : [...rest, { t: last, type: 'run-end', outcome }];
};

describe('judgeRun', () => {
  it('carries where the nodes ran (the last placement written) into the verdict, and no placement when none was written', () => {
    const events = p2pOutageHistory();
    const end = events.findIndex((e) => e.type === 'run-end');
    const byHost = { vm: ['toxiproxy', 'login'], 'sc-w1': ['sn-1', 'fleet-1'] };
    const placed: HistoryEvent[] = [...events.slice(0, end), { t: events[end]!.t, type: 'placement', summary: 'spread', byHost }, ...events.slice(end)];
    expect(judgeRun(placed).placement).toEqual({ summary: 'spread', byHost });
    expect(judgeRun(placed).verdict).toBe('pass');
    expect(judgeRun(events)).not.toHaveProperty('placement');
  });

  it('passes the p2p outage history against its outage signature', () => {
    const verdict = judgeRun(p2pOutageHistory());
    expect(verdict).toMatchObject({ architecture: 'p2p', expectation: 'reproduces-outage', verdict: 'pass', outcome: 'completed' });
    expect(verdict.targets.map((t) => [t.name, t.measured, t.outcome])).toEqual([
      ['run completed', 'completed', 'pass'],
      ['timeline steps ran', 'all', 'pass'],
      ['outage: supernode loss (direct)', 0.3, 'pass'],
      ['outage: cascade amplification', 3, 'pass'],
      ['outage: online low point', 0.1, 'pass'],
      ['outage: cascade continues after heal', 'yes', 'pass'],
    ]);
    expect(verdict.summary).toEqual({
      steadyOnlineClients: 1_000,
      minOnlineFraction: 0.1,
      supernodesLostDirect: 3,
      supernodesLostTotal: 9,
      supernodesAtSteadyState: 10,
      supernodesEverInNetwork: 10,
      cascadeAmplification: 3,
      recovered: true,
      recoverySeconds: 15,
      recoveryScenarioHours: 15,
      messagesLost: 0,
      lookupSuccessAfterRecovery: 1,
      cascadeContinuedAfterHeal: true,
      // The fixture scenario states no fidelity row.
      fidelity: [],
    });
  });

  it('passes the dedicated history against its targets', () => {
    const verdict = judgeRun(dedicatedHistory());
    expect(verdict.verdict).toBe('pass');
    expect(verdict.targets.map((t) => [t.name, t.target, t.measured, t.outcome])).toEqual([
      ['run completed', 'completed', 'completed', 'pass'],
      ['timeline steps ran', 'every step', 'all', 'pass'],
      ['recovery time', '<= 10h', 4.5, 'pass'],
      ['availability floor', '>= 0.70', 0.8, 'pass'],
      ['messages lost', '<= 0', 0, 'pass'],
    ]);
    expect(verdict.summary.supernodesLostDirect).toBe(0);
    expect(verdict.summary.cascadeAmplification).toBeNull();
  });

  it('fails an outage that did not happen: the dedicated-like history judged as p2p', () => {
    const calm = new HistoryBuilder('p2p')
      .steady()
      .fault(10_000, 'trigger', 'inject')
      .fault(12_000, 'trigger', 'heal')
      .samples(10_000, 20_000, { online: 950 })
      .end(20_000)
      .build();
    const verdict = judgeRun(calm);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.targets.filter((t) => t.outcome === 'fail').map((t) => t.name)).toEqual([
      'outage: supernode loss (direct)',
      'outage: cascade amplification',
      'outage: online low point',
      'outage: cascade continues after heal',
    ]);
  });

  it('fails the p2p history against dedicated-style targets', () => {
    const events = new HistoryBuilder('p2p', {
      expectation: 'meets-targets',
      targets: { recoveryWithin: '5h', availabilityFloor: 0.7, maxSupernodeLossDirect: 0, maxCascadeAmplification: 1.5 },
    })
      .steady()
      .build();
    const outage = p2pOutageHistory().filter((e) => e.type !== 'run-start');
    const verdict = judgeRun([...events.slice(0, 1), ...outage]);
    expect(verdict.expectation).toBe('meets-targets');
    expect(verdict.targets.map((t) => t.outcome)).toEqual(['pass', 'pass', 'fail', 'fail', 'fail', 'fail']);
  });

  it('does not pass a run that did not complete', () => {
    const history = dedicatedHistory();
    expect(judgeRun(withEnd(history, 'aborted')).verdict).toBe('fail');
    expect(judgeRun(withEnd(history, 'interrupted'))).toMatchObject({ verdict: 'unknown', outcome: 'interrupted' });
    expect(judgeRun(withEnd(history, 'failed')).verdict).toBe('unknown');
    expect(judgeRun(withEnd(history, undefined))).toMatchObject({ verdict: 'unknown', outcome: 'unknown' });
  });

  it('judges a history with no samples as unknown, each target under its own name, and summarizes it with nulls', () => {
    const verdict = judgeRun(new HistoryBuilder('dedicated').fault(10, 'x', 'inject').end(20).build());
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.map((t) => [t.name, t.outcome])).toEqual([
      ['run completed', 'pass'],
      ['timeline steps ran', 'pass'],
      ['recovery time', 'unknown'],
      ['availability floor', 'unknown'],
      ['messages lost', 'unknown'],
    ]);
    expect(verdict.targets[2]?.detail).toBe('could not be measured: no sample at steady state (before the first fault)');
    expect(verdict.summary).toEqual({
      steadyOnlineClients: null,
      minOnlineFraction: null,
      // No supernode went down in this history: that much is measured.
      supernodesLostDirect: 0,
      supernodesLostTotal: 0,
      supernodesAtSteadyState: null,
      supernodesEverInNetwork: null,
      cascadeAmplification: null,
      recovered: null,
      recoverySeconds: null,
      recoveryScenarioHours: null,
      messagesLost: null,
      lookupSuccessAfterRecovery: null,
      cascadeContinuedAfterHeal: null,
      fidelity: [],
    });
  });

  it('judges a p2p outage history without samples as unknown on every outage target, named', () => {
    const events = new HistoryBuilder('p2p').fault(10, 'trigger', 'inject').fault(20, 'trigger', 'heal').down(30, 'sn-01', 'self-protection').end(40).build();
    const verdict = judgeRun(events);
    expect(verdict.targets.map((t) => [t.name, t.outcome])).toEqual([
      ['run completed', 'pass'],
      ['timeline steps ran', 'pass'],
      ['outage: supernode loss (direct)', 'unknown'],
      ['outage: cascade amplification', 'unknown'],
      ['outage: online low point', 'unknown'],
      ['outage: cascade continues after heal', 'pass'],
    ]);
    expect(verdict.summary).toMatchObject({ minOnlineFraction: null, supernodesLostTotal: 1, messagesLost: null, cascadeContinuedAfterHeal: true, recovered: null });
  });

  it('says unknown under "outage signature" when the history states a signature it cannot be judged by', () => {
    const broken = new HistoryBuilder('p2p', { outage: { supernodeLossDirect: null } as unknown as OutageSignature }).steady().end(11_000).build();
    const verdict = judgeRun(broken);
    expect(verdict.targets.map((t) => [t.name, t.outcome])).toEqual([
      ['run completed', 'pass'],
      ['timeline steps ran', 'pass'],
      ['outage signature', 'unknown'],
    ]);
    expect(verdict.targets[2]?.detail).toMatch(/^could not be measured: /);
    expect(verdict.verdict).toBe('unknown');
  });

  it('leaves the cascade after heal null in the summary when the trigger was never healed', () => {
    const unhealed = p2pOutageHistory().filter((e) => !(e.type === 'fault' && e.action === 'heal'));
    expect(judgeRun(unhealed).summary.cascadeContinuedAfterHeal).toBeNull();
    expect(judgeRun(unhealed).targets.find((t) => t.name === 'outage: cascade continues after heal')).toMatchObject({ outcome: 'unknown', detail: 'the trigger was never healed' });
  });

  it('says the run never recovered apart from not knowing', () => {
    const never = new HistoryBuilder('dedicated').steady().fault(10_000, 'x', 'inject').samples(10_000, 15_000, { online: 100 }).end(15_000).build();
    expect(judgeRun(never).summary).toMatchObject({ recovered: false, recoverySeconds: null, recoveryScenarioHours: null, minOnlineFraction: 0.1 });
  });

  it('needs a run-start', () => {
    let caught: unknown;
    try {
      judgeRun([{ t: 0, type: 'mark', label: 'x' }]);
    } catch (error) {
      caught = error;
    }
    expect(isChaosError(caught) && caught.code).toBe('INVALID_CONFIG');
  });

  it('combines outcomes: any fail fails, else any unknown is unknown', () => {
    const r = (outcome: 'pass' | 'fail' | 'unknown') => ({ name: 'x', target: 'y', measured: null, outcome, pass: outcome === 'pass' });
    expect(combineOutcomes([r('pass'), r('unknown'), r('fail')])).toBe('fail');
    expect(combineOutcomes([r('pass'), r('unknown')])).toBe('unknown');
    expect(combineOutcomes([r('pass')])).toBe('pass');
  });
});

describe('buildRunReport', () => {
  it('puts both architectures side by side with the seed the runs used', () => {
    const report = buildRunReport(validScenarioDefinition(), 'local', [p2pOutageHistory(), dedicatedHistory()], { now: new Date('2026-02-03T04:05:06Z') });
    expect(report).toMatchObject({ scenario: 'fixture', description: 'a small valid scenario', seed: 99, platform: 'local', generatedAt: '2026-02-03T04:05:06.000Z' });
    expect(report.runs.map((run) => [run.architecture, run.verdict])).toEqual([
      ['p2p', 'pass'],
      ['dedicated', 'pass'],
    ]);
    expect(reportOutcome(report)).toBe('pass');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(reportOutcome({ ...report, runs: [] })).toBe('unknown');
  });
});
