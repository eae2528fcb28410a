import { ChaosError, errorMessage, isChaosError } from '../errors.js';
import { reportsNoAnswer } from '../network/bounded-call.js';
import type { Platform, PlatformKind } from '../platform/platform.js';
import type { HistoryEvent } from '../observe/history-types.js';
import { openArchitectureHistory, type HistoryWriter } from '../observe/history-writer.js';
import { createRandom } from '../engine/random.js';
import { createTimeScale } from '../scenario/time-scale.js';
import type { StepRecord, TimelineResult } from '../engine/timeline.js';
import { waitForSteadyState } from '../engine/steady-state.js';
import { commandStartupCacheWarming, prewarmsStartupCaches, warmsBeforeTheRun } from './startup-cache-warming.js';
import { DEFAULT_RAMP_UP_MS } from '../topology/node-configs.js';
import { unboundedController } from '../lifecycle/owner.js';
import { realEnvironment } from './run-environment.js';
import { startRunningNetwork, type RunningNetwork } from './running-network.js';
import type { ArchitectureRunOptions, ArchitectureRunResult, OperatorPhase, RunContext } from './run-session-types.js';
import { RunRecorder, runStartRecord } from './run-recorder.js';
import { deployRunTopology } from './deploy-run-topology.js';
import { playTimeline } from './play-timeline.js';
import { rollBackNetwork } from './roll-back-network.js';
import { throwIfAborted } from './throw-if-aborted.js';

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
  private network: RunningNetwork | undefined;
  private outcome: RunOutcome = 'completed';
  private reason: string | undefined;
  private platformKind: PlatformKind;
  private platform: Platform | undefined;
  private readonly steps: StepRecord[] = [];
  private engineLost: AbortSignal | undefined;
  private cleanupFailures: string[] = [];
  /** Aborted by an interrupt or by an abort condition. */
  private readonly abortRun = unboundedController();
  private readonly onInterrupt = (): void => {
    // Written as the signal arrives: in the rollback or the teardown it is all that marks the run interrupted.
    this.recorder.record({ type: 'interrupt', phase: this.recorder.phase });
    this.abortRun.abort(new ChaosError('INTERRUPTED', 'interrupted', { hint: 'run again to completion' }));
  };
  private readonly recorder: RunRecorder;

  private constructor(
    private readonly context: RunContext,
    private readonly history: HistoryWriter,
  ) {
    this.platformKind = context.platform === 'auto' ? 'local' : context.platform;
    this.recorder = new RunRecorder(context, history);
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
    const context = { ...options, run, scale, random: createRandom(options.seed), startedAt: options.clock.now(), environment: options.environment ?? realEnvironment };
    const session = new RunSession(context, history);
    session.recorder.record(runStartRecord(context));
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
    const { context } = this;
    this.recorder.enter('deploying');
    const platform = await context.environment.createPlatform({ kind: context.platform, owner: context.owner });
    this.platformKind = platform.kind;
    this.platform = platform;
    this.watchEngine(platform.engineLost);
    const topology = await deployRunTopology(platform, context, (event) => this.recorder.record(event));
    throwIfAborted(this.abortRun.signal);

    this.network = startRunningNetwork({
      ...context,
      topology,
      origin: context.startedAt,
      record: (event) => this.recorder.record(event),
      append: (event) => this.history.append(event),
      onSample: (sample) => this.recorder.sample(sample),
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
    const { clock, scenario, scale } = this.context;
    const start = this.recorder.enterTimeline();
    await operate({
      signal: this.abortRun.signal,
      elapsedMs: () => clock.now() - start,
      scale,
      scenario,
      network,
      record: (event) => this.recorder.record(event),
    });
    throwIfAborted(this.abortRun.signal);
  }

  /** An engine that stops answering ends the run at once, without a verdict (see fail). */
  private watchEngine(lost: AbortSignal | undefined): void {
    this.engineLost = lost;
    if (lost === undefined) return;
    const onLost = (): void => this.abortRun.abort(lost.reason);
    if (lost.aborted) onLost();
    else lost.addEventListener('abort', onLost, { once: true });
  }

  /** Waits until the scenario's steady-state hypothesis holds (TIMEOUT when it never does). */
  async steadyState(network: RunningNetwork): Promise<void> {
    this.recorder.enter('steady-state');
    const { scenario, clock, scale, run } = this.context;
    // Every node started before this point, so every client's ramp-up ends within rampUpMs of it.
    const notBefore = clock.now() + (scenario.load.rampUpMs ?? DEFAULT_RAMP_UP_MS);
    await waitForSteadyState(scenario.steadyState, { clock, timeScale: scale, signal: this.abortRun.signal, probe: () => network.sampler.probe(), notBefore });
    this.recorder.steadyStateHeldWith(run.topology.fleets * run.topology.clientsPerFleet);
    throwIfAborted(this.abortRun.signal);
    // The history before the run ends here: from now on a miss asks the stores.
    if (prewarmsStartupCaches(run)) {
      const supernodes = network.topology.nodes('supernodes').filter(warmsBeforeTheRun);
      await commandStartupCacheWarming(supernodes.map((node) => node.handle), false, this.context.environment.postCommand);
    }
  }

  /** Plays the timeline while watching the abort conditions (see playTimeline). */
  async timeline(network: RunningNetwork): Promise<TimelineResult> {
    return playTimeline(network, {
      ...this.context,
      timelineStart: this.recorder.enterTimeline(),
      abortRun: this.abortRun,
      record: (event) => this.recorder.record(event),
      onPlayed: (steps) => this.steps.push(...steps),
    });
  }

  /** Records why the run stopped early; rethrows what leaves the run without a verdict to write. */
  fail(error: unknown): void {
    const cause = this.abortRun.signal.aborted ? this.abortRun.signal.reason : error;
    // The engine stopped answering: the harness lost its platform, which says nothing of the system.
    const engineLost = isChaosError(cause) && cause.code === 'ENGINE_NOT_ANSWERING';
    this.outcome = this.context.signal.aborted ? 'interrupted' : engineLost ? 'failed' : this.abortRun.signal.aborted ? 'aborted' : 'failed';
    // The fix goes with the reason: it is what the reports show of a run the engine left without a verdict.
    this.reason = engineLost ? `${cause.message}; ${cause.hint}` : errorMessage(cause);
    this.recorder.record({ type: 'error', message: this.reason, ...(isChaosError(cause) ? { code: cause.code } : {}) });
    // A steady state that never held is recorded as failed; the other architectures still run and the reports
    // are still written. The verdict reads it from the history: fail when the harness delivered its load, else unknown.
    const steadyStateNeverHeld = this.recorder.phase === 'steady-state' && isChaosError(cause) && cause.code === 'TIMEOUT';
    if (this.outcome === 'failed' && !steadyStateNeverHeld && !engineLost) throw error;
  }

  /** Heals every fault still in place, runs the scenario's rollbacks, stops watching; ends with run-end. */
  async rollback(): Promise<void> {
    this.recorder.enter('rollback');
    const network = this.network;
    try {
      if (network !== undefined) await rollBackNetwork(network, this.context.scenario.rollbacks, (event) => this.recorder.record(event));
    } finally {
      this.recorder.record({ type: 'run-end', outcome: this.outcome, ...(this.reason === undefined ? {} : { reason: this.reason }) });
    }
  }

  /** Releases everything the run created, newest first, and closes the history. */
  async teardown(): Promise<void> {
    this.recorder.enter('teardown');
    try {
      const placement = this.platform?.placement?.();
      if (placement !== undefined) this.recorder.record({ type: 'placement', summary: placement.summary, byHost: placement.byHost });
      const failures = await this.context.owner.releaseAll();
      this.cleanupFailures = failures;
      for (const failure of failures) this.recorder.record({ type: 'error', message: `cleanup: ${failure}` });
      this.recorder.enter('done');
    } finally {
      this.context.signal.removeEventListener('abort', this.onInterrupt);
      this.history.close();
    }
  }

  result(): ArchitectureRunResult {
    const lost: unknown = this.engineLost?.aborted === true ? this.engineLost.reason : undefined;
    // A refused removal (the engine's endpoint-count bug) does not stop the next run; a call the engine never answered does.
    const unanswered = this.cleanupFailures.filter(reportsNoAnswer);
    const unfitPlatform =
      lost !== undefined ? errorMessage(lost) : unanswered.length > 0 ? `the engine did not finish the teardown: ${unanswered.join('; ')}` : undefined;
    return { events: this.history.events(), historyFile: this.history.path, platform: this.platformKind, steps: [...this.steps], ...(unfitPlatform === undefined ? {} : { unfitPlatform }) };
  }
}
