import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem, availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { dockerApi, pingDocker } from '../../harness/platform/docker-engine.js';
import { findOnPath } from '../../harness/platform/find-on-path.js';
import { rounded } from './stats.js';

const run = promisify(execFile);

export interface MachineFacts {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly loadAverageAtStart: readonly [number, number, number];
  readonly node: string;
  readonly os: string;
  readonly commit: string;
  /** Files changed in the working tree beside the commit (other work in progress is measured too). */
  readonly uncommittedFiles: number;
  readonly date: string;
  readonly toxiproxyServer: string | undefined;
  readonly dockerEngine: string | undefined;
}

async function output(command: string, args: readonly string[]): Promise<string | undefined> {
  try {
    return (await run(command, [...args], { timeout: 10_000 })).stdout.trim();
  } catch {
    return undefined;
  }
}

async function dockerVersion(): Promise<string | undefined> {
  if (!(await pingDocker(1_000))) return undefined;
  try {
    const version = (await (await dockerApi()).version()) as { Version?: string };
    return version.Version;
  } catch {
    return undefined;
  }
}

const loadAverage = (): [number, number, number] => {
  const [one = 0, five = 0, fifteen = 0] = loadavg().map((value) => rounded(value));
  return [one, five, fifteen];
};

export const currentLoadAverage = loadAverage;

export async function machineFacts(): Promise<MachineFacts> {
  const toxiproxy = findOnPath('toxiproxy-server');
  const [commit, status, toxiproxyVersion, dockerEngine] = await Promise.all([
    output('git', ['rev-parse', 'HEAD']),
    output('git', ['status', '--porcelain']),
    toxiproxy === undefined ? undefined : output(toxiproxy, ['-version']),
    dockerVersion(),
  ]);
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: rounded(totalmem() / 2 ** 30, 1),
    loadAverageAtStart: loadAverage(),
    node: process.version,
    os: `${process.platform} ${process.arch}`,
    commit: commit ?? 'unknown',
    uncommittedFiles: status === undefined || status === '' ? 0 : status.split('\n').length,
    date: new Date().toISOString(),
    toxiproxyServer: toxiproxyVersion,
    dockerEngine,
  };
}
