import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
