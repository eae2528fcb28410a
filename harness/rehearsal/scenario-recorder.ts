import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ChaosError, errorMessage } from '../errors.js';
import type { EventOf, HistoryEvent } from '../observe/history-types.js';
import { validateScenario } from '../scenario/define-scenario.js';
import { formatDuration, tryParseDuration } from '../scenario/duration.js';
import type { ScenarioDefinition, Targets, TimelineAction, TimelineStep } from '../scenario/types.js';
import { judgeRun } from '../verdict/judge-run.js';
import type { ArchitectureVerdict } from '../verdict/verdict-types.js';
import { type LeftOutTarget, proposeTargets } from './proposed-targets.js';
import { RecordedTimeline } from './recorded-timeline.js';
import { scenarioOffset } from './rehearsal-scenario.js';
import { gatherEvidence } from './target-evidence.js';

/**
 * A rehearsal's history as a scenario: its topology, the operator's actions at their offsets in
 * scenario time (from the `command` events that were carried out), and targets proposed from what
 * was measured, each with the note saying how it was derived, and the targets left out because no
 * value the session meets could fail, each with its reason (in the description: JSON has no
 * comments). The result passes the scenario validation, so `chaos run FILE` takes it.
 */

export interface RecordOptions {
  /** The scenario's name (default: `<source>-rehearsal`). */
  readonly name?: string;
  readonly now?: Date;
}

export interface Recording {
  readonly scenario: ScenarioDefinition;
  /** The targets no falsifiable value could be proposed for, each with its "no ... proposed: ..." line. */
  readonly leftOut: readonly LeftOutTarget[];
}

/** The operator's actions carried out, as timeline steps at their scenario offsets: where each began (`offsetMs`), not where it was done. */
export function recordedSteps(events: readonly HistoryEvent[], msPerScenarioHour: number): TimelineStep[] {
  const done = events.filter((event): event is EventOf<'command'> => event.type === 'command' && event.outcome === 'done' && event.action !== undefined);
  const timeline = new RecordedTimeline();
  return done.flatMap((command) => {
    const action = command.action as unknown as TimelineAction;
    return timeline.keep(action) ? [{ at: scenarioOffset(command.offsetMs, msPerScenarioHour), action }] : [];
  });
}

export function recordScenario(events: readonly HistoryEvent[], options: RecordOptions = {}): ScenarioDefinition {
  return recordSession(events, options).scenario;
}

export function recordSession(events: readonly HistoryEvent[], options: RecordOptions = {}): Recording {
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
  const { proposed, leftOut } = proposeTargets(judgeRun(events).summary, gatherEvidence(events));
  if (proposed.length === 0) {
    throw new ChaosError('INVALID_CONFIG', 'no target a worse system could fail can be proposed from this session, and a scenario with no target checks nothing', {
      hint: 'rehearse again with a milder fault, or write the scenario by hand from the history',
      details: leftOut.map((target) => target.reason),
    });
  }
  const targets = Object.fromEntries(proposed.map((target) => [target.key, target.value])) as Targets;
  const name = options.name ?? `${start.definition.name}-rehearsal`.replace(/[^a-z0-9-]+/g, '-').slice(0, 80);
  const when = (options.now ?? new Date()).toISOString();
  // Published figures belong to the source's outage, not to the operator's session.
  const { fidelity: _fidelity, ...source } = start.definition;
  const definition: ScenarioDefinition = {
    ...source,
    name,
    description: '',
    seed: start.seed,
    architectures: { [start.architecture]: { topology: run.topology, expectation: 'meets-targets', targets } },
    timeline: steps,
    duration: formatDuration(Math.ceil(endMs / 60_000) * 60_000),
    abortWhen: [],
    rollbacks: [],
    // The source's controls were written for its targets, not for the ones proposed here.
    controls: [],
  };
  const live = judgeAgainstRecording(events, definition);
  const description = [
    `Recorded from a rehearsal of ${start.definition.name} (${start.architecture}, seed ${start.seed}, ${start.platform}) started ${start.startedAt}, recorded ${when}.`,
    `The timeline is the operator's ${steps.length} action${steps.length === 1 ? '' : 's'} at their offsets (scenario time from the operator taking over).`,
    `Targets proposed from what was measured: ${proposed.map((target) => target.note).join('; ')}.`,
    ...(leftOut.length === 0 ? [] : [`Left out, as no value the session meets could fail: ${leftOut.map((target) => target.reason).join('; ')}.`]),
    `The rehearsal itself, judged against them: ${live.verdict}${live.verdict === 'pass' ? '' : ` (${describeMisses(live)})`}; a faithful replay gets the same.`,
  ].join(' ');
  return { scenario: validateScenario({ ...definition, description }), leftOut };
}

/** A history judged against a recording's targets and expectation instead of those it ran with. */
export function judgeAgainstRecording(events: readonly HistoryEvent[], recorded: ScenarioDefinition): ArchitectureVerdict {
  const start = events.find((event): event is EventOf<'run-start'> => event.type === 'run-start');
  const run = start === undefined ? undefined : recorded.architectures[start.architecture];
  if (start === undefined || run === undefined) {
    throw new ChaosError('INVALID_CONFIG', `the recording ${recorded.name} does not define the history's architecture`, { hint: 'judge the history the recording was made from' });
  }
  return judgeRun(events.map((event) => (event === start ? { ...start, expectation: run.expectation, definition: recorded } : event)));
}

function describeMisses(verdict: ArchitectureVerdict): string {
  const misses = verdict.targets.filter((target) => target.outcome !== 'pass');
  return misses.map((target) => `${target.name}: ${target.outcome}${target.detail === undefined ? '' : `, ${target.detail}`}`).join('; ');
}

/** `--record FILE`: writes the session as a scenario and says what the session gets against its targets; a session that cannot be recorded is said, not thrown. */
export async function writeRecording(events: readonly HistoryEvent[], file: string, log: (line: string) => void): Promise<string | undefined> {
  try {
    const { scenario, leftOut } = recordSession(events);
    const recorded = resolve(file);
    await writeFile(recorded, `${JSON.stringify(scenario, null, 2)}\n`);
    for (const target of leftOut) log(target.reason);
    const steps = scenario.timeline.length;
    log(`recorded ${steps} step${steps === 1 ? '' : 's'}; the session judged against the proposed targets: ${judgeAgainstRecording(events, scenario).verdict} (a faithful replay gets the same)`);
    return recorded;
  } catch (error) {
    log(`could not record the session: ${errorMessage(error)}`);
    if (error instanceof ChaosError) error.details.forEach(log);
    return undefined;
  }
}
