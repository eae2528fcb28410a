import { ChaosError } from '../errors.js';
import { ManagedChild } from './managed-child.js';
import { programExitCode, startProgram } from './program-control.js';
import type { Endpoint, NodeHandle, NodeRuntimeState, ServiceRole } from './platform.js';
import { TextRing } from './ring-buffer.js';
import { waitForHttpOk } from './wait-healthy.js';

const logCapacityChars = 256 * 1024;
const gracefulStopMs = 10_000;

export interface LocalNodeInit {
  readonly name: string;
  readonly role: ServiceRole;
  readonly upstream: Endpoint;
  readonly controlPort: number;
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly readyTimeoutMs: number;
  /** Aborted when the run is interrupted: a start or restart under way stops waiting for the node. */
  readonly interrupted?: AbortSignal;
  /** Called after every (re)spawn, so the run record names the current pid. */
  readonly spawned: (child: ManagedChild) => Promise<void>;
}

/** A node as a `node dist/services.cjs` child on loopback; its ports are kept across restarts. */
export class LocalNode implements NodeHandle {
  readonly name: string;
  readonly role: ServiceRole;
  readonly upstream: Endpoint;
  private readonly output = new TextRing(logCapacityChars);
  private child: ManagedChild | undefined;
  private paused = false;

  constructor(private readonly init: LocalNodeInit) {
    this.name = init.name;
    this.role = init.role;
    this.upstream = init.upstream;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  controlUrl(): string {
    return `http://127.0.0.1:${this.init.controlPort}`;
  }

  /** Spawns the process and waits until `/healthz` answers. */
  async start(code: 'NODE_START_FAILED' | 'NODE_NOT_READY' = 'NODE_START_FAILED'): Promise<void> {
    const child = new ManagedChild(this.init.argv, this.init.env, this.output);
    this.child = child;
    this.paused = false;
    await this.init.spawned(child);
    await this.waitHealthy(child, code);
  }

  private async waitHealthy(child: ManagedChild, code: 'NODE_START_FAILED' | 'NODE_NOT_READY'): Promise<void> {
    const interrupted = this.init.interrupted;
    const outcome = await waitForHttpOk(`${this.controlUrl()}/healthz`, {
      timeoutMs: this.init.readyTimeoutMs,
      ...(interrupted === undefined ? {} : { signal: interrupted }),
      gaveUp: () => (child.exit === undefined ? undefined : exitedReason(child.exit.code, this.output.text())),
    });
    if (outcome.ok) return;
    await child.kill();
    if (interrupted?.aborted === true) throw interrupted.reason;
    throw new ChaosError(code, `node ${this.name} (${this.role}) did not become healthy: ${outcome.reason}`, {
      hint: 'read the node output below; run `npm run build` if dist/services.cjs is stale',
      details: this.output.text().trim().split('\n').slice(-10),
    });
  }

  async kill(): Promise<void> {
    await this.child?.kill();
    this.paused = false;
  }

  async stop(): Promise<void> {
    await this.child?.terminate(gracefulStopMs);
    this.paused = false;
  }

  async pause(): Promise<void> {
    if (this.child?.exit !== undefined || this.paused) return;
    this.child?.signal('SIGSTOP');
    this.paused = true;
  }

  async resume(): Promise<void> {
    if (!this.paused) return;
    this.child?.signal('SIGCONT');
    this.paused = false;
  }

  async restart(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exit === undefined) {
      if (!this.paused && (await programExitCode(this.controlUrl())) !== undefined) {
        this.output.write(`[harness] starting the program on ${this.name} again\n`);
        await startProgram(this.controlUrl());
        await this.waitHealthy(child, 'NODE_NOT_READY');
        return;
      }
      await this.stop();
    }
    this.output.write(`[harness] restarting ${this.name}\n`);
    await this.start('NODE_NOT_READY');
  }

  /** `exited` when the process ended, or when its program ended itself and the machine waits to start it again. */
  async inspect(): Promise<NodeRuntimeState> {
    const exit = this.child?.exit;
    if (this.child === undefined || exit !== undefined) {
      return exit?.code === undefined ? { state: 'exited' } : { state: 'exited', exitCode: exit.code };
    }
    if (this.paused) return { state: 'paused' };
    const programExit = await programExitCode(this.controlUrl());
    return programExit === undefined ? { state: 'running' } : { state: 'exited', exitCode: programExit };
  }

  async logs(): Promise<string> {
    return this.output.text();
  }
}

/** Why a node that exited before it was healthy did so: its code, and its last line of output, which names the cause. */
export function exitedReason(code: number | null | undefined, output: string): string {
  const lastLine = output.trim().split('\n').at(-1)?.trim();
  return `the process exited with code ${code ?? '?'}${lastLine === undefined || lastLine === '' ? '' : ` (${lastLine})`}`;
}
