import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { processExitCode } from './node-names.js';
import { TextRing } from './ring-buffer.js';

export interface ChildExit {
  readonly code: number | undefined;
}

const signalNumbers = constants.signals as unknown as Record<string, number>;

/**
 * A child process in its own process group (so a Ctrl-C to the harness does not reach it before the
 * harness has healed faults and cleaned up), with its output in a bounded ring and its exit recorded.
 */
export class ManagedChild {
  readonly pid: number;
  private readonly child: ChildProcess;
  private exitInfo: ChildExit | undefined;
  readonly exited: Promise<ChildExit>;

  constructor(
    readonly argv: readonly string[],
    env: NodeJS.ProcessEnv,
    private readonly output: TextRing,
  ) {
    const [command, ...args] = argv;
    if (command === undefined) throw new Error('empty argv');
    this.child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code: processExitCode(code, signal, signalNumbers) };
        resolve(this.exitInfo);
      });
      this.child.once('error', (error) => {
        this.output.write(`[harness] could not start ${command}: ${error.message}\n`);
        this.exitInfo ??= { code: undefined };
        resolve(this.exitInfo);
      });
    });
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => this.output.write(text));
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => this.output.write(text));
    this.pid = this.child.pid ?? -1;
  }

  /** Undefined while the process runs. */
  get exit(): ChildExit | undefined {
    return this.exitInfo;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.exitInfo !== undefined || this.pid <= 0) return;
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** Resolves with the exit, or undefined if the process still runs after `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<ChildExit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(): Promise<ChildExit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** SIGTERM (and SIGCONT, in case it is stopped), then SIGKILL after `graceMs`. */
  async terminate(graceMs: number): Promise<ChildExit> {
    this.signal('SIGTERM');
    this.signal('SIGCONT');
    const exit = await this.waitExit(graceMs);
    return exit ?? this.kill();
  }
}
