import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freeLoopbackPorts, holdLoopbackPort } from '../../../harness/platform/free-port.js';
import { PortClaims } from '../../../harness/platform/port-claims.js';
import { exitedReason } from '../../../harness/platform/local-node.js';

let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'port-claims-'));
});

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Another harness process that claims `port` in `dir`, says so, then waits (or exits at once when `exit`). */
async function claimInAnotherProcess(port: number, exit = false): Promise<ChildProcess> {
  const script = [
    `import { PortClaims } from ${JSON.stringify(new URL('../../../harness/platform/port-claims.ts', import.meta.url).pathname)};`,
    `const claimed = new PortClaims(${JSON.stringify(dir)}).claim(${port});`,
    `process.stdout.write(claimed ? 'claimed\\n' : 'refused\\n');`,
    exit ? 'process.exit(0);' : 'setInterval(() => {}, 1000);',
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(chunk.toString().trim()).toBe('claimed');
  return child;
}

describe('port claims keep a port handed out by one harness process from every other', () => {
  it('refuses a port claimed by another owner in this process until that owner gives it back', () => {
    const platformA = new PortClaims(dir);
    const platformB = new PortClaims(dir);
    expect(platformA.claim(21_000)).toBe(true);
    expect(platformB.claim(21_000)).toBe(false);
    expect(platformA.claim(21_000)).toBe(false);
    platformA.disclaimAll();
    expect(platformB.claim(21_000)).toBe(true);
    expect(platformB.ports()).toEqual([21_000]);
    platformB.disclaim(21_000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a port a live harness process claims, and takes it over once that process is SIGKILLed', async () => {
    const other = await claimInAnotherProcess(21_001);
    const claims = new PortClaims(dir);
    expect(claims.claim(21_001)).toBe(false);
    await expect(holdLoopbackPort(new Set(), { claims, range: { first: 21_001, last: 21_001 } })).rejects.toThrow(
      'no free loopback port in 21001-21001 after 200 tries',
    );
    other.kill('SIGKILL');
    await once(other, 'exit');
    expect(existsSync(join(dir, '21001'))).toBe(true);
    expect(claims.claim(21_001)).toBe(true);
    claims.disclaimAll();
  });

  it('gives its claims back when the process exits', async () => {
    const other = await claimInAnotherProcess(21_002, true);
    if (other.exitCode === null) await once(other, 'exit');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not take over a claim still being written (no owner in it yet)', () => {
    writeFileSync(join(dir, '21003'), '');
    expect(new PortClaims(dir).claim(21_003)).toBe(false);
  });

  it('gives back a claimed port it cannot bind, and keeps the one it draws', async () => {
    // Real free ports (claimed for this process in the shared directory), so no other server is on them.
    const [busy, free] = await freeLoopbackPorts(2);
    const server = createServer();
    server.listen(busy, '127.0.0.1');
    await once(server, 'listening');
    const claims = new PortClaims(dir);
    await expect(holdLoopbackPort(new Set(), { claims, range: { first: busy!, last: busy! } })).rejects.toThrow('after 200 tries');
    expect(claims.ports()).toEqual([]);
    expect(await freeLoopbackPorts(1, new Set(), { claims, range: { first: free!, last: free! } })).toEqual([free]);
    expect(claims.ports()).toEqual([free]);
    expect(readdirSync(dir)).toEqual([String(free)]);
    server.close();
    claims.disclaimAll();
  });
});

describe('a node that exits before it is healthy', () => {
  it('is reported with its exit code and its last line of output, which names the cause', () => {
    expect(exitedReason(78, '[fleet-1] starting\nservice failed to start: listen EADDRINUSE: address already in use 127.0.0.1:21000\n')).toBe(
      'the process exited with code 78 (service failed to start: listen EADDRINUSE: address already in use 127.0.0.1:21000)',
    );
    expect(exitedReason(null, '  \n')).toBe('the process exited with code ?');
  });
});
