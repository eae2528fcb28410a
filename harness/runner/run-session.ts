import type { ResourceOwner } from '../lifecycle/owner.js';
import { ChaosError, errorMessage, isChaosError } from '../errors.js';
import type { PlatformKind } from '../platform/platform.js';
import type { HistoryEvent, HistoryRecord, RunPhase } from '../observe/history-types.js';
import { openArchitectureHistory, type HistoryWriter } from '../observe/history-writer.js';
import type { SampleEvent } from '../observe/sampler.js';
import type { Clock } from '../engine/clock.js';
import { createRandom, type Random } from '../engine/random.js';
import { createTimeScale, type TimeScaleConverter } from '../scenario/time-scale.js';
import { planTimeline, runTimeline, type StepRecord, type TimelineResult } from '../engine/timeline.js';
import { waitForSteadyState } from '../engine/steady-state.js';
import { createAbortWatch } from '../engine/abort-watch.js';
import type { Architecture, ArchitectureRun, ScenarioDefinition } from '../scenario/types.js';
import { DeployedTopology } from '../topology/deploy-topology.js';
import { planTopology } from '../topology/plan-topology.js';
import { nodeConfigBuilder } from '../topology/node-configs.js';
import type { ProgressView } from '../report/progress-view.js';
import { realEnvironment, type RunEnvironment } from './run-environment.js';
import { startRunningNetwork, type RunningNetwork } from './running-network.js';

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
}

type RunOutcome = Extract<HistoryEvent, { type: 'run-end' }>['outcome'];

/** One architecture through the fixed phases: deploy, steady state, timeline, rollback, teardown. */
export function runArchitecture(options: ArchitectureRunOptions): Promise<ArchitectureRunResult> {
  return RunSession.open(options).run();
}

/**
 * One architecture's run as a value: one method per phase, each phase recorded in the history as
 * it starts. `run()` plays them in order; rollback and teardown run whatever happened before.
 */
export class RunSession {
  private phase: RunPhase = 'deploying';
  private network: RunningNetwork | undefined;
  private outcome: RunOutcome = 'completed';
  private reason: string | undefined;
  private platformKind: PlatformKind;
  private lastEvent: string | undefined;
  private steadyOnline: number | undefined;
  private timelineStart: number | undefined;
  private readonly steps: StepRecord[] = [];
  /** Aborted by an interrupt or by an abort condition. */
  private readonly abortRun = new AbortController();
  private readonly onInterrupt = (): void => this.abortRun.abort(new ChaosError('INTERRUPTED', 'interrupted', { hint: 'run again to completion' }));

  private constructor(
    private readonly options: ArchitectureRunOptions,
    private readonly spec: ArchitectureRun,
    private readonly scale: TimeScaleConverter,
    private readonly random: Random,
    private readonly history: HistoryWriter,
    private readonly startedAt: number,
    private readonly environment: RunEnvironment,
  ) {
    this.platformKind = options.platform === 'auto' ? 'local' : options.platform;
  }

  /** Opens the run's history with its run-start; INVALID_SCENARIO when the scenario has no such architecture. */
  static open(options: ArchitectureRunOptions): RunSession {
    const { scenario, architecture } = options;
    const run = scenario.architectures[architecture];
    if (run === undefined) {
      throw new ChaosError('INVALID_SCENARIO', `scenario ${scenario.name} has no ${architecture} architecture`, {
        hint: `use --arch with one of: ${Object.keys(scenario.architectures).join(', ')}`,
      });
    }
    const scale = createTimeScale(scenario.timeScale);
    const history = openArchitectureHistory(options.outDir, architecture);
    const session = new RunSession(options, run, scale, createRandom(options.seed), history, options.clock.now(), options.environment ?? realEnvironment);
    session.record({
      type: 'run-start',
      scenario: scenario.name,
      architecture,
      expectation: run.expectation,
      seed: options.seed,
      platform: options.platform,
      msPerScenarioHour: scale.msPerScenarioHour,
      definition: scenario,
      startedAt: new Date().toISOString(),
    });
    options.signal.addEventListener('abort', session.onInterrupt, { once: true });
    if (options.signal.aborted) session.onInterrupt();
    return session;
  }

  /** Every phase in order; teardown runs whatever happened. Throws only what leaves no verdict to write. */
  async run(): Promise<ArchitectureRunResult> {
    return this.runPhases(async (network) => {
      await this.timeline(network);
    });
  }

  /** Deploy and steady state, then `middle` (the timeline, or an operator), then rollback and teardown whatever happened. */
  private async runPhases(middle: (network: RunningNetwork) => Promise<void>): Promise<ArchitectureRunResult> {
    try {
      const network = await this.deploy();
      await this.steadyState(network);
      await middle(network);
    } catch (error) {
      this.fail(error);
    } finally {
      try {
        await this.rollback();
      } finally {
        await this.teardown();
      }
    }
    return this.result();
  }

  /** Starts the platform and the topology, then watches, samples and arms the executor. */
  async deploy(): Promise<RunningNetwork> {
    const { scenario, architecture, clock, owner } = this.options;
    this.enter('deploying');
    const platform = await this.environment.createPlatform({ kind: this.options.platform, owner });
    this.platformKind = platform.kind;
    const links = this.environment.createLinks(platform, owner);
    const plan = planTopology(architecture, this.spec.topology, this.random.fork('topology').next, scenario.load);
    const configFor = nodeConfigBuilder({ scenario, architecture, scale: this.scale, seed: this.options.seed });
    const reportsReady = this.environment.reportsReady;
    const topology = await DeployedTopology.deploy({ plan, platform, links, configFor, ...(reportsReady === undefined ? {} : { reportsReady }) });
    throwIfAborted(this.abortRun.signal);

    this.network = startRunningNetwork({
      topology,
      scenario,
      run: this.spec,
      scale: this.scale,
      random: this.random,
      clock,
      origin: this.startedAt,
      environment: this.environment,
      record: (event) => this.record(event),
      append: (event) => this.history.append(event),
      onSample: (sample) => {
        this.options.watch?.sample(sample);
        this.showProgress(sample);
      },
    });
    return this.network;
  }

  /**
   * A rehearsal: deploy and steady state as a run, then the operator phase in place of the timeline,
   * then rollback and teardown whatever happened.
   */
  async rehearse(operate: (phase: OperatorPhase) => Promise<void>): Promise<ArchitectureRunResult> {
    return this.runPhases((network) => this.operate(network, operate));
  }

  /** The operator phase: recorded as the timeline (T0 is when the operator takes over); ends when `operate` returns. */
  async operate(network: RunningNetwork, operate: (phase: OperatorPhase) => Promise<void>): Promise<void> {
    const { clock, scenario } = this.options;
    this.enter('timeline');
    const start = clock.now();
    this.timelineStart = start;
    await operate({
      signal: this.abortRun.signal,
      elapsedMs: () => clock.now() - start,
      scale: this.scale,
      scenario,
      network,
      record: (event) => this.record(event),
    });
    throwIfAborted(this.abortRun.signal);
  }

  /** Waits until the scenario's steady-state hypothesis holds (TIMEOUT when it never does). */
  async steadyState(network: RunningNetwork): Promise<void> {
    this.enter('steady-state');
    await waitForSteadyState(this.options.scenario.steadyState, {
      clock: this.options.clock,
      timeScale: this.scale,
      signal: this.abortRun.signal,
      probe: () => network.sampler.probe(),
    });
    this.steadyOnline = this.spec.topology.fleets * this.spec.topology.clientsPerFleet;
    throwIfAborted(this.abortRun.signal);
  }

  /**
   * Plays the timeline while watching the abort conditions. A step that fails is recorded as an
   * `error` starting `step ` (the verdict's "timeline steps ran" reads it) and the timeline goes on.
   */
  async timeline(network: RunningNetwork): Promise<TimelineResult> {
    const { scenario, architecture, clock } = this.options;
    const signal = this.abortRun.signal;
    this.enter('timeline');
    const timelineStart = clock.now();
    this.timelineStart = timelineStart;
    const abortWatch = createAbortWatch(scenario.abortWhen, this.scale);
    let over = false;
    const watchAborts = (async () => {
      while (!signal.aborted && !over) {
        const values = await network.sampler.probe();
        const decision = abortWatch.observe(clock.now() - timelineStart, values);
        if (decision !== undefined) this.abortRun.abort(new Error(`abort condition: ${decision.reason}`));
        await clock.sleep(scenario.sampleEveryMs, signal);
      }
    })();
    const result = await runTimeline(planTimeline(scenario, architecture, this.scale), {
      clock,
      signal,
      startedAt: timelineStart,
      execute: (step) => network.executor.execute(step.action, step.key),
      onStepError: (step, error) => {
        this.record({ type: 'error', message: `step ${step.key} (${step.action.do}) failed: ${errorMessage(error)}`, ...(isChaosError(error) ? { code: error.code } : {}) });
      },
    });
    this.steps.push(...result.records);
    over = true;
    if (signal.aborted) {
      void watchAborts.catch(() => undefined);
      throwIfAborted(signal);
    }
    await watchAborts;
    return result;
  }

  /** Records why the run stopped early; rethrows what leaves the run without a verdict to write. */
  fail(error: unknown): void {
    const cause = this.abortRun.signal.aborted ? this.abortRun.signal.reason : error;
    this.outcome = this.options.signal.aborted ? 'interrupted' : this.abortRun.signal.aborted ? 'aborted' : 'failed';
    this.reason = errorMessage(cause);
    this.record({ type: 'error', message: this.reason, ...(isChaosError(cause) ? { code: cause.code } : {}) });
    // A steady state that never held (a starved host, an undersized topology) leaves this run without a
    // verdict, recorded as failed; the other architectures still run and the reports are still written.
    const steadyStateNeverHeld = this.phase === 'steady-state' && isChaosError(cause) && cause.code === 'TIMEOUT';
    if (this.outcome === 'failed' && !steadyStateNeverHeld) throw error;
  }

  /** Heals every fault still in place, runs the scenario's rollbacks, stops watching; ends with run-end. */
  async rollback(): Promise<void> {
    this.enter('rollback');
    const network = this.network;
    try {
      if (network === undefined) return;
      for (const failure of await network.executor.healAll()) this.record({ type: 'error', message: `heal failed: ${errorMessage(failure)}` });
      for (const action of this.options.scenario.rollbacks) {
        await network.executor
          .execute(action, `rollback:${action.do}`)
          .catch((error: unknown) => this.record({ type: 'error', message: `rollback ${action.do} failed: ${errorMessage(error)}` }));
      }
      await network.supervisor.stop();
      await network.sampler.stop();
    } finally {
      this.record({ type: 'run-end', outcome: this.outcome, ...(this.reason === undefined ? {} : { reason: this.reason }) });
    }
  }

  /** Releases everything the run created, newest first, and closes the history. */
  async teardown(): Promise<void> {
    this.enter('teardown');
    try {
      const failures = await this.options.owner.releaseAll();
      for (const failure of failures) this.record({ type: 'error', message: `cleanup: ${failure}` });
      this.enter('done');
    } finally {
      this.options.signal.removeEventListener('abort', this.onInterrupt);
      this.history.close();
    }
  }

  result(): ArchitectureRunResult {
    return { events: this.history.events(), historyFile: this.history.path, platform: this.platformKind, steps: [...this.steps] };
  }

  private showProgress(sample: SampleEvent): void {
    this.options.progress?.update({
      architecture: this.options.architecture,
      phase: this.phase,
      elapsedMs: sample.t,
      scenarioHours: this.timelineStart === undefined ? 0 : this.scale.toScenarioHours(this.options.clock.now() - this.timelineStart),
      online: sample.totals.clientsOnline,
      onlineFraction: this.steadyOnline === undefined ? null : sample.totals.clientsOnline / Math.max(1, this.steadyOnline),
      supernodesServing: sample.totals.supernodesServing,
      supernodesTotal: sample.totals.supernodesTotal,
      ...(this.lastEvent === undefined ? {} : { lastEvent: this.lastEvent }),
    });
  }

  private record(event: HistoryRecord): void {
    const stamped = { t: Math.round(this.options.clock.now() - this.startedAt), ...event } as HistoryEvent;
    this.history.append(stamped);
    this.options.watch?.event(stamped);
    if (event.type === 'fault' || event.type === 'remedy' || event.type === 'mark' || event.type === 'error') {
      this.lastEvent = describeEvent(event);
      this.options.progress?.event(`${this.options.architecture}: ${this.lastEvent}`);
    }
  }

  private enter(next: RunPhase): void {
    this.phase = next;
    this.record({ type: 'phase', phase: next });
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
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
