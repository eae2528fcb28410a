import type { ResourceOwner } from '../lifecycle/owner.js';
import type { PlatformKind } from '../platform/platform.js';
import type { HistoryEvent, HistoryRecord } from '../observe/history-types.js';
import type { SampleEvent } from '../observe/sampler.js';
import type { Clock } from '../engine/clock.js';
import type { Random } from '../engine/random.js';
import type { StepRecord } from '../engine/timeline.js';
import type { TimeScaleConverter } from '../scenario/time-scale.js';
import type { Architecture, ArchitectureRun, ScenarioDefinition } from '../scenario/types.js';
import type { ProgressView } from '../report/progress-view.js';
import type { RunEnvironment } from './run-environment.js';
import type { RunningNetwork } from './running-network.js';

export type ProgressSink = Pick<ProgressView, 'update' | 'event'>;

export interface ArchitectureRunOptions {
  readonly scenario: ScenarioDefinition;
  readonly architecture: Architecture;
  readonly platform: PlatformKind | 'auto';
  readonly seed: number;
  readonly outDir: string;
  readonly clock: Clock;
  /** Aborted on Ctrl-C: the run heals its faults, writes its history and tears down. */
  readonly signal: AbortSignal;
  readonly owner: ResourceOwner;
  readonly progress?: ProgressSink;
  /** The real platform, links and control ports by default. */
  readonly environment?: RunEnvironment;
  /** Sees every sample and every other event as it is written (the rehearsal's live dashboard). */
  readonly watch?: RunWatch;
}

/** What every phase of one architecture's run reads: its options and what the session fixed as it opened. */
export interface RunContext extends ArchitectureRunOptions {
  readonly run: ArchitectureRun;
  readonly scale: TimeScaleConverter;
  readonly random: Random;
  /** Clock time the run started: `t = 0` of the history. */
  readonly startedAt: number;
  readonly environment: RunEnvironment;
}

export interface RunWatch {
  sample(sample: SampleEvent): void;
  event(event: HistoryEvent): void;
}

/** What the operator phase of a rehearsal gets of the run: the executor, the clock of the timeline, the history. */
export interface OperatorPhase {
  /** Aborted on Ctrl-C: the operator phase ends and the run heals, writes its history and tears down. */
  readonly signal: AbortSignal;
  /** Real milliseconds since the operator phase (the timeline, T0) began. */
  elapsedMs(): number;
  readonly scale: TimeScaleConverter;
  /** The run's definition as run-start recorded it. */
  readonly scenario: ScenarioDefinition;
  readonly network: RunningNetwork;
  /** Writes an event to the history on the run's clock. */
  record(event: HistoryRecord): void;
}

export interface ArchitectureRunResult {
  readonly events: readonly HistoryEvent[];
  readonly historyFile: string;
  readonly platform: PlatformKind;
  /** Every timeline step that started, with when it ran, whether late, and whether it failed. */
  readonly steps: readonly StepRecord[];
  /**
   * Why the platform may not be fit for another run: the engine stopped answering, or the teardown
   * left something behind. Undefined when everything was removed.
   */
  readonly unfitPlatform?: string;
}
