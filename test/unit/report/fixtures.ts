import type { ClusterTotals, HistoryEvent } from '../../../harness/observe/history-types.js';
import type { Architecture, Expectation, ScenarioDefinition } from '../../../harness/scenario/types.js';
import type { ArchitectureVerdict, FidelityFigure, RunReport, RunSummary } from '../../../harness/verdict/verdict-types.js';

/** Synthetic histories and a report shaped like a skype-2010 run: p2p reproduces the outage, dedicated rides it out. */

export const MS_PER_SCENARIO_HOUR = 1_500;
export const SAMPLE_EVERY_MS = 500;
export const RUN_END_MS = 60_000;
export const TIMELINE_START_MS = 8_000;
/** The trigger (latency on offline-messages) is injected and healed at these times in both histories. */
export const TRIGGER = { id: 'offline-latency', inject: 9_000, heal: 15_000 } as const;

const definition = {
  name: 'skype-2010',
  description: 'fixture',
} as unknown as ScenarioDefinition;

/** Linear interpolation through (t, value) points; flat outside them. */
function curve(points: readonly (readonly [number, number])[]): (t: number) => number {
  return (t) => {
    const first = points[0];
    if (first === undefined || t <= first[0]) return first?.[1] ?? 0;
    for (let i = 1; i < points.length; i += 1) {
      const [t1, v1] = points[i]!;
      const [t0, v0] = points[i - 1]!;
      if (t <= t1) return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
    }
    return points[points.length - 1]![1];
  };
}

interface Shape {
  readonly architecture: Architecture;
  readonly expectation: Expectation;
  readonly clients: number;
  readonly online: (t: number) => number;
  readonly supernodesTotal: (t: number) => number;
  readonly supernodesServing: (t: number) => number;
  readonly loadMean: (t: number) => number;
  readonly loadMax: (t: number) => number;
  /** Share of lookups that fail per interval. */
  readonly lookupFailure: (t: number) => number;
  readonly extra: readonly HistoryEvent[];
}

function buildHistory(shape: Shape): HistoryEvent[] {
  const events: HistoryEvent[] = [
    {
      t: 0,
      type: 'run-start',
      scenario: 'skype-2010',
      architecture: shape.architecture,
      expectation: shape.expectation,
      seed: 2010,
      platform: 'local',
      msPerScenarioHour: MS_PER_SCENARIO_HOUR,
      definition,
      startedAt: '2024-12-22T10:00:00.000Z',
    },
    { t: 0, type: 'phase', phase: 'deploying' },
    { t: 2_000, type: 'phase', phase: 'steady-state' },
    { t: TIMELINE_START_MS, type: 'phase', phase: 'timeline' },
    { t: TIMELINE_START_MS, type: 'mark', label: 'T0' },
    { t: TRIGGER.inject, type: 'fault', id: TRIGGER.id, action: 'inject', kind: 'latency', targets: ['clients->offline-messages-1'], detail: { latency: 4000 } },
    { t: TRIGGER.heal, type: 'fault', id: TRIGGER.id, action: 'heal', kind: 'latency', targets: ['clients->offline-messages-1'] },
    ...shape.extra,
    { t: 55_000, type: 'phase', phase: 'rollback' },
    { t: 57_000, type: 'phase', phase: 'teardown' },
  ];
  let lookupsOk = 0;
  let lookupsFailed = 0;
  for (let t = 2_000; t <= RUN_END_MS - 4_000; t += SAMPLE_EVERY_MS) {
    const lookups = 200;
    const failed = Math.round(lookups * shape.lookupFailure(t));
    lookupsOk += lookups - failed;
    lookupsFailed += failed;
    const serving = Math.round(shape.supernodesServing(t));
    const totals: ClusterTotals = {
      clientsTotal: shape.clients,
      clientsOnline: Math.round(shape.online(t)),
      supernodesTotal: Math.round(shape.supernodesTotal(t)),
      supernodesServing: serving,
      sessions: Math.round(shape.online(t)),
      capacitySessions: serving * 60,
      loadMean: shape.loadMean(t),
      loadMax: shape.loadMax(t),
      lookupsOk,
      lookupsFailed,
      imsAccepted: t * 2,
      imsReceived: t * 2,
      imsDuplicate: 0,
      offlinePending: 0,
      clientCrashes: t > TRIGGER.inject ? 200 : 0,
      clientRestarts: t > 20_000 ? 200 : 0,
    };
    events.push({ t, type: 'sample', totals, nodes: { 'supernode-1': { role: 'supernode', up: true, ready: true, state: 'serving', load: totals.loadMean } } });
  }
  events.push({ t: RUN_END_MS, type: 'phase', phase: 'done' }, { t: RUN_END_MS, type: 'run-end', outcome: 'completed' });
  return events.sort((a, b) => a.t - b.t);
}

function supernodeDowns(from: number, every: number, count: number, first: number, cause: 'client-bug' | 'self-protection'): HistoryEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    t: from + i * every,
    type: 'node' as const,
    node: `supernode-${first + i}`,
    role: 'supernode',
    change: 'down' as const,
    cause,
  }));
}

export function p2pHistory(): HistoryEvent[] {
  return buildHistory({
    architecture: 'p2p',
    expectation: 'reproduces-outage',
    clients: 1_000,
    online: curve([[2_000, 950], [9_000, 950], [12_000, 760], [20_000, 300], [26_000, 80], [32_000, 120], [45_000, 700], [52_000, 920]]),
    supernodesTotal: curve([[2_000, 40], [30_000, 40], [31_000, 44], [37_000, 52]]),
    supernodesServing: curve([[2_000, 40], [10_000, 40], [11_000, 30], [16_000, 30], [25_000, 12], [30_000, 12], [31_000, 16], [37_000, 28], [50_000, 44]]),
    loadMean: curve([[2_000, 0.62], [11_000, 0.8], [18_000, 1.3], [26_000, 1.6], [37_000, 0.9], [50_000, 0.6]]),
    loadMax: curve([[2_000, 0.75], [11_000, 1.1], [18_000, 2.1], [26_000, 2.4], [37_000, 1.2], [50_000, 0.8]]),
    lookupFailure: curve([[2_000, 0.01], [11_000, 0.05], [24_000, 0.7], [36_000, 0.5], [48_000, 0.03]]),
    extra: [
      ...supernodeDowns(10_000, 100, 10, 1, 'client-bug'),
      ...supernodeDowns(16_000, 900, 10, 11, 'self-protection'),
      { t: 30_000, type: 'remedy', label: 'mega-supernodes wave 1', added: ['mega-1', 'mega-2', 'mega-3', 'mega-4'] },
      { t: 36_000, type: 'remedy', label: 'mega-supernodes wave 2', added: ['mega-5', 'mega-6', 'mega-7', 'mega-8', 'mega-9', 'mega-10', 'mega-11', 'mega-12'] },
      { t: 40_000, type: 'mark', label: 'controlled re-entry' },
    ],
  });
}

export function dedicatedHistory(): HistoryEvent[] {
  return buildHistory({
    architecture: 'dedicated',
    expectation: 'meets-targets',
    clients: 1_000,
    online: curve([[2_000, 960], [9_000, 960], [12_000, 790], [18_000, 820], [24_000, 950]]),
    supernodesTotal: curve([[2_000, 8], [60_000, 8]]),
    supernodesServing: curve([[2_000, 8], [20_000, 8], [20_500, 7], [26_000, 7], [26_500, 8]]),
    loadMean: curve([[2_000, 0.3], [12_000, 0.45], [20_000, 0.55], [26_000, 0.35]]),
    loadMax: curve([[2_000, 0.38], [12_000, 0.6], [20_000, 0.75], [26_000, 0.42]]),
    lookupFailure: curve([[2_000, 0.0], [12_000, 0.02], [20_000, 0.01], [26_000, 0.0]]),
    extra: [
      { t: 20_000, type: 'fault', id: 'crash-one', action: 'inject', kind: 'crash', targets: ['supernode-3'] },
      { t: 20_000, type: 'node', node: 'supernode-3', role: 'supernode', change: 'down', cause: 'fault' },
      { t: 26_000, type: 'fault', id: 'crash-one', action: 'heal', kind: 'crash', targets: ['supernode-3'] },
      { t: 26_000, type: 'node', node: 'supernode-3', role: 'supernode', change: 'restarted' },
      { t: 27_000, type: 'remedy', label: 'autoscale +1', added: ['supernode-9'] },
    ],
  });
}

/** skype-2010's fidelity rows, the recovery at T0+20h, +22h, +27h and +30h and the direct loss, with these measured. */
function skypeFidelity(measured: readonly [number | null, number | null, number | null, number | null, number | null]): FidelityFigure[] {
  const online = (hours: number, published: string, expected: number, value: number | null): FidelityFigure => ({
    quantity: `online users ${hours} h after T0, share of normal`,
    published,
    expected,
    measured: value,
    unit: 'share',
  });
  return [
    online(20, 'about 30%', 0.3, measured[0]),
    online(22, 'about 60%', 0.6, measured[1]),
    online(27, 'about 80%', 0.8, measured[2]),
    online(30, 'about 90%', 0.9, measured[3]),
    { quantity: 'supernodes lost directly, share of supernodes', published: '25-30% of supernodes', expected: 0.275, measured: measured[4], unit: 'share' },
  ];
}

const p2pRun: ArchitectureVerdict = {
  architecture: 'p2p',
  expectation: 'reproduces-outage',
  verdict: 'pass',
  outcome: 'completed',
  summary: {
    steadyOnlineClients: 950,
    minOnlineFraction: 0.084,
    supernodesLostDirect: 10,
    supernodesLostTotal: 28,
    supernodesAtSteadyState: 40,
    supernodesEverInNetwork: 46,
    cascadeAmplification: 2.8,
    recovered: true,
    recoverySeconds: 43.5,
    recoveryScenarioHours: 29,
    messagesLost: 12,
    lookupSuccessAfterRecovery: 0.97,
    cascadeContinuedAfterHeal: true,
    fidelity: skypeFidelity([0.312, 0.655, 0.9, null, 0.25]),
  },
  targets: [
    { name: 'supernode loss direct', target: '0.20-0.35', measured: 0.25, outcome: 'pass', pass: true },
    { name: 'cascade amplification', target: '>= 1.5', measured: 2.8, outcome: 'pass', pass: true },
    { name: 'online low point', target: '<= 0.30', measured: 0.084, outcome: 'pass', pass: true },
    { name: 'cascade continues after heal', target: 'yes', measured: 'yes', outcome: 'pass', pass: true },
    { name: 'lookup success after recovery', target: '>= 0.95', measured: null, outcome: 'unknown', pass: false, detail: 'checker crashed: no samples after recovery' },
  ],
};

const dedicatedRun: ArchitectureVerdict = {
  architecture: 'dedicated',
  expectation: 'meets-targets',
  verdict: 'fail',
  outcome: 'completed',
  summary: {
    steadyOnlineClients: 960,
    minOnlineFraction: 0.823,
    supernodesLostDirect: 0,
    supernodesLostTotal: 1,
    supernodesAtSteadyState: 8,
    supernodesEverInNetwork: 8,
    cascadeAmplification: null,
    recovered: true,
    recoverySeconds: 15,
    recoveryScenarioHours: 10,
    messagesLost: 3,
    lookupSuccessAfterRecovery: 0.999,
    cascadeContinuedAfterHeal: false,
    fidelity: skypeFidelity([1, 0.99, 1, null, 0]),
  },
  targets: [
    { name: 'recovery time', target: '<= 20s', measured: 15, outcome: 'pass', pass: true },
    { name: 'availability floor', target: '>= 0.70', measured: 0.823, outcome: 'pass', pass: true },
    { name: 'supernode loss direct', target: '<= 0', measured: 0, outcome: 'pass', pass: true },
    { name: 'messages lost', target: '<= 0', measured: 3, outcome: 'fail', pass: false, detail: '3 messages accepted but never delivered' },
    { name: 'lookup success after recovery', target: '>= 0.95', measured: 0.999, outcome: 'pass', pass: true },
  ],
};

/** A summary whose every measure threw (a history without samples). */
export const unmeasuredSummary: RunSummary = {
  steadyOnlineClients: null,
  minOnlineFraction: null,
  supernodesLostDirect: null,
  supernodesLostTotal: null,
  supernodesAtSteadyState: null,
  supernodesEverInNetwork: null,
  cascadeAmplification: null,
  recovered: null,
  recoverySeconds: null,
  recoveryScenarioHours: null,
  messagesLost: null,
  lookupSuccessAfterRecovery: null,
  cascadeContinuedAfterHeal: null,
  fidelity: skypeFidelity([null, null, null, null, null]),
};

/** The fixture report with the p2p run's summary unmeasured. */
export function unmeasuredP2pReport(): RunReport {
  const report = fixtureReport();
  return { ...report, runs: report.runs.map((run) => (run.architecture === 'p2p' ? { ...run, summary: unmeasuredSummary } : run)) };
}

export function fixtureReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    scenario: 'skype-2010',
    description: 'Offline-IM latency crashes buggy clients; p2p supernodes cascade, dedicated ones hold.',
    seed: 2010,
    platform: 'local',
    generatedAt: '2024-12-22T10:01:00.000Z',
    runs: [p2pRun, dedicatedRun],
    ...overrides,
  };
}

export function fixtureHistories(): Record<Architecture, HistoryEvent[]> {
  return { p2p: p2pHistory(), dedicated: dedicatedHistory() };
}
