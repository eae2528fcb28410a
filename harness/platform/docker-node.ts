import { setTimeout as delay } from 'node:timers/promises';
import { ChaosError } from '../errors.js';
import { demuxDockerLogs, isDockerNoop, type DockerApi } from './docker-engine.js';
import type { EndpointChange, EngineLanes } from './engine-lanes.js';
import { unlessEngineLost } from './engine-watch.js';
import { containerEndpoint, type DockerReach } from './docker-reach.js';
import { CONTROL_PORT, type Endpoint, type NodeHandle, type NodeRuntimeState, type ServiceRole } from './platform.js';
import { programExitCode, startProgram } from './program-control.js';
import { waitForHttpOk } from './wait-healthy.js';

const logTailLines = 2_000;
const logMaxChars = 256 * 1024;
const gracefulStopSeconds = 10;

export interface DockerNodeInit {
  readonly api: DockerApi;
  readonly containerId: string;
  readonly name: string;
  readonly role: ServiceRole;
  readonly upstream: Endpoint;
  /** Where the harness dials the control port, as the container was started. */
  readonly control: Endpoint;
  readonly reach: DockerReach;
  /** The run's network (its address there is the one dialled in `ip` reach). */
  readonly network: string;
  readonly readyTimeoutMs: number;
  /** Aborted when the run is interrupted: a restart under way stops waiting for the node. */
  readonly interrupted?: AbortSignal;
  /** Aborted when the engine stopped answering: every later engine call fails at once. */
  readonly engineLost?: AbortSignal;
  /** Keeps this node's starts apart from other nodes' kills, stops and removals (see EngineLanes). */
  readonly lanes?: EngineLanes;
}

/** A node running in a container: kill is `docker kill` (the container stays, exited), pause is `docker pause`. */
export class DockerNode implements NodeHandle {
  readonly name: string;
  readonly role: ServiceRole;
  readonly upstream: Endpoint;
  private control: Endpoint;

  constructor(private readonly init: DockerNodeInit) {
    this.name = init.name;
    this.role = init.role;
    this.upstream = init.upstream;
    this.control = init.control;
  }

  get containerId(): string {
    return this.init.containerId;
  }

  /** `run`, given up as soon as the engine is lost. */
  private engine<T>(run: () => Promise<T>): Promise<T> {
    const lost = this.init.engineLost;
    return lost === undefined ? run() : unlessEngineLost(lost, run);
  }

  /** `run` in the lane of its kind (see EngineLanes), given up as soon as the engine is lost. */
  private inLane<T>(kind: EndpointChange, run: () => Promise<T>): Promise<T> {
    const lanes = this.init.lanes;
    return this.engine(() => (lanes === undefined ? run() : lanes.run(kind, run)));
  }

  /** The container, each call raced against the engine's loss; calls that join or leave the network in their lane. */
  private get container() {
    const container = this.init.api.getContainer(this.init.containerId);
    return {
      inspect: () => this.engine(() => container.inspect()),
      kill: (options: { signal: string }) => this.engine(() => container.kill(options)),
      stop: (options: { t: number }) => this.inLane('leave', () => container.stop(options)),
      start: () => this.inLane('join', () => container.start()),
      pause: () => this.engine(() => container.pause()),
      unpause: () => this.engine(() => container.unpause()),
      logs: (options: { stdout: true; stderr: true; tail: number; follow: false }) => this.engine(() => container.logs(options)),
    };
  }

  controlUrl(): string {
    return `http://${this.control.host}:${this.control.port}`;
  }

  async kill(): Promise<void> {
    const state = await this.containerState();
    if (state.state === 'exited') return;
    // The engine deletes the endpoint as the container exits, after the kill call returns: the lane is held until then.
    await this.inLane('leave', async () => {
      await this.container.kill({ signal: 'SIGKILL' }).catch((error: unknown) => {
        if (!isDockerNoop(error)) throw error;
      });
      await this.waitUntilExited(5_000);
    });
  }

  async stop(): Promise<void> {
    const state = await this.containerState();
    if (state.state === 'exited') return;
    if (state.state === 'paused') await this.container.unpause();
    await this.container.stop({ t: gracefulStopSeconds }).catch((error: unknown) => {
      if (!isDockerNoop(error)) throw error;
    });
  }

  async pause(): Promise<void> {
    const state = await this.containerState();
    if (state.state === 'paused') return;
    await this.container.pause();
  }

  async resume(): Promise<void> {
    const state = await this.containerState();
    if (state.state !== 'paused') return;
    await this.container.unpause();
  }

  async restart(): Promise<void> {
    const state = await this.containerState();
    if (state.state === 'running' && (await programExitCode(this.controlUrl())) !== undefined) {
      await startProgram(this.controlUrl());
    } else {
      if (state.state !== 'exited') await this.stop();
      await this.container.start();
      // A start may give the container another address or host port.
      const control = containerEndpoint(this.init.reach, this.init.network, CONTROL_PORT, await this.container.inspect());
      if (control === undefined) {
        throw this.notReady(this.init.reach === 'ip' ? `Docker reports no address for the container on network ${this.init.network}` : 'Docker reports no mapped control port');
      }
      this.control = control;
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

  /** `exited` when the container ended, or when its program ended itself and the machine waits to start it again. */
  async inspect(): Promise<NodeRuntimeState> {
    const state = await this.containerState();
    if (state.state !== 'running') return state;
    const programExit = await programExitCode(this.controlUrl());
    return programExit === undefined ? state : { state: 'exited', exitCode: programExit };
  }

  private async containerState(): Promise<NodeRuntimeState> {
    const { State } = await this.container.inspect();
    if (State.Paused) return { state: 'paused' };
    if (State.Running || State.Restarting) return { state: 'running' };
    return { state: 'exited', exitCode: State.ExitCode };
  }

  async logs(): Promise<string> {
    const raw = await this.container.logs({ stdout: true, stderr: true, tail: logTailLines, follow: false });
    const text = demuxDockerLogs(raw);
    return text.length > logMaxChars ? text.slice(-logMaxChars) : text;
  }

  private async waitUntilExited(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.containerState()).state !== 'exited') {
      if (Date.now() > deadline) throw new ChaosError('TIMEOUT', `node ${this.name} did not exit after SIGKILL`, { hint: 'check the Docker engine (docker ps)' });
      await delay(25);
    }
  }

  private notReady(reason: string, logs = ''): ChaosError {
    const tail = logs.trim().split('\n').slice(-10);
    return new ChaosError('NODE_NOT_READY', `node ${this.name} did not become healthy after a restart: ${reason}`, {
      hint: 'read the node logs below; rebuild the services image (npm run build, then chaos images) if the bundle is stale',
      details: tail,
    });
  }
}
