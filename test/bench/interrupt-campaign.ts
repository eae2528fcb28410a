import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';

/**
 * skype-2010 runs on Docker cancelled as a CI runner cancels: SIGTERM to the whole process group
 * (`npm run chaos` and everything under it), at a range of moments, one run after the other. Prints,
 * per run, the moment, the exit code and the seconds from the signal to the exit; the histories go to
 * OUT/run-<i>/ for campaign-table.ts.
 *
 *   tsx test/bench/interrupt-campaign.ts --out DIR [--runs 6] [--from 10] [--step 25]
 */

async function interruptedRun(out: string, afterSeconds: number): Promise<{ code: number | null; secondsToExit: number }> {
  const child = spawn('npm', ['run', 'chaos', '--', 'skype-2010', '--platform', 'docker', '--out', out], { detached: true, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await delay(afterSeconds * 1_000);
  const signalledAt = Date.now();
  process.kill(-(child.pid as number), 'SIGTERM');
  const code = await exited;
  return { code, secondsToExit: (Date.now() - signalledAt) / 1_000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, runs: { type: 'string', default: '6' }, from: { type: 'string', default: '10' }, step: { type: 'string', default: '25' } } });
  if (values.out === undefined) throw new Error('--out DIR is required');
  for (let i = 0; i < Number(values.runs); i += 1) {
    const at = Number(values.from) + i * Number(values.step);
    const out = join(values.out, `run-${i}`);
    mkdirSync(out, { recursive: true });
    const result = await interruptedRun(out, at);
    process.stdout.write(`${JSON.stringify({ run: i, signalAfterSeconds: at, exitCode: result.code, secondsFromSignalToExit: result.secondsToExit })}\n`);
  }
}

await main();
