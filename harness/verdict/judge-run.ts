import { SaturationBounds, measureSaturation } from './saturation.js';
import { measureOfferedLoad, type OfferedLoad } from './offered-load.js';
import { ChaosError } from '../errors.js';
import type { EventOf, HistoryEvent, RunPhase } from '../observe/history-types.js';
import type { NodePlacement } from '../platform/platform.js';
import { measureOnlineLowPoint } from './availability.js';
import { measureCascadeAfterHeal } from './cascade-after-heal.js';
import { checker, runChecker, type Checker } from './checker.js';
import { measureFidelity } from './fidelity.js';
import { interruptedDuring, runEndOf, runStartOf, steadyBaseline } from './history-series.js';
import { measureLookupSuccessAfterRecovery } from './lookup-after-recovery.js';
import { measureMessagesLost } from './messages-lost.js';
import { measureRecovery } from './recovery.js';
import { lostSupernodes, supernodesEverInNetwork } from './supernode-loss.js';
import { outageCheckers, targetCheckers } from './target-checks.js';
import { nodeFailures } from './node-failures.js';
import { steadyStateMissOf, type SteadyStateMiss } from './steady-state-miss.js';
import { failedRestarts, failedSteps } from './unperformed-actions.js';
import { UNREAD_FLEET_SAMPLE_BOUND, describeUnreadFleetSamples, measureUnreadFleetSamples } from './unread-fleet-samples.js';
import type { ArchitectureVerdict, CheckOutcome, HarnessSaturation, RunSummary, TargetResult, UnreadFleetSamples } from './verdict-types.js';

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
  const figures: Omit<RunSummary, 'fidelity'> = {
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
  };
  return { ...figures, fidelity: measured(() => measureFidelity(events, runStartOf(events)?.definition.fidelity ?? [], figures)) ?? [] };
}

/** The checks only the harness can miss, beside `HarnessTargets`: a run unknown for one of them is the harness's. */
export const HarnessChecks = {
  runCompleted: 'run completed',
  stepsRan: 'timeline steps ran',
  loadDelivered: 'harness delivered the scenario load',
} as const;

const runCompletedCheck = checker(HarnessChecks.runCompleted, 'completed', (events) => {
  const outcome = runEndOf(events)?.outcome;
  if (outcome === undefined) return { measured: null, outcome: 'unknown', detail: 'the history has no run-end: the run stopped before it could record one' };
  const reason = runEndOf(events)?.reason;
  // An abort condition firing is a deviation (fail); an interrupted or broken run says nothing (unknown).
  const verdict: CheckOutcome = outcome === 'completed' ? 'pass' : outcome === 'aborted' ? 'fail' : 'unknown';
  return { measured: outcome, outcome: verdict, ...(reason === undefined ? {} : { detail: reason }) };
});

/** A timeline step that failed (a toxic the server refused, a node that would not crash) leaves the run unjudgeable. */
const stepsRanCheck = checker(HarnessChecks.stepsRan, 'every step', (events) => {
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
  const signature = run?.outage;
  const outage = signature === undefined ? [] : built('outage signature', 'as stated', () => outageCheckers(signature));
  if (outage.length === 0) {
    return [...checkers, checker('outage signature', 'stated', () => ({ measured: null, outcome: 'unknown', detail: 'the scenario states no outage signature that checks anything' }))];
  }
  return [...checkers, ...outage];
}

/** The targets judgeRun adds when the harness fell short (or the steady state was missed): reports name them first. */
export const HarnessTargets = {
  steadyState: 'steady state',
  restarts: 'node restarts ran',
  unread: 'fleet samples read',
} as const;

/** Judges one architecture's history against its expectation; only the history is read. */
export function judgeRun(events: readonly HistoryEvent[]): ArchitectureVerdict {
  const start = runStartOf(events);
  if (start === undefined) {
    throw new ChaosError('INVALID_CONFIG', 'the history has no run-start event', {
      hint: 'judge a history-<architecture>.jsonl written by `chaos run` (its first line is run-start)',
    });
  }
  const judged = checkersOf(start).map((check) => runChecker(check, events));
  const miss = steadyStateMissOf(events);
  // A run that never reached its timeline is judged on its steady state: did the harness deliver the load there?
  const phase = miss === undefined ? 'timeline' : 'steady-state';
  const saturation = measureSaturation(events, phase);
  const unread = measureUnreadFleetSamples(events, phase);
  const restarts = failedRestarts(events);
  const end = runEndOf(events);
  // Fail is the system's, unknown the harness's: whatever the harness could not do leaves the run unknown.
  const shortfalls = harnessShortfalls(events, { miss, unread, phase, saturation });
  // A timeline that never ran leaves its targets unjudged, and so does a harness that fell short.
  const unjudged = shortfalls.length > 0 ? shortfalls.join('; ') : miss === undefined ? undefined : 'steady state not reached';
  const complete = unjudged === undefined ? judged : judged.map((target) => incomplete(target, unjudged));
  const targets = [
    ...complete,
    ...(miss === undefined ? [] : [steadyStateTarget(miss, saturation.saturated ? [...shortfalls, 'harness saturated'] : shortfalls)]),
    ...(restarts.length === 0 ? [] : [restartsTarget(restarts)]),
    ...(unread.exceeded ? [unreadTarget(unread, phase)] : []),
    ...(saturation.saturated ? [saturatedTarget(saturation)] : []),
  ];
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
    verdict: saturation.saturated || shortfalls.length > 0 ? 'unknown' : combineOutcomes(targets),
    outcome: end?.outcome ?? 'unknown',
    ...(lateInterrupt === undefined ? {} : { interruptedDuring: lateInterrupt }),
    summary: summarizeRun(events),
    targets,
    saturation,
    load,
    unreadFleetSamples: unread,
    nodesFailed: nodeFailures(events),
    ...placementOf(events),
  };
}

function placementOf(events: readonly HistoryEvent[]): { placement?: NodePlacement } {
  const last = events.findLast((event): event is EventOf<'placement'> => event.type === 'placement');
  return last === undefined ? {} : { placement: { summary: last.summary, byHost: last.byHost } };
}

interface JudgedPhase {
  readonly miss: SteadyStateMiss | undefined;
  readonly unread: UnreadFleetSamples;
  readonly phase: RunPhase;
  readonly saturation: HarnessSaturation;
}

/**
 * What the harness could not do, in words (saturation aside, which has its own target): a history
 * cut short (killed, interrupted, or a run that failed for another reason than its steady state),
 * a timeline step or a node restart it could not carry out, fleets it could not read in more than
 * 5% of the samples, or a steady state missed without the figures that show the load was delivered.
 */
function harnessShortfalls(events: readonly HistoryEvent[], { miss, unread, phase, saturation }: JudgedPhase): string[] {
  const end = runEndOf(events);
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const reasons: string[] = [];
  if (end === undefined) reasons.push('incomplete history (no run-end)');
  else if (end.outcome === 'interrupted' || (end.outcome === 'failed' && miss === undefined)) reasons.push(`run ${end.outcome}`);
  const steps = failedSteps(events).length;
  if (steps > 0) reasons.push(`${plural(steps, 'timeline step')} failed`);
  const restarts = failedRestarts(events).length;
  if (restarts > 0) reasons.push(`${plural(restarts, 'node restart')} failed`);
  if (unread.exceeded) reasons.push(describeUnreadFleetSamples(unread, phase));
  if (miss !== undefined && saturation.figures['attemptsNotMadeShare'] == null) {
    reasons.push(`no fleet counted ${SaturationBounds.minScheduledAttempts} scheduled attempts during the steady state: whether the harness delivered its load is not known`);
  }
  return reasons;
}

/** A run cut short: what its history shows is a harness that stopped, not a system that missed a target. */
function incomplete(target: TargetResult, why: string): TargetResult {
  if (target.outcome === 'unknown' || target.name === HarnessChecks.runCompleted) return target;
  return { ...target, outcome: 'unknown', pass: false, detail: `${why}: ${target.outcome} so far${target.detail === undefined ? '' : `; ${target.detail}`}` };
}

/** The steady state never held: the system's, unless the harness fell short (then unknown, with the same figures and why). */
function steadyStateTarget(miss: SteadyStateMiss, fellShort: readonly string[]): TargetResult {
  return {
    name: HarnessTargets.steadyState,
    target: `within ${miss.within}`,
    measured: 'not reached',
    outcome: fellShort.length > 0 ? 'unknown' : 'fail',
    pass: false,
    detail: fellShort.length > 0 ? `${miss.reason}; but the harness fell short: ${fellShort.join('; ')}` : `${miss.reason}, while the harness delivered its load`,
  };
}

function restartsTarget(restarts: readonly EventOf<'error'>[]): TargetResult {
  return {
    name: HarnessTargets.restarts,
    target: 'every restart',
    measured: `${restarts.length} failed`,
    outcome: 'unknown',
    pass: false,
    detail: restarts.map((e) => e.message).join('; '),
  };
}

function unreadTarget(unread: UnreadFleetSamples, phase: RunPhase): TargetResult {
  return {
    name: HarnessTargets.unread,
    target: `unread <= ${UNREAD_FLEET_SAMPLE_BOUND * 100}%`,
    measured: `${unread.unread} of ${unread.samples} unread`,
    outcome: 'unknown',
    pass: false,
    detail: `${describeUnreadFleetSamples(unread, phase)}: the low point and the recovery would rest on the samples left`,
  };
}

function saturatedTarget(saturation: HarnessSaturation): TargetResult {
  return {
    name: HarnessChecks.loadDelivered,
    target: 'not saturated',
    measured: 'harness saturated',
    outcome: 'unknown',
    pass: false,
    detail: saturation.reasons.join('; '),
  };
}
