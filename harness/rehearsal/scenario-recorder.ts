import { ChaosError } from '../errors.js';
import type { EventOf, HistoryEvent } from '../observe/history-types.js';
import { validateScenario } from '../scenario/define-scenario.js';
import { formatDuration, tryParseDuration } from '../scenario/duration.js';
import type { ScenarioDefinition, Targets, TimelineAction, TimelineStep } from '../scenario/types.js';
import { judgeRun } from '../verdict/judge-run.js';
import type { RunSummary } from '../verdict/verdict-types.js';
import { scenarioOffset } from './rehearsal-scenario.js';

/**
 * A rehearsal's history as a scenario: its topology, the operator's actions at their offsets in
 * scenario time (from the `command` events that were carried out), and targets proposed from what
 * was measured, each with the note saying how it was derived (in the description: JSON has no
 * comments). The result passes the scenario validation, so `chaos run FILE` takes it.
 */

export interface ProposedTarget {
  readonly key: keyof Targets;
  readonly value: number | string;
  readonly note: string;
}

export interface RecordOptions {
  /** The scenario's name (default: `<source>-rehearsal`). */
  readonly name?: string;
  readonly now?: Date;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
const floor2 = (value: number): number => Math.floor(value * 100 + 1e-9) / 100;

/** Targets a replay should meet, from one rehearsal's measured figures, with a margin each. */
export function proposeTargets(summary: RunSummary): ProposedTarget[] {
  const proposed: ProposedTarget[] = [];
  if (summary.minOnlineFraction !== null) {
    const value = Math.max(0, floor2(summary.minOnlineFraction - 0.05));
    proposed.push({ key: 'availabilityFloor', value, note: `availabilityFloor ${value}: online low point measured ${round2(summary.minOnlineFraction)} of steady state, less a 0.05 margin` });
  }
  if (summary.recovered === true && summary.recoveryScenarioHours !== null) {
    const hours = Math.max(1, Math.ceil(summary.recoveryScenarioHours * 1.5));
    proposed.push({ key: 'recoveryWithin', value: `${hours}h`, note: `recoveryWithin ${hours}h: recovery measured ${round2(summary.recoveryScenarioHours)}h (scenario time) after the first fault, times 1.5, rounded up to whole hours` });
  }
  if (summary.supernodesLostTotal !== null && summary.supernodesEverInNetwork !== null && summary.supernodesEverInNetwork > 0) {
    const share = summary.supernodesLostTotal / summary.supernodesEverInNetwork;
    const value = Math.min(1, round2(share + 0.1));
    proposed.push({ key: 'maxSupernodeLossTotal', value, note: `maxSupernodeLossTotal ${value}: ${summary.supernodesLostTotal} of ${summary.supernodesEverInNetwork} supernodes lost (${round2(share)}), plus 0.1` });
  }
  if (summary.lookupSuccessAfterRecovery !== null) {
    const value = Math.max(0, floor2(summary.lookupSuccessAfterRecovery - 0.02));
    proposed.push({ key: 'minLookupSuccessAfterRecovery', value, note: `minLookupSuccessAfterRecovery ${value}: lookups after recovery measured ${round2(summary.lookupSuccessAfterRecovery)}, less 0.02` });
  }
  if (summary.messagesLost !== null) {
    proposed.push({ key: 'maxMessagesLost', value: summary.messagesLost, note: `maxMessagesLost ${summary.messagesLost}: as measured (no message may be lost that was not lost in the rehearsal)` });
  }
  if (proposed.length === 0) {
    proposed.push({ key: 'availabilityFloor', value: 0, note: 'availabilityFloor 0: nothing could be measured in the rehearsal; set real targets by hand' });
  }
  return proposed;
}

/** The operator's actions carried out, as timeline steps at their scenario offsets. */
export function recordedSteps(events: readonly HistoryEvent[], msPerScenarioHour: number): TimelineStep[] {
  const done = events.filter((event): event is EventOf<'command'> => event.type === 'command' && event.outcome === 'done' && event.action !== undefined);
  const created = new Set<string>();
  const steps: TimelineStep[] = [];
  for (const command of done) {
    const action = command.action as unknown as TimelineAction;
    if (action.do === 'heal') {
      if (!created.has(action.id)) continue;
      created.delete(action.id);
    } else if ('id' in action) {
      created.add(action.id);
    }
    steps.push({ at: scenarioOffset(command.offsetMs, msPerScenarioHour), action });
  }
  return steps;
}

export function recordScenario(events: readonly HistoryEvent[], options: RecordOptions = {}): ScenarioDefinition {
  const start = events.find((event): event is EventOf<'run-start'> => event.type === 'run-start');
  if (start === undefined) {
    throw new ChaosError('INVALID_CONFIG', 'the history has no run-start, so it names no topology to record', { hint: 'give the history-<architecture>.jsonl of a rehearsal or a run' });
  }
  const run = start.definition.architectures[start.architecture];
  if (run === undefined) throw new ChaosError('INVALID_CONFIG', `the history's definition has no ${start.architecture} architecture`, { hint: 'the history was edited; record another one' });
  const timelineStart = events.find((event) => event.type === 'phase' && event.phase === 'timeline')?.t;
  if (timelineStart === undefined) {
    throw new ChaosError('INVALID_CONFIG', 'the rehearsal never reached its operator phase (no timeline phase in the history)', { hint: 'record a rehearsal that reached its steady state' });
  }
  const ended = events.find((event) => event.type === 'phase' && event.phase === 'rollback')?.t ?? events.at(-1)?.t ?? timelineStart;
  const steps = recordedSteps(events, start.msPerScenarioHour);
  const lastAt = Math.max(0, ...steps.map((step) => tryParseDuration(step.at) ?? 0));
  const endMs = Math.max(lastAt, ((ended - timelineStart) / start.msPerScenarioHour) * 3_600_000, 60_000);
  const proposed = proposeTargets(judgeRun(events).summary);
  const targets = Object.fromEntries(proposed.map((target) => [target.key, target.value])) as Targets;
  const name = options.name ?? `${start.definition.name}-rehearsal`.replace(/[^a-z0-9-]+/g, '-').slice(0, 80);
  const when = (options.now ?? new Date()).toISOString();
  const description = [
    `Recorded from a rehearsal of ${start.definition.name} (${start.architecture}, seed ${start.seed}, ${start.platform}) started ${start.startedAt}, recorded ${when}.`,
    `The timeline is the operator's ${steps.length} action${steps.length === 1 ? '' : 's'} at their offsets (scenario time from the operator taking over).`,
    `Targets proposed from what was measured: ${proposed.map((target) => target.note).join('; ')}.`,
  ].join(' ');
  const definition: ScenarioDefinition = {
    ...start.definition,
    name,
    description,
    seed: start.seed,
    architectures: { [start.architecture]: { topology: run.topology, expectation: 'meets-targets', targets } },
    timeline: steps,
    duration: formatDuration(Math.ceil(endMs / 60_000) * 60_000),
    abortWhen: [],
    rollbacks: [],
  };
  return validateScenario(definition);
}
