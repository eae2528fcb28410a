import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { freeLoopbackPort } from '../../../harness/platform/free-port.js';
import { identityOf, isAlive, pidAlive, processArgv } from '../../../harness/platform/process-identity.js';
import {
  readRegistryState,
  registryConfig,
  registryFiles,
  registryStatus,
  startRegistry,
  stopRegistry,
} from '../../../harness/platform/registry-server.js';

let root: string;
let counter = 0;
const fresh = (): string => join(root, `state-${(counter += 1)}`);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chaos-registry-unit-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

async function rejected(promise: Promise<unknown>): Promise<ChaosError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChaosError);
  return error as ChaosError;
}

/** A stand-in for docker-registry: a shell script that never answers on the port. */
function script(body: string): string {
  const file = join(root, `fake-registry-${(counter += 1)}.sh`);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A detached process standing in for a started registry, recorded in `stateDir`'s pid file. */
function recordedProcess(stateDir: string, command: string): number {
  const child = spawn('sh', ['-c', command], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid!;
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(registryFiles(stateDir).pid, JSON.stringify({ ...identityOf(pid), address: '127.0.0.1:5999' }));
  return pid;
}

/** Waits (at most 5 s) until the process has exec'd `sleep`: past the shell's trap. */
async function untilSleeping(pid: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (processArgv(pid)?.[0] !== 'sleep') {
    if (Date.now() > deadline) throw new Error(`process ${pid} never exec'd sleep`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('registryConfig', () => {
  it('keeps its data in the state directory, allows deletes, listens on loopback only and has no auth', () => {
    expect(registryConfig('/srv/state dir', 5123)).toBe(
      ['version: 0.1', 'log:', '  level: info', 'storage:', '  filesystem:', '    rootdirectory: "/srv/state dir/data"', '  delete:', '    enabled: true', 'http:', '  addr: 127.0.0.1:5123', ''].join('\n'),
    );
    expect(registryConfig('/s', 5000)).not.toMatch(/0\.0\.0\.0|auth|htpasswd/);
  });

  it('names its files in the state directory', () => {
    expect(registryFiles('/s')).toEqual({ config: '/s/config.yml', data: '/s/data', log: '/s/registry.log', pid: '/s/registry.pid' });
  });
});

describe('the pid file', () => {
  it('is not running without one, with a torn one, or when its pid is gone or reused', async () => {
    const stateDir = fresh();
    expect(await readRegistryState(stateDir)).toEqual({ running: false });
    mkdirSync(stateDir);
    writeFileSync(registryFiles(stateDir).pid, '{"pid": 12');
    expect(await readRegistryState(stateDir)).toEqual({ running: false });
    writeFileSync(registryFiles(stateDir).pid, JSON.stringify({ pid: process.pid, startTicks: '1', address: '127.0.0.1:5000' }));
    expect(await readRegistryState(stateDir)).toEqual({ running: false });
    const record = { ...identityOf(process.pid), address: '127.0.0.1:5000' };
    writeFileSync(registryFiles(stateDir).pid, JSON.stringify(record));
    expect(await readRegistryState(stateDir)).toEqual({ running: true, record });
  });
});

describe('stopRegistry', () => {
  it('says so, and removes a stale pid file, when nothing runs', async () => {
    const stateDir = fresh();
    mkdirSync(stateDir);
    writeFileSync(registryFiles(stateDir).pid, JSON.stringify({ pid: process.pid, startTicks: '1', address: '127.0.0.1:5000' }));
    expect(await stopRegistry(stateDir)).toEqual({ kind: 'not-running' });
    expect(existsSync(registryFiles(stateDir).pid)).toBe(false);
    expect(pidAlive(process.pid)).toBe(true);
  });

  it('ends the process with SIGTERM and removes the pid file', async () => {
    const stateDir = fresh();
    const pid = recordedProcess(stateDir, 'exec sleep 30');
    const stopped = await stopRegistry(stateDir);
    expect(stopped).toMatchObject({ kind: 'stopped', forced: false, record: { pid } });
    expect(pidAlive(pid)).toBe(false);
    expect(existsSync(registryFiles(stateDir).pid)).toBe(false);
  });

  it('kills one that ignores SIGTERM once the grace is over', async () => {
    const stateDir = fresh();
    const pid = recordedProcess(stateDir, "trap '' TERM; exec sleep 30");
    await untilSleeping(pid);
    const started = Date.now();
    const stopped = await stopRegistry(stateDir, 300);
    expect(stopped).toMatchObject({ kind: 'stopped', forced: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(pidAlive(pid)).toBe(false);
  });
});

describe('startRegistry refusals', () => {
  it('refuses without docker-registry on PATH, naming the package and --registry', async () => {
    const saved = process.env['PATH'];
    process.env['PATH'] = join(root, 'empty');
    try {
      const stateDir = fresh();
      const error = await rejected(startRegistry({ stateDir, port: await freeLoopbackPort() }));
      expect(error.exitCode).toBe(3);
      expect(error.message).toBe('docker-registry is not on PATH');
      expect(error.hint).toContain('apt-get install docker-registry');
      expect(error.hint).toContain('--registry');
      expect(existsSync(stateDir)).toBe(false);
    } finally {
      process.env['PATH'] = saved;
    }
  });

  it('refuses a port already in use on 127.0.0.1', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const error = await rejected(startRegistry({ stateDir: fresh(), port, binary: script('exec sleep 30') }));
      expect(error.message).toBe(`127.0.0.1:${port} is already in use`);
      expect(error.hint).toContain('--port');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('kills a registry that never answers, removes its pid file and reports its log', async () => {
    const stateDir = fresh();
    const binary = script('echo "listening never"; echo "config: $2"; exec sleep 30');
    const error = await rejected(startRegistry({ stateDir, port: await freeLoopbackPort(), binary, readyTimeoutMs: 600 }));
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^docker-registry did not answer at 127\.0\.0\.1:\d+ within 600 ms .*; killed it$/);
    expect(error.details).toEqual(['listening never', `config: ${registryFiles(stateDir).config}`]);
    expect(existsSync(registryFiles(stateDir).pid)).toBe(false);
    expect(readFileSync(registryFiles(stateDir).config, 'utf8')).toContain('rootdirectory');
  });

  it('reports a registry that exits at once, with its log', async () => {
    const stateDir = fresh();
    const error = await rejected(startRegistry({ stateDir, port: await freeLoopbackPort(), binary: script('echo "bind: address already in use" >&2; exit 1') }));
    expect(error.message).toMatch(/^docker-registry exited before it answered at 127\.0\.0\.1:\d+$/);
    expect(error.details).toEqual(['bind: address already in use']);
    expect(existsSync(registryFiles(stateDir).pid)).toBe(false);
  });

  it('leaves one already running from the state directory as it is', async () => {
    const stateDir = fresh();
    const pid = recordedProcess(stateDir, 'exec sleep 30');
    try {
      const started = await startRegistry({ stateDir, port: 5999, binary: script('exit 1') });
      expect(started).toMatchObject({ kind: 'already-running', record: { pid, address: '127.0.0.1:5999' } });
      const status = await registryStatus(stateDir, async () => new Response('', { status: 200 }));
      expect(status).toMatchObject({ running: true, answers: true, record: { pid } });
    } finally {
      await stopRegistry(stateDir);
    }
    expect(isAlive({ pid })).toBe(false);
  });
});
