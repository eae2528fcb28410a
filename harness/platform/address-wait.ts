import type { WaitStrategy } from 'testcontainers';
import { demuxDockerLogs } from './docker-engine.js';
import { addressOn } from './docker-reach.js';
import { waitForHttpOk } from './wait-healthy.js';

/** The part of a container (dockerode's) the wait uses. */
export interface PolledContainer {
  inspect(): Promise<{
    readonly State: { readonly Status: string; readonly ExitCode: number };
    readonly NetworkSettings: { readonly Networks?: Readonly<Record<string, { readonly IPAddress?: string | undefined } | undefined>> | undefined };
  }>;
  logs(options: { stdout: true; stderr: true; tail: number; follow: false }): Promise<Buffer>;
}

export interface AddressWaitOptions {
  /** The network whose address of the container is dialled. */
  readonly network: string;
  readonly port: number;
  readonly path: string;
  readonly intervalMs?: number;
  /** Gives up at once when aborted (the run was interrupted). */
  readonly signal?: AbortSignal;
}

const logTail = 50;
/** How often the container is inspected for an exit while its port does not answer yet. */
const exitCheckMs = 250;

const hasExited = (status: string): boolean => status === 'exited' || status === 'dead';

/**
 * Waits until `http://<the container's address on the network>:<port><path>` answers 2xx. A container
 * that exits meanwhile fails it at once, with its last log lines after `, last N logs: ` (as
 * testcontainers' own HTTP wait words it, since the container is removed right after).
 */
export async function waitForAddressHttp(container: PolledContainer, options: AddressWaitOptions & { readonly timeoutMs: number }): Promise<void> {
  const startedAt = Date.now();
  const exitError = async (code: number, url: string): Promise<Error> => {
    const logs = await container.logs({ stdout: true, stderr: true, tail: logTail, follow: false }).then(demuxDockerLogs, () => '');
    return new Error(`the container exited with code ${code} before ${url} answered, last ${logTail} logs: ${logs.trim()}`);
  };
  const first = await container.inspect();
  const where = `port ${options.port} on network ${options.network}`;
  if (hasExited(first.State.Status)) throw await exitError(first.State.ExitCode, where);
  const address = addressOn(first, options.network);
  if (address === undefined) throw new Error(`Docker reports no address for the container on network ${options.network}`);
  const url = `http://${address}:${options.port}${options.path}`;

  let exitCode: number | undefined;
  let checkedAt = Date.now();
  const outcome = await waitForHttpOk(url, {
    timeoutMs: options.timeoutMs,
    startedAt,
    intervalMs: options.intervalMs ?? 100,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    gaveUp: async () => {
      if (Date.now() - checkedAt < exitCheckMs) return undefined;
      checkedAt = Date.now();
      const { State } = await container.inspect();
      if (!hasExited(State.Status)) return undefined;
      exitCode = State.ExitCode;
      return 'exited';
    },
  });
  if (outcome.ok) return;
  if (exitCode !== undefined) throw await exitError(exitCode, url);
  throw new Error(outcome.reason === 'interrupted' ? `interrupted while waiting for ${url}` : outcome.reason);
}

/**
 * testcontainers' HTTP wait dials a published port; this one dials the container's address on a
 * network, for containers that publish nothing.
 */
export class AddressHttpWait implements WaitStrategy {
  private startupTimeoutMs = 60_000;
  private startupTimeoutSet = false;

  constructor(private readonly options: AddressWaitOptions) {}

  withStartupTimeout(startupTimeoutMs: number): this {
    this.startupTimeoutMs = startupTimeoutMs;
    this.startupTimeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.startupTimeoutSet;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }

  waitUntilReady(container: Parameters<WaitStrategy['waitUntilReady']>[0]): Promise<void> {
    return waitForAddressHttp(container, { ...this.options, timeoutMs: this.startupTimeoutMs });
  }
}
