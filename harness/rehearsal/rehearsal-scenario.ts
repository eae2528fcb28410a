import { ChaosError } from '../errors.js';
import { tryParseDuration } from '../scenario/duration.js';
import { validateScenario } from '../scenario/define-scenario.js';
import type { Architecture, ScenarioDefinition, TimelineStep } from '../scenario/types.js';

/** The dashboard draws at least once a second: a rehearsal samples at least that often. */
export const REHEARSAL_MAX_SAMPLE_MS = 1_000;

/**
 * The scenario a rehearsal runs: the source's topology, load and steady state for one
 * architecture, with no timeline (the operator plays it), no abort conditions (the operator
 * decides), no rollbacks (every fault is healed at the end anyway), no negative controls and no
 * fidelity rows (the post-mortem's figures belong to the source's timeline, not the operator's).
 */
export function rehearsalDefinition(source: ScenarioDefinition, architecture: Architecture): ScenarioDefinition {
  const run = source.architectures[architecture];
  if (run === undefined) {
    throw new ChaosError('INVALID_SCENARIO', `scenario ${source.name} has no ${architecture} architecture`, {
      hint: `use --arch with one of: ${Object.keys(source.architectures).join(', ')}`,
    });
  }
  const { fidelity: _fidelity, ...rest } = source;
  return {
    ...rest,
    architectures: { [architecture]: run },
    timeline: [],
    abortWhen: [],
    rollbacks: [],
    // The source's controls sabotage its own timeline and targets, which a rehearsal does not have.
    controls: [],
    sampleEveryMs: Math.min(source.sampleEveryMs, REHEARSAL_MAX_SAMPLE_MS),
  };
}

/**
 * Real milliseconds since T0 as a scenario offset (`"1h30m"`, `"2h12.345s"`), on the run's time
 * scale, to the scenario millisecond: a replay starts the step where the operator gave it.
 */
export function scenarioOffset(realMs: number, msPerScenarioHour: number): string {
  return exactDuration((Math.max(0, realMs) / msPerScenarioHour) * 3_600_000);
}

/** Scenario milliseconds as a duration string, rounded to the millisecond (`formatDuration` rounds to minutes past an hour). */
export function exactDuration(scenarioMs: number): string {
  const ms = Math.round(scenarioMs);
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1_000;
  const text = `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${seconds > 0 ? `${seconds}s` : ''}`;
  return text === '' ? '0s' : text;
}

/**
 * Checks one operator step exactly as a scenario's timeline step is checked: the draft (the
 * rehearsal's scenario with every step accepted so far) plus this step goes through the scenario
 * validation, and the problems of this step are its refusal, word for word what a scenario file
 * holding it would be told. Returns the step as validated.
 */
export function checkOperatorStep(draft: ScenarioDefinition, accepted: readonly TimelineStep[], step: TimelineStep): TimelineStep {
  const index = accepted.length;
  const timeline = [...accepted, step];
  // The run lasts as long as the operator wants: the draft ends at its last step (or the source's end).
  const end = Math.max(...timeline.map((s) => durationMsOr0(s.at)), durationMsOr0(draft.duration));
  try {
    const checked = validateScenario({ ...draft, timeline, duration: exactDuration(end) });
    return checked.timeline[index] as TimelineStep;
  } catch (error) {
    if (!(error instanceof ChaosError)) throw error;
    const own = error.details.filter((detail) => detail.startsWith(`timeline[${index}]`));
    const details = own.length > 0 ? own : error.details;
    const kind = typeof (step.action as { do?: unknown }).do === 'string' ? step.action.do : 'operator';
    throw new ChaosError('INVALID_SCENARIO', `the ${kind} step has ${details.length} problem${details.length === 1 ? '' : 's'}`, {
      hint: 'fix the command as each problem says (a scenario step is told the same)',
      details,
    });
  }
}

function durationMsOr0(text: string): number {
  return tryParseDuration(text) ?? 0;
}
