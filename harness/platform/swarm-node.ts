import { setTimeout as delay } from 'node:timers/promises';
import { ChaosError } from '../errors.js';
import { boundedCall } from '../network/bounded-call.js';
import { demuxDockerLogs, isDockerNoop, isDockerNotFound, type DockerApi } from './docker-engine.js';
import { mappedPort } from './docker-reach.js';
import { unlessEngineLost } from './engine-watch.js';
import { CONTROL_PORT, type Endpoint, type NodeHandle, type NodeRunState, type NodeRuntimeState, type ServiceRole } from './platform.js';
import { programExitCode, startProgram } from './program-control.js';
import { forceServiceUpdate, readTask, waitForRunningTask, type RunningTask } from './swarm-engine.js';
import { SWARM_ENGINES_ENV } from './swarm-node-engines.js';
import { STOP_GRACE_SECONDS } from './swarm-specs.js';
import { taskRunState } from './swarm-tasks.js';
import { waitForHttpOk } from './wait-healthy.js';

const logTailLines = 2_000;
const logMaxChars = 256 * 1024;
/**
 * Each call to another node's engine gives up after this long: the engine watch only asks the manager's,
 * and a fault or heal must not wait forever on a node whose engine stopped answering.
 */
export const NODE_ENGINE_CALL_MS = 60_000;

/** A container's state, from its inspect result. */
export function containerRunState(state: { Paused?: boolean; Running?: boolean; Restarting?: boolean; ExitCode?: number }): NodeRuntimeState {
  if (state.Paused === true) return { state: 'paused' };
  if (state.Running === true || state.Restarting === true) return { state: 'running' };
  return state.ExitCode === undefined ? { state: 'exited' } : { state: 'exited', exitCode: state.ExitCode };
}

/** The swarm node a task runs on, as the harness reaches it. */
export interface PlacedNode {
  readonly nodeId: string;
  readonly hostname: string;
  /** This engine's node (the manager the harness talks to): the task's container is reached through this engine. */
  readonly local: boolean;
  /** Where the harness dials a port published on the node: 127.0.0.1 on this engine's node, else the node's address. */
  readonly host: string;
  /**
   * Another node's own engine (CHAOS_SWARM_ENGINES), checked to be that node's: its task's container is
   * reached through it. Absent on this engine's node, and on a node whose engine was not given.
   */
  readonly engine?: DockerApi;
}

/** Where the harness dials a task container's published control port (mode host, on this engine's node). */
export async function publishedControl(api: DockerApi, containerId: string): Promise<Endpoint | undefined> {
  const inspect = await api.getContainer(containerId).inspect();
  const port = mappedPort(inspect, CONTROL_PORT);
  return port === undefined ? undefined : { host: '127.0.0.1', port };
}

/**
 * Where the harness dials a task's control port: on this engine's node, read from its container; on
 * another node, whose containers this engine cannot see, the port the swarm reports for the task, at
 * the node's address.
 */
export async function taskControl(api: DockerApi, task: RunningTask, placedOn: PlacedNode): Promise<Endpoint | undefined> {
  if (placedOn.local) return publishedControl(api, task.containerId);
  const port = task.ports?.[CONTROL_PORT];
  return port === undefined ? undefined : { host: placedOn.host, port };
}

export interface SwarmNodeInit {
  readonly api: DockerApi;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly name: string;
  readonly role: ServiceRole;
  readonly upstream: Endpoint;
  readonly task: RunningTask;
  readonly control: Endpoint;
  /** Absent: this engine's node. */
  readonly placedOn?: PlacedNode;
  readonly readyTimeoutMs: number;
  /** Aborted when the run is interrupted: a restart under way stops waiting for the node. */
  readonly interrupted?: AbortSignal;
  /** Aborted when the engine stopped answering: every later engine call fails at once. */
  readonly engineLost?: AbortSignal;
}

/**
 * A node as a swarm service of one task. Crash, stop and pause act on the task's container through this
 * engine (the swarm does not restart it: restart policy none); a restart is a forced service update,
 * which starts a new task (a new container, address and published port; the service name, the
 * upstream, stays). A task on another node whose engine was given (CHAOS_SWARM_ENGINES) is handled the
 * same way through that engine, its state read from the container and, once the container is gone,
 * from the swarm's task. A task on another node without one is seen through the swarm's view of it: its
 * state, and its program started again through its control port; crash, stop and pause, which need its
 * container, are refused (see docs/platforms.md, where a run's work is placed).
 */
export class SwarmNode implements NodeHandle {
  readonly name: string;
  readonly role: ServiceRole;
  readonly upstream: Endpoint;
  /** The swarm node its tasks run on (a restart's new task goes to the same one). */
  readonly placedOn: PlacedNode;
  private task: RunningTask;
  private control: Endpoint;
  /** Every task this node had, oldest first: a restart's wait must not take an old one for the new. */
  private readonly tasks: RunningTask[];

  constructor(private readonly init: SwarmNodeInit) {
    this.name = init.name;
    this.role = init.role;
    this.upstream = init.upstream;
    this.task = init.task;
    this.control = init.control;
    this.placedOn = init.placedOn ?? { nodeId: init.task.nodeId, hostname: init.task.nodeId, local: true, host: '127.0.0.1' };
    this.tasks = [init.task];
  }

  get containerId(): string {
    return this.task.containerId;
  }

  private engine<T>(run: () => Promise<T>): Promise<T> {
    const lost = this.init.engineLost;
    return lost === undefined ? run() : unlessEngineLost(lost, run);
  }

  /** The engine that reaches the task's container: this one on its node, the node's own when given, else none. */
  private get containerApi(): DockerApi | undefined {
    return this.placedOn.local ? this.init.api : this.placedOn.engine;
  }

  /** A call to the engine of the task's container: another node's is bounded (see NODE_ENGINE_CALL_MS). */
  private containerCall<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.placedOn.local) return this.engine(run);
    return this.engine(() => boundedCall(`${what} of node ${this.name} on ${this.placedOn.hostname}'s engine`, run, { timeoutMs: NODE_ENGINE_CALL_MS, tries: 1 }));
  }

  private get container() {
    const api = this.containerApi;
    const container = (api ?? this.init.api).getContainer(this.task.containerId);
    return {
      inspect: () => this.containerCall('inspect', () => container.inspect()),
      kill: (options: { signal: string }) => this.containerCall('kill', () => container.kill(options)),
      stop: (options: { t: number }) => this.containerCall('stop', () => container.stop(options)),
      pause: () => this.containerCall('pause', () => container.pause()),
      unpause: () => this.containerCall('unpause', () => container.unpause()),
    };
  }

  controlUrl(): string {
    return `http://${this.control.host}:${this.control.port}`;
  }

  async kill(): Promise<void> {
    if ((await this.containerState()).state === 'exited') return;
    this.requireContainer('crash');
    await this.container.kill({ signal: 'SIGKILL' }).catch((error: unknown) => {
      if (!isDockerNoop(error)) throw error;
    });
    await this.waitUntilExited(5_000);
  }

  async stop(): Promise<void> {
    const state = await this.containerState();
    if (state.state === 'exited') return;
    this.requireContainer('graceful stop');
    if (state.state === 'paused') await this.container.unpause();
    await this.container.stop({ t: STOP_GRACE_SECONDS }).catch((error: unknown) => {
      if (!isDockerNoop(error)) throw error;
    });
  }

  async pause(): Promise<void> {
    if ((await this.containerState()).state === 'paused') return;
    this.requireContainer('pause');
    await this.container.pause();
  }

  async resume(): Promise<void> {
    if ((await this.containerState()).state !== 'paused') return;
    await this.container.unpause();
  }

  async restart(): Promise<void> {
    const state = await this.containerState();
    if (state.state === 'running' && (await programExitCode(this.controlUrl())) !== undefined) {
      await startProgram(this.controlUrl());
    } else {
      if (state.state !== 'exited') await this.stop();
      await this.startNewTask();
    }
    const outcome = await waitForHttpOk(`${this.controlUrl()}/healthz`, {
      timeoutMs: this.init.readyTimeoutMs,
      ...(this.init.interrupted === undefined ? {} : { signal: this.init.interrupted }),
      gaveUp: async () => {
        const now = await this.containerState();
        return now.state === 'exited' ? `the container exited with code ${now.exitCode ?? '?'}` : undefined;
      },
    });
    if (!outcome.ok) throw this.notReady(outcome.reason, await this.logs().catch(() => ''));
  }

  /** A forced update of the service, then its new task's container and published control port. */
  private async startNewTask(): Promise<void> {
    const { api, serviceId } = this.init;
    const seen = new Set(this.tasks.map((task) => task.taskId));
    await this.engine(() => forceServiceUpdate(api, serviceId));
    const task = await this.engine(() =>
      waitForRunningTask(api, serviceId, `restart of node ${this.name}`, {
        seen,
        timeoutMs: this.init.readyTimeoutMs,
        ...(this.init.interrupted === undefined ? {} : { signal: this.init.interrupted }),
      }),
    ).catch((error: unknown) => {
      throw error instanceof ChaosError ? error : this.notReady(error instanceof Error ? error.message : String(error));
    });
    const control = await this.engine(() => taskControl(api, task, this.placedOn));
    if (control === undefined) throw this.notReady(`no published port for ${CONTROL_PORT} is reported for the new task (node ${this.placedOn.hostname})`);
    this.tasks.push(task);
    this.task = task;
    this.control = control;
  }

  /** `exited` when the container ended, or when its program ended itself and the machine waits to start it again. */
  async inspect(): Promise<NodeRuntimeState> {
    const state = await this.containerState();
    if (state.state !== 'running') return state;
    const programExit = await programExitCode(this.controlUrl());
    return programExit === undefined ? state : { state: 'exited', exitCode: programExit };
  }

  /**
   * The task's container's state, through the engine that reaches it. On another node without its
   * engine, the task's state as the swarm reports it; with its engine, that too once the container is gone.
   */
  async containerState(): Promise<NodeRuntimeState> {
    if (this.containerApi === undefined) return this.swarmTaskState();
    try {
      const { State } = await this.container.inspect();
      return containerRunState(State);
    } catch (error) {
      if (!isDockerNotFound(error)) throw error;
      // The swarm removes the containers of old tasks (its task history limit): gone is exited.
      return this.placedOn.local ? { state: 'exited' as NodeRunState } : this.swarmTaskState();
    }
  }

  private async swarmTaskState(): Promise<NodeRuntimeState> {
    return taskRunState(await this.engine(() => readTask(this.init.api, this.task.taskId)));
  }

  /** The output of every task's container this node had that the engine reaching them still keeps, oldest first (bounded). */
  async logs(): Promise<string> {
    const api = this.containerApi;
    if (api === undefined) {
      return `(node ${this.name} runs on ${this.placedOn.hostname}: its containers' output is on that node's engine, which the harness reaches only when ${SWARM_ENGINES_ENV} names it)\n`;
    }
    const parts: string[] = [];
    for (const task of this.tasks) {
      const raw = await this.containerCall('logs', () =>
        api.getContainer(task.containerId).logs({ stdout: true, stderr: true, tail: logTailLines, follow: false }),
      ).catch(() => undefined);
      if (raw !== undefined) parts.push(demuxDockerLogs(raw));
    }
    const text = parts.join('');
    return text.length > logMaxChars ? text.slice(-logMaxChars) : text;
  }

  private async waitUntilExited(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.containerState()).state !== 'exited') {
      if (Date.now() > deadline) throw new ChaosError('TIMEOUT', `node ${this.name} did not exit after SIGKILL`, { hint: 'check the Docker engine (docker ps)' });
      await delay(25);
    }
  }

  /** Crash, stop and pause act on the task's container, which only the engine of the node that runs it reaches. */
  private requireContainer(fault: string): void {
    if (this.containerApi !== undefined) return;
    throw new ChaosError(
      'INVALID_CONFIG',
      `${fault} of node ${this.name}: it runs on ${this.placedOn.hostname}, and the harness reaches a task's container only through the engine it talks to (this manager's) or that node's own engine, which was not given`,
      {
        hint: `give that node's engine in ${SWARM_ENGINES_ENV} (e.g. ${SWARM_ENGINES_ENV}=${this.placedOn.hostname}=unix:///tmp/${this.placedOn.hostname}.sock, a socket forwarded with ssh -NL), or use --place manager for a scenario that crashes, pauses or stops nodes (docs/platforms.md, where a run's work is placed)`,
      },
    );
  }

  private notReady(reason: string, logs = ''): ChaosError {
    const tail = logs.trim().split('\n').slice(-10);
    return new ChaosError('NODE_NOT_READY', `node ${this.name} did not become healthy after a restart: ${reason}`, {
      hint: `read the node logs below and \`docker service ps --no-trunc ${this.init.serviceName}\`; rebuild the services image (npm run build, then chaos images) if the bundle is stale`,
      details: tail,
    });
  }
}
