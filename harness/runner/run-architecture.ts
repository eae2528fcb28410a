import { ResourceOwner } from '../lifecycle/owner.js';
import { ChaosError, errorMessage, isChaosError } from '../errors.js';
import type { PlatformKind } from '../platform/platform.js';
import { createPlatform } from '../platform/create-platform.js';
import { createLinkLayer } from '../network/link-layer.js';
import type { HistoryEvent, RunPhase } from '../observe/history-types.js';
import { openArchitectureHistory } from '../observe/history-writer.js';
import { createSampler } from '../observe/sampler.js';
import type { ProbeValues } from '../scenario/probe-values.js';
import type { Clock } from '../scenario/clock.js';
import { createRandom, chooseVictims } from '../scenario/random.js';
import { createTimeScale, drawRealMs, toRealDistribution } from '../scenario/time-scale.js';
import { planTimeline, runTimeline } from '../scenario/timeline.js';
import { waitForSteadyState } from '../scenario/steady-state.js';
import { createAbortWatch } from '../scenario/abort-watch.js';
import type { Architecture, Distribution, ScenarioDefinition } from '../scenario/types.js';
import { DeployedTopology } from '../topology/deploy-topology.js';
import { planTopology } from '../topology/plan-topology.js';
import { nodeConfigBuilder, planAddedSupernode } from '../topology/node-configs.js';
import { ActionExecutor } from './action-executor.js';
import { NodeSupervisor } from './node-supervisor.js';
import { fetchNodeStatus } from './fetch-status.js';
import type { ProgressView } from '../report/progress-view.js';

type Recordable = HistoryEvent extends infer E ? (E extends { t: number } ? Omit<E, 't'> : never) : never;

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
}

export interface ArchitectureRunResult {
  readonly events: readonly HistoryEvent[];
  readonly historyFile: string;
  readonly platform: PlatformKind;
}

/** One architecture through the fixed phases: deploy, steady state, timeline, rollback, teardown. */
export async function runArchitecture(options: ArchitectureRunOptions): Promise<ArchitectureRunResult> {
  const { scenario, architecture, clock, signal, owner } = options;
  const run = scenario.architectures[architecture];
  if (run === undefined) {
    throw new ChaosError('INVALID_SCENARIO', `scenario ${scenario.name} has no ${architecture} architecture`, {
      hint: `use --arch with one of: ${Object.keys(scenario.architectures).join(', ')}`,
    });
  }
  const scale = createTimeScale(scenario.timeScale);
  const random = createRandom(options.seed);
  const history = openArchitectureHistory(options.outDir, architecture);
  const historyFile = history.path;
  const startedAt = clock.now();
  let phase: RunPhase = 'deploying';
  let lastEvent: string | undefined;
  const record = (event: Recordable): void => {
    history.append({ t: Math.round(clock.now() - startedAt), ...event } as HistoryEvent);
    if (event.type === 'fault' || event.type === 'remedy' || event.type === 'mark' || event.type === 'error') {
      lastEvent = describeEvent(event);
      options.progress?.event(`${architecture}: ${lastEvent}`);
    }
  };
  const enter = (next: RunPhase): void => {
    phase = next;
    record({ type: 'phase', phase: next });
  };

  record({
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

  let outcome: 'completed' | 'aborted' | 'interrupted' | 'failed' = 'completed';
  let reason: string | undefined;
  let platformKind: PlatformKind = options.platform === 'auto' ? 'local' : options.platform;
  let executor: ActionExecutor<Awaited<ReturnType<ReturnType<typeof createLinkLayer>['link']>>> | undefined;
  let supervisor: NodeSupervisor | undefined;
  let sampler: ReturnType<typeof createSampler> | undefined;
  const abortRun = new AbortController();
  const onInterrupt = (): void => abortRun.abort(new ChaosError('INTERRUPTED', 'interrupted', { hint: 'run again to completion' }));
  signal.addEventListener('abort', onInterrupt, { once: true });
  if (signal.aborted) onInterrupt();

  try {
    enter('deploying');
    const platform = await createPlatform({ kind: options.platform, owner });
    platformKind = platform.kind;
    const links = createLinkLayer(platform, owner);
    const plan = planTopology(architecture, run.topology, random.fork('topology').next, scenario.load);
    const restartDelay = toRealDistribution(scenario.load.restartDelay, scale);
    const configFor = nodeConfigBuilder({ scenario, architecture, scale, seed: options.seed });
    const topology = await DeployedTopology.deploy({ plan, platform, links, configFor });
    throwIfAborted(abortRun.signal);

    const restartOverrides = new Map<string, Distribution>();
    const restartRandom = random.fork('user-restarts');
    supervisor = new NodeSupervisor({
      record,
      restartDelayMs: (node) => {
        const override = restartOverrides.get(node.name);
        if (override !== undefined) {
          restartOverrides.delete(node.name);
          return drawRealMs(toRealDistribution(override, scale), restartRandom.next);
        }
        return node.role === 'supernode' ? drawRealMs(restartDelay, restartRandom.next) : undefined;
      },
    });
    for (const node of topology.nodes()) supervisor.watch(node.handle);

    const victims = random.fork('victims');
    executor = new ActionExecutor({
      topology,
      supervisor,
      record,
      choose: (names, selector, key) => chooseVictims(names, selector, victims.fork(key)),
      planAddedSupernode: (name, tuning) => planAddedSupernode(run.topology, name, tuning),
      overrideRestart: (name, after) => restartOverrides.set(name, after),
    });

    const abortWatch = createAbortWatch(scenario.abortWhen, scale);
    const activeSupervisor = supervisor;
    const clocks: { steadyOnline?: number; timelineStart?: number } = {};
    const activeSampler = createSampler({
      clock,
      origin: startedAt,
      sampleEveryMs: scenario.sampleEveryMs,
      nodes: () => topology.nodes().map((node) => ({ name: node.handle.name, role: node.handle.role })),
      fetchStatus: (target, fetchSignal) => {
        const node = topology.node(target.name);
        return node === undefined ? Promise.resolve(undefined) : fetchNodeStatus(node.handle.controlUrl(), fetchSignal);
      },
      ledger: {
        fetch: (target, after, fetchSignal) => {
          const node = topology.node(target.name);
          return node === undefined ? Promise.resolve(undefined) : fetchNodeStatus(node.handle.controlUrl(), fetchSignal, `/ledger?after=${after}`);
        },
        onEvent: (event) => history.append(event),
      },
      onSample: (sample) => {
        history.append(sample);
        const down = Object.entries(sample.nodes).filter(([, observation]) => !observation.up).map(([name]) => name);
        if (down.length > 0) void activeSupervisor.check(down);
        options.progress?.update({
          architecture,
          phase,
          elapsedMs: sample.t,
          scenarioHours: clocks.timelineStart === undefined ? 0 : scale.toScenarioHours(clock.now() - clocks.timelineStart),
          online: sample.totals.clientsOnline,
          onlineFraction: clocks.steadyOnline === undefined ? null : sample.totals.clientsOnline / Math.max(1, clocks.steadyOnline),
          supernodesServing: sample.totals.supernodesServing,
          supernodesTotal: sample.totals.supernodesTotal,
          ...(lastEvent === undefined ? {} : { lastEvent }),
        });
      },
      onError: (error) => record({ type: 'error', message: `sampler: ${errorMessage(error)}` }),
    });
    sampler = activeSampler;
    activeSampler.start();

    enter('steady-state');
    await waitForSteadyState(scenario.steadyState, {
      clock,
      timeScale: scale,
      signal: abortRun.signal,
      probe: () => activeSampler.probe(),
    });
    clocks.steadyOnline = topologyClients(run.topology);
    throwIfAborted(abortRun.signal);

    enter('timeline');
    const timelineStart = clock.now();
    clocks.timelineStart = timelineStart;
    const activeExecutor = executor;
    const watchAborts = (async () => {
      while (!abortRun.signal.aborted && (phase as RunPhase) === 'timeline') {
        const values: ProbeValues = await activeSampler.probe();
        const decision = abortWatch.observe(clock.now() - timelineStart, values);
        if (decision !== undefined) abortRun.abort(new Error(`abort condition: ${decision.reason}`));
        await clock.sleep(scenario.sampleEveryMs, abortRun.signal);
      }
    })();
    await runTimeline(planTimeline(scenario, architecture, scale), {
      clock,
      signal: abortRun.signal,
      startedAt: timelineStart,
      execute: (step) => activeExecutor.execute(step.action, step.key),
      onStepError: (step, error) => {
        record({ type: 'error', message: `step ${step.key} (${step.action.do}) failed: ${errorMessage(error)}`, ...(isChaosError(error) ? { code: error.code } : {}) });
      },
    });
    throwIfAborted(abortRun.signal);
    phase = 'rollback';
    await watchAborts;
  } catch (error) {
    const cause = abortRun.signal.aborted ? abortRun.signal.reason : error;
    outcome = signal.aborted ? 'interrupted' : abortRun.signal.aborted ? 'aborted' : 'failed';
    reason = errorMessage(cause);
    record({ type: 'error', message: reason, ...(isChaosError(cause) ? { code: cause.code } : {}) });
    // A steady state that never held (a starved host, an undersized topology) leaves this run without a
    // verdict, recorded as failed; the other architectures still run and the reports are still written.
    const steadyStateNeverHeld = (phase as RunPhase) === 'steady-state' && isChaosError(cause) && cause.code === 'TIMEOUT';
    if (outcome === 'failed' && !steadyStateNeverHeld) throw error;
  } finally {
    enter('rollback');
    await executor?.healAll().catch((error: unknown) => record({ type: 'error', message: `heal failed: ${errorMessage(error)}` }));
    for (const action of scenario.rollbacks) {
      await executor?.execute(action, `rollback:${action.do}`).catch((error: unknown) => record({ type: 'error', message: `rollback ${action.do} failed: ${errorMessage(error)}` }));
    }
    await supervisor?.stop();
    await sampler?.stop();
    record({ type: 'run-end', outcome, ...(reason === undefined ? {} : { reason }) });
    enter('teardown');
    const failures = await owner.releaseAll();
    for (const failure of failures) record({ type: 'error', message: `cleanup: ${failure}` });
    enter('done');
    signal.removeEventListener('abort', onInterrupt);
    history.close();
  }
  return { events: history.events(), historyFile, platform: platformKind };
}

function topologyClients(topology: { fleets: number; clientsPerFleet: number }): number {
  return topology.fleets * topology.clientsPerFleet;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
}

function describeEvent(event: Recordable): string {
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
