import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosError } from '../errors.js';
import { aptInstall } from './apt.js';
import { connectDocker, type DockerConnection } from './docker-client.js';
import { findOnPath } from '../platform/find-on-path.js';
import { isExecutable } from './exec.js';
import { dockerdLogPath } from './paths.js';

async function dockerdPath(): Promise<string | null> {
  for (const candidate of ['/usr/sbin/dockerd', '/usr/bin/dockerd']) {
    if (await isExecutable(candidate)) return candidate;
  }
  return findOnPath('dockerd') ?? null;
}

async function runningDockerdPid(): Promise<number | null> {
  try {
    const pid = Number.parseInt(await readFile('/var/run/docker.pid', 'utf8'), 10);
    if (!Number.isInteger(pid) || pid <= 0) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** Starts dockerd in its own session, logging to a file, so it outlives this process. */
function startDockerd(binary: string): number | undefined {
  const log = openSync(dockerdLogPath, 'a');
  try {
    const child = spawn(binary, [], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export async function waitForEngine(timeoutMs: number): Promise<DockerConnection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connectDocker(2_000);
    } catch {
      if (Date.now() >= deadline) {
        throw new ChaosError('TIMEOUT', `dockerd did not answer within ${Math.round(timeoutMs / 1000)} s`, {
          hint: `read ${dockerdLogPath}; dockerd needs root, iptables and cgroups`,
        });
      }
      await sleep(500);
    }
  }
}

export interface EngineProvisioned {
  readonly installed: boolean;
  readonly started: boolean;
  readonly connection: DockerConnection;
}

/** Debian as root: install docker.io when dockerd is absent, start dockerd when it is not running, wait for it. */
export async function provisionEngine(
  installPackage: boolean,
  progress: (line: string) => void,
  timeoutMs = 60_000,
): Promise<EngineProvisioned> {
  if (installPackage) await aptInstall(['docker.io'], progress);
  const binary = await dockerdPath();
  if (binary === null) {
    throw new ChaosError('PROVISION_FAILED', 'dockerd not found after installing docker.io', {
      hint: 'run `apt-get install -y docker.io` yourself and check that /usr/sbin/dockerd exists',
    });
  }
  const alreadyRunning = await runningDockerdPid();
  let started = false;
  if (alreadyRunning === null) {
    try {
      return { installed: installPackage, started: false, connection: await connectDocker(2_000) };
    } catch {
      progress(`${binary} (log: ${dockerdLogPath})`);
      startDockerd(binary);
      started = true;
    }
  }
  return { installed: installPackage, started, connection: await waitForEngine(timeoutMs) };
}
