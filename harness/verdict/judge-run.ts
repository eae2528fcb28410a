import { measureSaturation } from './saturation.js';
import { measureOfferedLoad, type OfferedLoad } from './offered-load.js';
import { ChaosError } from '../errors.js';
import type { EventOf, HistoryEvent } from '../observe/history-types.js';
import { measureOnlineLowPoint } from './availability.js';
import { measureCascadeAfterHeal } from './cascade-after-heal.js';
import { checker, runChecker, type Checker } from './checker.js';
import { measureFidelity, unmeasuredFidelity } from './fidelity.js';
import { interruptedDuring, runEndOf, runStartOf, steadyBaseline } from './history-series.js';
import { measureLookupSuccessAfterRecovery } from './lookup-after-recovery.js';
import { measureMessagesLost } from './messages-lost.js';
import { measureRecovery } from './recovery.js';
import { lostSupernodes, supernodesEverInNetwork } from './supernode-loss.js';
import { outageCheckers, targetCheckers } from './target-checks.js';
import type { ArchitectureVerdict, CheckOutcome, HarnessSaturation, RunSummary, TargetResult } from './verdict-types.js';

/** The measure's value, or null when it throws (or has nothing to give): never a made-up default. */
const measured = <T>(measure: () => T | null | undefined): T | null => {
  try {
    return measure() ?? null;
  } catch {
    return null;
  }
};

/** The run's figures at a glance; a figure that cannot be measured is null (its target says unknown). */
export function summarizeRun(events: readonly HistoryEvent[]): RunSummary {
  const baseline = measured(() => steadyBaseline(events));
  const lost = measured(() => lostSupernodes(events));
  const recovery = measured(() => measureRecovery(events));
  const cascade = measured(() => measureCascadeAfterHeal(events));
  return {
    steadyOnlineClients: baseline?.onlineClients ?? null,
    minOnlineFraction: measured(() => measureOnlineLowPoint(events).min),
    supernodesLostDirect: lost?.direct.length ?? null,
    supernodesLostTotal: lost?.total.length ?? null,
    supernodesAtSteadyState: baseline?.supernodes ?? null,
    supernodesEverInNetwork: baseline === null ? null : measured(() => supernodesEverInNetwork(events, baseline.supernodes)),
    cascadeAmplification: lost === null || lost.direct.length === 0 ? null : lost.total.length / lost.direct.length,
    recovered: recovery === null ? null : recovery.recoveredAt !== null,
    recoverySeconds: recovery?.recoveryMs == null ? null : recovery.recoveryMs / 1_000,
    recoveryScenarioHours: recovery?.recoveryScenarioHours ?? null,
    messagesLost: measured(() => measureMessagesLost(events).lost),
    lookupSuccessAfterRecovery: recovery === null ? null : measured(() => measureLookupSuccessAfterRecovery(events, recovery)),
    // Whether the cascade went on after the heal says nothing when the trigger was never healed.
    cascadeContinuedAfterHeal: cascade?.healedAt === undefined ? null : cascade.continued,
    fidelity: measured(() => measureFidelity(events)) ?? unmeasuredFidelity(),
  };
}

const runCompletedCheck = checker('run completed', 'completed', (events) => {
  const outcome = runEndOf(events)?.outcome;
  if (outcome === undefined) return { measured: null, outcome: 'unknown', detail: 'the history has no run-end: the run stopped before it could record one' };
  const reason = runEndOf(events)?.reason;
  // An abort condition firing is a deviation (fail); an interrupted or broken run says nothing (unknown).
  const verdict: CheckOutcome = outcome === 'completed' ? 'pass' : outcome === 'aborted' ? 'fail' : 'unknown';
  return { measured: outcome, outcome: verdict, ...(reason === undefined ? {} : { detail: reason }) };
});

/** The errors the run session records for timeline steps that failed (`step timeline[3] (inject) failed: ...`). */
const failedSteps = (events: readonly HistoryEvent[]): EventOf<'error'>[] =>
  events.filter((e): e is EventOf<'error'> => e.type === 'error' && e.message.startsWith('step '));

/** A timeline step that failed (a toxic the server refused, a node that would not crash) leaves the run unjudgeable. */
const stepsRanCheck = checker('timeline steps ran', 'every step', (events) => {
  const failed = failedSteps(events);
  if (failed.length === 0) return { measured: 'all', outcome: 'pass' };
  return { measured: `${failed.length} failed`, outcome: 'unknown', detail: failed.map((e) => e.message).join('; ') };
});

export function combineOutcomes(results: readonly TargetResult[]): CheckOutcome {
  if (results.some((r) => r.outcome === 'fail')) return 'fail';
  if (results.some((r) => r.outcome === 'unknown')) return 'unknown';
  return 'pass';
}

/** Checkers built from the history's own definition; a definition they cannot be built from gives one checker that says unknown. */
const built = (name: string, target: string, build: () => Checker[]): Checker[] => {
  try {
    return build();
  } catch (error) {
    return [
      checker(name, target, () => {
        throw error;
      }),
    ];
  }
};

function checkersOf(start: EventOf<'run-start'>): Checker[] {
  const run = start.definition.architectures[start.architecture];
  const checkers = [runCompletedCheck, stepsRanCheck, ...built('targets', 'as configured', () => targetCheckers(run?.targets ?? {}))];
  if (start.expectation !== 'reproduces-outage') return checkers;
  const outage = run?.outage;
  if (outage === undefined) {
    return [...checkers, checker('outage signature', 'stated', () => ({ measured: null, outcome: 'unknown', detail: 'the scenario states no outage signature' }))];
  }
  return [...checkers, ...built('outage signature', 'as stated', () => outageCheckers(outage))];
}

/** Judges one architecture's history against its expectation; only the history is read. */
export function judgeRun(events: readonly HistoryEvent[]): ArchitectureVerdict {
  const start = runStartOf(events);
  if (start === undefined) {
    throw new ChaosError('INVALID_CONFIG', 'the history has no run-start event', {
      hint: 'judge a history-<architecture>.jsonl written by `chaos run` (its first line is run-start)',
    });
  }
  const judged = checkersOf(start).map((check) => runChecker(check, events));
  const saturation = measureSaturation(events);
  // A harness that could not deliver the scenario's load says nothing about the system: unknown, never pass or fail.
  const end = runEndOf(events);
  // A run cut short (killed, interrupted, or one whose steady state never held) shows no verdict on the system;
  // nor does one whose timeline did not play as scripted (a step failed): what it measured is another experiment.
  const cutShort = end === undefined || end.outcome === 'interrupted' || end.outcome === 'failed';
  const stepsFailed = failedSteps(events).length;
  const why = end === undefined ? 'incomplete history (no run-end)' : cutShort ? `run ${end.outcome}` : `${stepsFailed} timeline step${stepsFailed === 1 ? '' : 's'} failed`;
  const unjudgeable = cutShort || stepsFailed > 0;
  const complete = unjudgeable ? judged.map((target) => incomplete(target, why)) : judged;
  const targets = saturation.saturated ? [...complete, saturatedTarget(saturation)] : complete;
  let load: OfferedLoad | null;
  try {
    load = measureOfferedLoad(events);
  } catch {
    load = null;
  }
  const lateInterrupt = interruptedDuring(events);
  return {
    architecture: start.architecture,
    expectation: start.expectation,
    verdict: saturation.saturated || unjudgeable ? 'unknown' : combineOutcomes(targets),
    outcome: end?.outcome ?? 'unknown',
    ...(lateInterrupt === undefined ? {} : { interruptedDuring: lateInterrupt }),
    summary: summarizeRun(events),
    targets,
    saturation,
    load,
  };
}

/** A run cut short: what its history shows is a harness that stopped, not a system that missed a target. */
function incomplete(target: TargetResult, why: string): TargetResult {
  if (target.outcome === 'unknown' || target.name === 'run completed') return target;
  return { ...target, outcome: 'unknown', pass: false, detail: `${why}: ${target.outcome} so far${target.detail === undefined ? '' : `; ${target.detail}`}` };
}

function saturatedTarget(saturation: HarnessSaturation): TargetResult {
  return {
    name: 'harness delivered the scenario load',
    target: 'not saturated',
    measured: 'harness saturated',
    outcome: 'unknown',
    pass: false,
    detail: saturation.reasons.join('; '),
  };
}
