import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * `npm test`'s vitest part: two lanes side by side, each its own vitest process. The integration tests
 * share one Docker engine and run one file at a time; the unit tests and the skype-2010 end-to-end test
 * (local processes, no engine) run beside them. One vitest cannot do this: it runs a project whose files
 * go one at a time only after every other project is done. Each line is prefixed with its lane; the last
 * line sums both lanes up. Extra arguments go to both vitest processes.
 */

interface Lane {
  readonly name: string;
  readonly projects: readonly string[];
}

const lanes: readonly Lane[] = [
  { name: 'integration', projects: ['integration'] },
  { name: 'unit+e2e', projects: ['unit', 'e2e'] },
];

interface LaneResult {
  readonly code: number;
  readonly passed: number;
  readonly failed: number;
}

function runLane(lane: Lane, reportFile: string, extra: readonly string[]): Promise<LaneResult> {
  const args = ['vitest', 'run', ...lane.projects.flatMap((project) => ['--project', project]), '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...extra];
  const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(process.stdout.isTTY === true ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }) } });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim() !== '') process.stdout.write(`[${lane.name}] ${line}\n`);
    });
  }
  return new Promise((resolve) => {
    child.on('close', (code) => {
      let passed = 0;
      let failed = 0;
      try {
        const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { numPassedTests: number; numFailedTests: number };
        passed = report.numPassedTests;
        failed = report.numFailedTests;
      } catch {
        // No report: the lane died before vitest wrote it; its exit code says so.
      }
      resolve({ code: code ?? 1, passed, failed });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'sc-lanes-'));
try {
  const results = await Promise.all(lanes.map((lane) => runLane(lane, join(dir, `${lane.name}.json`), process.argv.slice(2))));
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
