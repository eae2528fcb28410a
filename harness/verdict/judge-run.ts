import { ChaosError, errorMessage } from '../errors.js';
import type { HistoryEvent } from '../observe/history-types.js';
import { measureOnlineLowPoint } from './availability.js';
import { measureCascadeAfterHeal } from './cascade-after-heal.js';
import { checker } from './checker.js';
import { runEndOf, runStartOf, steadyBaseline } from './history-series.js';
import { measureLookupSuccessAfterRecovery } from './lookup-after-recovery.js';
import { measureMessagesLost } from './messages-lost.js';
import { measureRecovery } from './recovery.js';
import { lostSupernodes, supernodesEverInNetwork } from './supernode-loss.js';
import { outageCheckers, targetCheckers } from './target-checks.js';
import type { ArchitectureVerdict, CheckOutcome, RunSummary, TargetResult } from './verdict-types.js';

const attempt = <T>(measure: () => T, fallback: T): T => {
  try {
    return measure();
  } catch {
    return fallback;
  }
};

/** The run's figures at a glance; a figure that cannot be measured takes a neutral value (its target says unknown). */
export function summarizeRun(events: readonly HistoryEvent[]): RunSummary {
  const baseline = attempt(() => steadyBaseline(events), undefined);
  const lost = attempt(() => lostSupernodes(events), { direct: [], total: [] });
  const recovery = attempt(() => measureRecovery(events), undefined);
  return {
    steadyOnlineClients: baseline?.onlineClients ?? 0,
    minOnlineFraction: attempt(() => measureOnlineLowPoint(events).min, 0),
    supernodesLostDirect: lost.direct.length,
    supernodesLostTotal: lost.total.length,
    supernodesAtSteadyState: baseline?.supernodes ?? 0,
    supernodesEverInNetwork: attempt(() => supernodesEverInNetwork(events, baseline?.supernodes ?? 0), baseline?.supernodes ?? 0),
    cascadeAmplification: lost.direct.length === 0 ? null : lost.total.length / lost.direct.length,
    recoverySeconds: recovery?.recoveryMs == null ? null : recovery.recoveryMs / 1_000,
    recoveryScenarioHours: recovery?.recoveryScenarioHours ?? null,
    messagesLost: attempt(() => measureMessagesLost(events).lost, 0),
    lookupSuccessAfterRecovery: recovery === undefined ? null : (attempt(() => measureLookupSuccessAfterRecovery(events, recovery), null) ?? null),
    cascadeContinuedAfterHeal: attempt(() => measureCascadeAfterHeal(events).continued, false),
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

export function combineOutcomes(results: readonly TargetResult[]): CheckOutcome {
  if (results.some((r) => r.outcome === 'fail')) return 'fail';
  if (results.some((r) => r.outcome === 'unknown')) return 'unknown';
  return 'pass';
}

/** Judges one architecture's history against its expectation; only the history is read. */
export function judgeRun(events: readonly HistoryEvent[]): ArchitectureVerdict {
  const start = runStartOf(events);
  if (start === undefined) {
    throw new ChaosError('INVALID_CONFIG', 'the history has no run-start event', {
      hint: 'judge a history-<architecture>.jsonl written by `chaos run` (its first line is run-start)',
    });
  }
  const run = start.definition.architectures[start.architecture];
  const checkers = [runCompletedCheck, ...targetCheckers(run?.targets ?? {})];
  if (start.expectation === 'reproduces-outage') {
    checkers.push(
      ...(run?.outage === undefined
        ? [checker('outage signature', 'stated', () => ({ measured: null, outcome: 'unknown', detail: 'the scenario states no outage signature' }))]
        : outageCheckers(run.outage)),
    );
  }
  const targets = checkers.map((check) => {
    try {
      return check(events);
    } catch (error) {
      return { name: 'checker', target: '-', measured: null, outcome: 'unknown' as const, pass: false, detail: errorMessage(error) };
    }
  });
  const end = runEndOf(events);
  return {
    architecture: start.architecture,
    expectation: start.expectation,
    verdict: combineOutcomes(targets),
    outcome: end?.outcome ?? 'unknown',
    summary: summarizeRun(events),
    targets,
  };
}
