import { errorMessage } from '../errors.js';
import type { FaultableLink } from '../network/link-types.js';
import type { HistoryEvent, HistoryRecord } from '../observe/history-types.js';
import { createSampler, type SampleEvent, type Sampler } from '../observe/sampler.js';
import type { Clock } from '../engine/clock.js';
import { chooseVictims, type Random } from '../engine/random.js';
import { drawRealMs, toRealDistribution, type TimeScaleConverter } from '../scenario/time-scale.js';
import type { ArchitectureRun, Distribution, ScenarioDefinition } from '../scenario/types.js';
import type { DeployedTopology } from '../topology/deploy-topology.js';
import { planAddedSupernode } from '../topology/node-configs.js';
import { ActionExecutor } from './action-executor.js';
import { NodeSupervisor } from './node-supervisor.js';
import { restartPolicy } from './restart-policy.js';
import type { RunEnvironment } from './run-environment.js';

/** What the deploy phase leaves running, for the phases after it. */
export interface RunningNetwork {
  readonly topology: DeployedTopology<FaultableLink>;
  readonly supervisor: NodeSupervisor;
  readonly executor: ActionExecutor<FaultableLink>;
  readonly sampler: Sampler;
}

export interface NetworkWiring {
  readonly topology: DeployedTopology<FaultableLink>;
  readonly scenario: ScenarioDefinition;
  readonly run: ArchitectureRun;
  readonly scale: TimeScaleConverter;
  readonly random: Random;
  readonly clock: Clock;
  /** Clock time the run started: `t = 0` of the history. */
  readonly origin: number;
  readonly environment: Pick<RunEnvironment, 'fetchStatus' | 'postCommand'>;
  /** Records an event on the run's clock. */
  readonly record: (event: HistoryRecord) => void;
  /** Writes an event the sampler stamped itself (samples, ledger pulls). */
  readonly append: (event: HistoryEvent) => void;
  /** Each sample, once written and its down nodes handed to the supervisor. */
  readonly onSample: (sample: SampleEvent) => void;
}

/**
 * The parts around a deployed topology: the supervisor that plays the users who restart crashed
 * machines, the executor of the timeline's steps, and the sampler, started.
 */
export function startRunningNetwork(wiring: NetworkWiring): RunningNetwork {
  const { topology, scenario, scale, random, record } = wiring;
  const restartAfter = restartPolicy(scenario.load, wiring.run.topology, scale);
  const restartOverrides = new Map<string, Distribution>();
  const restartRandom = random.fork('user-restarts');
  const supervisor = new NodeSupervisor({
    record,
    restartDelayMs: (node, cause) => {
      const override = restartOverrides.get(node.name);
      if (override !== undefined) {
        restartOverrides.delete(node.name);
        return drawRealMs(toRealDistribution(override, scale), restartRandom.next);
      }
      const delay = restartAfter(node.role, cause);
      return delay === undefined ? undefined : drawRealMs(delay, restartRandom.next);
    },
  });
  for (const node of topology.nodes()) supervisor.watch(node.handle);

  const victims = random.fork('victims');
  const stepDraws = random.fork('step-draws');
  const postCommand = wiring.environment.postCommand;
  const executor = new ActionExecutor({
    topology,
    supervisor,
    record,
    now: () => Math.round(wiring.clock.now() - wiring.origin),
    choose: (names, selector, key) => chooseVictims(names, selector, victims.fork(key)),
    planAddedSupernode: (name, tuning) => planAddedSupernode(wiring.run.topology, name, tuning),
    overrideRestart: (name, after) => restartOverrides.set(name, after),
    realMs: (duration) => scale.toRealMs(duration),
    draws: (key) => stepDraws.fork(key).next,
    command: (node, path, body) =>
      postCommand === undefined ? Promise.reject(new Error(`this environment cannot post ${path} to ${node.name}`)) : postCommand(node, path, body),
  });

  const fetchFrom = (name: string, signal: AbortSignal, path?: string): Promise<unknown> => {
    const node = topology.node(name);
    return node === undefined ? Promise.resolve(undefined) : wiring.environment.fetchStatus(node.handle, signal, path);
  };
  const sampler = createSampler({
    clock: wiring.clock,
    origin: wiring.origin,
    sampleEveryMs: scenario.sampleEveryMs,
    nodes: () => topology.nodes().map((node) => ({ name: node.handle.name, role: node.handle.role })),
    fetchStatus: (target, signal) => fetchFrom(target.name, signal),
    ledger: {
      fetch: (target, after, signal) => fetchFrom(target.name, signal, `/ledger?after=${after}`),
      onEvent: wiring.append,
    },
    onSample: (sample) => {
      wiring.append(sample);
      const down = Object.entries(sample.nodes).filter(([, observation]) => !observation.up).map(([name]) => name);
      if (down.length > 0) void supervisor.check(down);
      wiring.onSample(sample);
    },
    onError: (error) => record({ type: 'error', message: `sampler: ${errorMessage(error)}` }),
  });
  sampler.start();
  return { topology, supervisor, executor, sampler };
}
