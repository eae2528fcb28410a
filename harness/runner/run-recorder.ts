import type { HistoryEvent, HistoryRecord, RunPhase } from '../observe/history-types.js';
import type { HistoryWriter } from '../observe/history-writer.js';
import type { SampleEvent } from '../observe/sampler.js';
import type { RunContext } from './run-session-types.js';

/**
 * Writes a run's events to its history on the run's clock and shows them, with every sample,
 * to the watch and the progress view.
 */
export class RunRecorder {
  private current: RunPhase = 'deploying';
  private lastEvent: string | undefined;
  private steadyOnline: number | undefined;
  private timelineStart: number | undefined;

  constructor(
    private readonly context: Pick<RunContext, 'architecture' | 'clock' | 'progress' | 'watch' | 'startedAt' | 'scale'>,
    private readonly history: HistoryWriter,
  ) {}

  get phase(): RunPhase {
    return this.current;
  }

  enter(next: RunPhase): void {
    this.current = next;
    this.record({ type: 'phase', phase: next });
  }

  /** Enters the timeline phase and returns T0, the clock time progress counts scenario hours from. */
  enterTimeline(): number {
    this.enter('timeline');
    this.timelineStart = this.context.clock.now();
    return this.timelineStart;
  }

  /** How many clients online make a whole network: progress shows the online fraction of it. */
  steadyStateHeldWith(online: number): void {
    this.steadyOnline = online;
  }

  record(event: HistoryRecord): void {
    const stamped = { t: Math.round(this.context.clock.now() - this.context.startedAt), ...event } as HistoryEvent;
    this.history.append(stamped);
    this.context.watch?.event(stamped);
    if (event.type === 'fault' || event.type === 'remedy' || event.type === 'mark' || event.type === 'error') {
      this.lastEvent = describeEvent(event);
      this.context.progress?.event(`${this.context.architecture}: ${this.lastEvent}`);
    }
  }

  sample(sample: SampleEvent): void {
    this.context.watch?.sample(sample);
    this.context.progress?.update({
      architecture: this.context.architecture,
      phase: this.current,
      elapsedMs: sample.t,
      scenarioHours: this.timelineStart === undefined ? 0 : this.context.scale.toScenarioHours(this.context.clock.now() - this.timelineStart),
      online: sample.totals.clientsOnline,
      onlineFraction: this.steadyOnline === undefined ? null : sample.totals.clientsOnline / Math.max(1, this.steadyOnline),
      supernodesServing: sample.totals.supernodesServing,
      supernodesTotal: sample.totals.supernodesTotal,
      ...(sample.totals.clientsResyncing === undefined ? {} : { resyncing: sample.totals.clientsResyncing }),
      ...(this.lastEvent === undefined ? {} : { lastEvent: this.lastEvent }),
    });
  }
}

function describeEvent(event: HistoryRecord): string {
  switch (event.type) {
    case 'fault':
      return `${event.action} ${event.kind} (${event.id}) on ${event.targets.length} target(s)`;
    case 'remedy':
      return `${event.label}: +${event.added.length} supernodes`;
    case 'mark':
      return event.label;
    case 'error':
      return `error: ${event.message}`;
    default:
      return event.type;
  }
}

/** The event that opens a run's history. */
export function runStartRecord(context: Pick<RunContext, 'scenario' | 'architecture' | 'seed' | 'platform' | 'run' | 'scale'>): HistoryRecord {
  const { scenario, architecture, seed, platform, run, scale } = context;
  return {
    type: 'run-start',
    scenario: scenario.name,
    architecture,
    expectation: run.expectation,
    seed,
    platform,
    msPerScenarioHour: scale.msPerScenarioHour,
    definition: scenario,
    startedAt: new Date().toISOString(),
  };
}
