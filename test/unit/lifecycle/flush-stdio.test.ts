import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchemaText } from '../../../harness/scenario/scenario-json-schema.js';

const flushModule = fileURLToPath(new URL('../../../harness/lifecycle/flush-stdio.ts', import.meta.url));
const BYTES = 1024 * 1024;

/** A child that writes 1 MiB into its stdout pipe and exits at once, with or without the flush; read slowly. */
function readChildOutput(flush: boolean): Promise<number> {
  const script = flush
    ? `import { exitAfterFlush } from ${JSON.stringify(flushModule)}; process.stdout.write('x'.repeat(${BYTES})); await exitAfterFlush(0);`
    : `process.stdout.write('x'.repeat(${BYTES})); process.exit(0);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let received = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    received += chunk.length;
    // A slow reader: the pipe fills while the child wants to exit.
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 2);
  });
  return new Promise((done) => child.on('close', () => done(received)));
}

describe('exiting after the standard streams are flushed', () => {
  it('hands a slow pipe every byte written before the exit', async () => {
    expect(await readChildOutput(true)).toBe(BYTES);
  });

  it('is needed: an exit without it cuts what the pipe had not taken', async () => {
    expect(await readChildOutput(false)).toBeLessThan(BYTES);
  });
});

const cli = fileURLToPath(new URL('../../../harness/cli.ts', import.meta.url));

/** `chaos schema` (about 68 KB) into a pipe; `closeAfterFirst` is a reader that stops early, like `| head -1`. */
function schemaThroughPipe(closeAfterFirst: boolean): Promise<{ code: number | null; received: number; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let received = 0;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (closeAfterFirst) child.stdout.destroy();
    else {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 5);
    }
  });
  return new Promise((done) => child.on('close', (code) => done({ code, received, stderr })));
}

describe('the CLI writing into a pipe', () => {
  it('hands a slow reader the whole output before it exits', async () => {
    const { code, received } = await schemaThroughPipe(false);
    expect(code).toBe(0);
    expect(received).toBe(Buffer.byteLength(scenarioJsonSchemaText()));
  });

  it('exits 0 and says nothing when its reader stops early', async () => {
    const { code, stderr } = await schemaThroughPipe(true);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

/** A child that writes, waits while its reader goes away, and writes again: the second write meets EPIPE while it runs. */
function writeAfterReaderLeft(tolerate: boolean): Promise<{ code: number | null; stderr: string }> {
  const script = [
    `import { exitAfterFlush, tolerateClosedReader } from ${JSON.stringify(flushModule)};`,
    tolerate ? 'tolerateClosedReader(process.stdout);' : '',
    "process.stdout.write('first\\n');",
    'await new Promise((done) => setTimeout(done, 300));',
    "process.stdout.write('x'.repeat(200000));",
    'await new Promise((done) => setTimeout(done, 100));',
    'await exitAfterFlush(0);',
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
}

describe('a reader that goes away while the command runs', () => {
  it('is no error once tolerated', async () => {
    expect(await writeAfterReaderLeft(true)).toEqual({ code: 0, stderr: '' });
  });

  it('would crash the command otherwise (EPIPE)', async () => {
    const { code, stderr } = await writeAfterReaderLeft(false);
    expect(code).not.toBe(0);
    expect(stderr).toContain('EPIPE');
  });
});
