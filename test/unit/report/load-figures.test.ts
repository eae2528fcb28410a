import { describe, expect, it } from 'vitest';
import { loadFigures } from '../../../harness/report/load-figures.js';
import { renderTerminalSummary } from '../../../harness/report/terminal-summary.js';
import type { LoadPrediction } from '../../../harness/verdict/load-prediction.js';
import type { OfferedLoad } from '../../../harness/verdict/offered-load.js';
import type { ArchitectureVerdict, HarnessSaturation, RunSummary } from '../../../harness/verdict/verdict-types.js';

const summary: RunSummary = {
  steadyOnlineClients: 1_000,
  minOnlineFraction: 0.2,
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
  fidelity: [],
};

const predicted: LoadPrediction = {
  clients: 212,
  supernodes: 10,
  directLossShare: 0.28,
  survivors: 7.2,
  crashedClientShare: 0.2,
  attemptRequestsPerSecond: 20,
  steadyRequestsPerSupernode: 31.8,
  peakRequestsPerSurvivor: 316.53,
  capacityRequestsPerSecond: 100,
  peakLoad: 3.1653,
  demandSurge: 7.167,
  busiest: { displaced: 16, peakLoad: 5.2 },
};

const measured: OfferedLoad = {
  predicted,
  steadyRequestsPerSupernode: 28.44,
  peakRequestsPerSupernode: 240,
  peakLoad: 2.4,
  busiestLoad: 3.9,
  peakAt: 12_000,
  surgeFactor: 8.44,
  networkSurgeFactor: 5.06,
  limit: 'fixture',
};

const run = (extra: { load?: OfferedLoad | null; saturation?: HarnessSaturation }): ArchitectureVerdict => ({
  architecture: 'p2p',
  expectation: 'reproduces-outage',
  verdict: 'pass',
  outcome: 'completed',
  summary,
  targets: [],
  ...extra,
});

const values = (verdict: ArchitectureVerdict): Record<string, string> => Object.fromEntries(loadFigures(verdict).map((f) => [f.label, f.value]));

describe('loadFigures', () => {
  it('renders a dash for every figure when the run carries no load and no saturation', () => {
    expect(loadFigures(run({}))).toEqual([
      { label: 'request capacity per supernode', value: '—' },
      { label: 'steady offered, predicted / measured', value: '— / —' },
      { label: 'peak load, predicted / measured', value: '— / —' },
      { label: 'busiest supernode, predicted / measured', value: '— / —' },
      { label: 'surge per supernode / network', value: '— / —' },
      { label: 'harness', value: '—' },
    ]);
    expect(values(run({ load: null }))['peak load, predicted / measured']).toBe('— / —');
  });

  it('shows predicted beside measured load', () => {
    expect(values(run({ load: measured }))).toMatchObject({
      'request capacity per supernode': '100.0/s',
      'steady offered, predicted / measured': '31.8/s / 28.4/s',
      'peak load, predicted / measured': '3.17× / 2.40×',
      'busiest supernode, predicted / measured': '5.20× (16 displaced clients, 19 networks in 20) / 3.90×',
      'surge per supernode / network': '8.4× / 5.1×',
    });
  });

  it('shows a dash for each half that is missing', () => {
    const unmeasured: OfferedLoad = { ...measured, peakLoad: null, steadyRequestsPerSupernode: null, surgeFactor: null, networkSurgeFactor: null };
    expect(values(run({ load: unmeasured }))).toMatchObject({
      'steady offered, predicted / measured': '31.8/s / —',
      'peak load, predicted / measured': '3.17× / —',
      'surge per supernode / network': '— / —',
    });
    const unpredicted: OfferedLoad = { ...measured, predicted: null };
    expect(values(run({ load: unpredicted }))).toMatchObject({
      'request capacity per supernode': '—',
      'peak load, predicted / measured': '— / 2.40×',
    });
  });

  it('says the harness delivered the load, with the figures it looked at', () => {
    const saturation: HarnessSaturation = { saturated: false, reasons: [], figures: { attemptsNotMadeShare: 0.031, fleetLagP99MaxSeconds: 0.042, lateTickShare: 0 } };
    expect(values(run({ saturation }))['harness']).toBe('delivered (attempts not made 3.1%, fleet lag p99 max 42 ms)');
    const blank: HarnessSaturation = { saturated: false, reasons: [], figures: { attemptsNotMadeShare: null, fleetLagP99MaxSeconds: null, lateTickShare: null } };
    expect(values(run({ saturation: blank }))['harness']).toBe('delivered (attempts not made —, fleet lag p99 max —)');
  });

  it('says the harness was saturated, counting the reasons listed below it', () => {
    const one: HarnessSaturation = { saturated: true, reasons: ['fleet-1: 23.0% of 950 scheduled attempts not made (bound 10.0%)'], figures: {} };
    expect(values(run({ saturation: one }))['harness']).toBe('saturated (1 reason below)');
    const two: HarnessSaturation = { ...one, reasons: [...one.reasons, 'sampler: 15.0% of ticks late by a whole 500 ms period (bound 10.0%)'] };
    expect(values(run({ saturation: two }))['harness']).toBe('saturated (2 reasons below)');
  });

  it('has the terminal summary list each reason below, as "harness saturated: <reason>"', () => {
    const reasons = ['fleet-1: 23.0% of 950 scheduled attempts not made (bound 10.0%)', 'sampler: 15.0% of ticks late by a whole 500 ms period (bound 10.0%)'];
    const verdict = run({ load: measured, saturation: { saturated: true, reasons, figures: {} } });
    const report = { scenario: 'fixture', description: '', seed: 1, platform: 'local', generatedAt: '2026-01-01T00:00:00.000Z', runs: [verdict] };
    const lines = renderTerminalSummary(report, { color: false }).split('\n');
    expect(lines).toContain(`  p2p: harness saturated: ${reasons[0]}`);
    expect(lines).toContain(`  p2p: harness saturated: ${reasons[1]}`);
    expect(lines.some((line) => line.includes('saturated (2 reasons below)'))).toBe(true);
    // What bounds the surge is said below the table, for a run with a prediction.
    expect(lines).toContain('  p2p: fixture');
  });
});
