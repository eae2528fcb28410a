import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ChaosError, errorMessage } from '../errors.js';
import { projectRoot } from '../provision/paths.js';
import { findOnPath } from './find-on-path.js';
import { checkRegistryReachable } from './image-registry.js';
import { identityOf, isAlive, type ProcessIdentity } from './process-identity.js';

/**
 * `chaos registry`: a registry for `--platform swarm --registry`, Debian's `docker-registry` (the
 * distribution project's registry) run from a state directory of the harness's own, on one address
 * (127.0.0.1 unless `--host` names another of this machine's, for the other nodes of a swarm) and
 * without auth. Debian's package also ships a systemd service (`docker-registry.service`, on :5000
 * on every interface, with htpasswd auth) where systemd runs; the harness never uses it.
 */

export const DEFAULT_REGISTRY_PORT = 5000;
export const defaultRegistryStateDir = join(projectRoot, '.cache', 'registry');
export const REGISTRY_BINARY = 'docker-registry';

const readyTimeoutMs = 10_000;
const stopGraceMs = 5_000;
const killWaitMs = 2_000;
const logTailLines = 10;

export interface RegistryFiles {
  readonly config: string;
  readonly data: string;
  readonly log: string;
  readonly pid: string;
}

export function registryFiles(stateDir: string): RegistryFiles {
  return { config: join(stateDir, 'config.yml'), data: join(stateDir, 'data'), log: join(stateDir, 'registry.log'), pid: join(stateDir, 'registry.pid') };
}

export const DEFAULT_REGISTRY_HOST = '127.0.0.1';

export function registryAddress(port: number, host: string = DEFAULT_REGISTRY_HOST): string {
  return `${host}:${port}`;
}

/** The registry's config.yml: storage under the state directory, deletes allowed, one address (loopback by default), no auth. */
export function registryConfig(stateDir: string, port: number, host: string = DEFAULT_REGISTRY_HOST): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(registryFiles(stateDir).data)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${registryAddress(port, host)}`,
    '',
  ].join('\n');
}

/** What `registry.pid` holds: the process (pid and start time, so a recycled pid is not taken for it) and its address. */
export interface RegistryRecord extends ProcessIdentity {
  readonly address: string;
}

export type RegistryState = { readonly running: true; readonly record: RegistryRecord } | { readonly running: false };

function parseRecord(text: string): RegistryRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<Record<keyof RegistryRecord, unknown>>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0 || typeof value.address !== 'string') return undefined;
    return typeof value.startTicks === 'string' ? { pid: value.pid, startTicks: value.startTicks, address: value.address } : { pid: value.pid, address: value.address };
  } catch {
    return undefined;
  }
}

/** Whether the registry `registry.pid` names still runs (not a process that reused its pid). */
export async function readRegistryState(stateDir: string): Promise<RegistryState> {
  const text = await readFile(registryFiles(stateDir).pid, 'utf8').catch(() => undefined);
  const record = text === undefined ? undefined : parseRecord(text);
  return record !== undefined && isAlive(record) ? { running: true, record } : { running: false };
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function logTail(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').filter((line) => line !== '').slice(-logTailLines);
}

/** The environment without REGISTRY_* variables, which would override the config (`REGISTRY_HTTP_ADDR=0.0.0.0:5000`). */
function registryEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('REGISTRY_')));
}

async function writeRecord(file: string, record: RegistryRecord): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record)}\n`);
  await rename(temporary, file);
}

export interface StartRegistryOptions {
  readonly stateDir: string;
  readonly port: number;
  /** The address it listens on (default 127.0.0.1): one of this machine's, for the other nodes of a swarm. */
  readonly host?: string | undefined;
  /** The docker-registry binary; absent, looked up on PATH. */
  readonly binary?: string | undefined;
  readonly readyTimeoutMs?: number;
}

export interface StartedRegistry {
  readonly kind: 'started' | 'already-running';
  readonly record: RegistryRecord;
}

/**
 * Starts `docker-registry serve <stateDir>/config.yml` detached (it outlives the command), its output in
 * `registry.log`, its pid in `registry.pid`, and waits until `GET /v2/` answers. One already running from
 * this state directory is left as it is. A registry that does not answer in time is killed, and its log's
 * last lines reported (PROVISION_FAILED, exit 3).
 */
export async function startRegistry(options: StartRegistryOptions): Promise<StartedRegistry> {
  const state = await readRegistryState(options.stateDir);
  if (state.running) return { kind: 'already-running', record: state.record };
  const files = registryFiles(options.stateDir);
  await rm(files.pid, { force: true });
  const binary = options.binary ?? findOnPath(REGISTRY_BINARY);
  if (binary === undefined) {
    throw new ChaosError('PROVISION_FAILED', `${REGISTRY_BINARY} is not on PATH`, {
      hint: `run \`npm run setup\` as root or \`apt-get install docker-registry\`; or run any registry yourself and pass its host:port with --registry`,
    });
  }
  const host = options.host ?? DEFAULT_REGISTRY_HOST;
  const address = registryAddress(options.port, host);
  if (!(await portFree(options.port, host))) {
    throw new ChaosError('PROVISION_FAILED', `${address} is already in use`, {
      hint: `pass another --port; if a registry already listens there (Debian's docker-registry service listens on :5000), pass its address with --registry instead`,
    });
  }
  await mkdir(files.data, { recursive: true });
  await writeFile(files.config, registryConfig(options.stateDir, options.port, host));
  const log = openSync(files.log, 'a');
  let exited = false;
  let child: ChildProcess;
  try {
    child = spawn(binary, ['serve', files.config], { detached: true, stdio: ['ignore', log, log], env: registryEnv(process.env) });
  } finally {
    closeSync(log);
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  child.once('exit', () => (exited = true));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new ChaosError('PROVISION_FAILED', `cannot start ${binary}: ${errorMessage(await spawnError)}`, { hint: `check ${binary}` });
  const record: RegistryRecord = { ...identityOf(pid), address };
  await writeRecord(files.pid, record);

  const deadline = Date.now() + (options.readyTimeoutMs ?? readyTimeoutMs);
  let last = 'no answer yet';
  while (!exited && Date.now() < deadline) {
    try {
      await checkRegistryReachable(address);
      if (!exited) return { kind: 'started', record };
    } catch (error) {
      last = errorMessage(error);
    }
    await delay(100);
  }
  const exitedEarly = exited;
  if (!exitedEarly) {
    signal(pid, 'SIGKILL');
    await waitForExit(record, killWaitMs);
  }
  await rm(files.pid, { force: true });
  throw new ChaosError('PROVISION_FAILED', exitedEarly ? `${REGISTRY_BINARY} exited before it answered at ${address}` : `${REGISTRY_BINARY} did not answer at ${address} within ${options.readyTimeoutMs ?? readyTimeoutMs} ms (${last}); killed it`, {
    hint: `read ${files.log} (its last lines below)`,
    details: await logTail(files.log),
  });
}

async function waitForExit(identity: ProcessIdentity, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(identity)) {
    if (Date.now() >= deadline) return false;
    await delay(50);
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export type StoppedRegistry = { readonly kind: 'not-running' } | { readonly kind: 'stopped'; readonly record: RegistryRecord; readonly forced: boolean };

/** SIGTERM, up to 5 s to exit, then SIGKILL; the pid file removed. A registry that is not running is no error. */
export async function stopRegistry(stateDir: string, graceMs: number = stopGraceMs): Promise<StoppedRegistry> {
  const state = await readRegistryState(stateDir);
  if (!state.running) {
    await rm(registryFiles(stateDir).pid, { force: true });
    return { kind: 'not-running' };
  }
  const { record } = state;
  signal(record.pid, 'SIGTERM');
  let forced = false;
  if (!(await waitForExit(record, graceMs))) {
    forced = true;
    signal(record.pid, 'SIGKILL');
    if (!(await waitForExit(record, killWaitMs))) {
      throw new ChaosError('PROVISION_FAILED', `the registry (pid ${record.pid}) still runs after SIGKILL`, { hint: `check the process (ps ${record.pid})` });
    }
  }
  await rm(registryFiles(stateDir).pid, { force: true });
  return { kind: 'stopped', record, forced };
}

export type RegistryStatus =
  | { readonly running: false }
  | { readonly running: true; readonly record: RegistryRecord; readonly answers: true }
  | { readonly running: true; readonly record: RegistryRecord; readonly answers: false; readonly reason: string };

/** Whether a registry started from `stateDir` runs, and whether it answers `GET /v2/`. */
export async function registryStatus(stateDir: string, fetchImpl: typeof fetch = fetch): Promise<RegistryStatus> {
  const state = await readRegistryState(stateDir);
  if (!state.running) return { running: false };
  try {
    await checkRegistryReachable(state.record.address, fetchImpl);
    return { running: true, record: state.record, answers: true };
  } catch (error) {
    return { running: true, record: state.record, answers: false, reason: errorMessage(error) };
  }
}
