import type { Architecture, Expectation } from '../../../harness/scenario/types.js';
import type { RepeatInput } from '../../../harness/verdict/repeat-summary.js';
import type { ArchitectureVerdict, CheckOutcome, RunReport, RunSummary, TargetResult } from '../../../harness/verdict/verdict-types.js';

/**
 * Four runs of a repeat, p2p and dedicated:
 * - p2p passes every run; only run 2 carries `load` figures.
 * - dedicated: run 0 pass, run 1 fails `messages lost`, run 2 pass, run 3 harness saturated.
 * - one fidelity row, online at T0+20h: 0.3 in every p2p run; dedicated 0.9, not measured, 0.95, 0.5 (saturated).
 */
export const SEEDS = [2010, 111, 222, 333] as const;

/**
 * The aggregation reads the summary generically (every numeric field), so the fixture is a plain
 * record cast once: it stays valid while RunSummary grows fields, and holds a flag (`recovered`)
 * and a series (`fidelity`) that must not be taken for figures.
 */
function summary(fields: Record<string, number | boolean | null | readonly unknown[]>): RunSummary {
  return fields as unknown as RunSummary;
}

const target = (name: string, measured: number | string | null, outcome: CheckOutcome): TargetResult => ({
  name,
  target: 'fixture',
  measured,
  outcome,
  pass: outcome === 'pass',
});

interface RunShape {
  readonly verdict: CheckOutcome;
  readonly recoverySeconds: number | null;
  readonly messagesLost: number;
  readonly targets: readonly TargetResult[];
  readonly saturated?: boolean;
  readonly load?: ArchitectureVerdict['load'];
  /** The one fidelity row's measured value (0.3 when not given). */
  readonly online20h?: number | null;
}

function run(architecture: Architecture, expectation: Expectation, shape: RunShape): ArchitectureVerdict {
  return {
    architecture,
    expectation,
    verdict: shape.verdict,
    outcome: 'completed',
    ...(shape.saturated === undefined ? {} : { saturation: { saturated: shape.saturated, reasons: shape.saturated ? ['fleet-1: 23% of scheduled attempts not made'] : [], figures: {} } }),
    ...(shape.load === undefined ? {} : { load: shape.load }),
    summary: summary({
      steadyOnlineClients: 950,
      minOnlineFraction: 0.8,
      cascadeAmplification: null,
      recovered: shape.recoverySeconds !== null,
      recoverySeconds: shape.recoverySeconds,
      messagesLost: shape.messagesLost,
      fidelity: [{ quantity: 'online users 20 h after T0, share of normal', published: 'about 30%', expected: 0.3, measured: shape.online20h === undefined ? 0.3 : shape.online20h, unit: 'share' }],
    }),
    targets: shape.targets,
  };
}

const dedicatedShapes: readonly RunShape[] = [
  { verdict: 'pass', recoverySeconds: 10, messagesLost: 0, online20h: 0.9, targets: [target('run completed', 'completed', 'pass'), target('messages lost', 0, 'pass'), target('lookup success', null, 'unknown')] },
  { verdict: 'fail', recoverySeconds: null, messagesLost: 3, online20h: null, targets: [target('run completed', 'completed', 'pass'), target('messages lost', 3, 'fail'), target('lookup success', null, 'unknown')] },
  { verdict: 'pass', recoverySeconds: 20, messagesLost: 1, online20h: 0.95, targets: [target('run completed', 'completed', 'pass'), target('messages lost', 1, 'pass'), target('lookup success', null, 'unknown')] },
  { verdict: 'unknown', recoverySeconds: 30, messagesLost: 0, saturated: true, online20h: 0.5, targets: [target('run completed', 'completed', 'pass'), target('messages lost', 0, 'pass'), target('lookup success', null, 'unknown')] },
];

const p2pLoad: ArchitectureVerdict['load'] = {
  predicted: null,
  steadyRequestsPerSupernode: 40,
  peakRequestsPerSupernode: 60,
  peakLoad: 1.5,
  busiestLoad: 2.5,
  peakAt: null,
  surgeFactor: 1.5,
  networkSurgeFactor: null,
  limit: 'fleet event loop',
};

function p2pShape(index: number): RunShape {
  return {
    verdict: 'pass',
    recoverySeconds: 40 + index,
    messagesLost: 0,
    saturated: false,
    ...(index === 2 ? { load: p2pLoad } : index === 1 ? { load: null } : {}),
    targets: [target('run completed', 'completed', 'pass'), target('online low point', 0.1 * (index + 1), 'pass')],
  };
}

export function repeatReport(index: number): RunReport {
  return {
    scenario: 'skype-2010',
    description: 'fixture',
    seed: SEEDS[index]!,
    platform: 'local',
    generatedAt: '2024-12-22T10:01:00.000Z',
    runs: [run('p2p', 'reproduces-outage', p2pShape(index)), run('dedicated', 'meets-targets', dedicatedShapes[index]!)],
  };
}

export function repeatInputs(): RepeatInput[] {
  return SEEDS.map((seed, index) => ({ seed, dir: `run-${index}-seed-${seed}`, report: repeatReport(index) }));
}
