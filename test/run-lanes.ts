import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * `npm test` after the build: two lanes side by side, each a sequence of steps in its own processes.
 * One: the unit tests, then the integration tests (they share one Docker engine and run one file at a
 * time). Beside it: the type check, the lint, then the end-to-end tests, every whole scenario on local
 * processes one after the other (two at once starve each other's fleets: the harness then judges them
 * unknown, and the test has nothing to check). This lane is the longer. One vitest cannot do this: it
 * runs a one-file-at-a-time project only after every other project is done.
 * The end-to-end tests start only when the unit tests are done: a scenario of 300 clients on two cores
 * slowed the unit tests' own small networks of real services fourfold.
 * Each line is prefixed with its lane; the last line sums the lanes' tests up. Extra arguments go to
 * every vitest step.
 */

interface Step {
  readonly command: readonly string[];
  /** A vitest step: its projects (the JSON report is added). */
  readonly projects?: readonly string[];
  /** Another lane's step, by its projects, that must be over before this one starts. */
  readonly after?: string;
}

interface Lane {
  readonly name: string;
  readonly steps: readonly Step[];
}

// The type check and the lint (about 30 s) run beside the unit tests (about 60 s) and are done before
// the integration tests start: nothing CPU-bound runs beside those but the end-to-end test, since the
// interrupt matrix aims signals at phases a few hundred ms long.
const lanes: readonly Lane[] = [
  {
    name: 'e2e',
    steps: [{ command: ['npm', 'run', '--silent', 'typecheck'] }, { command: ['npm', 'run', '--silent', 'lint'] }, { command: [], projects: ['e2e'], after: 'unit' }],
  },
  {
    name: 'checks',
    steps: [
      { command: [], projects: ['unit'] },
      { command: [], projects: ['integration', 'local'] },
    ],
  },
];

interface StepResult {
  readonly code: number;
  readonly passed: number;
  readonly failed: number;
  /** Test files that failed, with or without a failed test (a failed `beforeAll` fails none of its tests). */
  readonly failedFiles: number;
}

const color = process.stdout.isTTY === true ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' };

function runStep(lane: string, step: Step, reportFile: string, extra: readonly string[]): Promise<StepResult> {
  const command =
    step.projects === undefined
      ? step.command
      : ['npx', 'vitest', 'run', ...step.projects.flatMap((project) => ['--project', project]), '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...extra];
  const [program = 'true', ...args] = command;
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...color } });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim() !== '') process.stdout.write(`[${lane}] ${line}\n`);
    });
  }
  return new Promise((resolve) => {
    child.on('close', (code) => {
      let passed = 0;
      let failed = 0;
      let failedFiles = 0;
      if (step.projects !== undefined) {
        try {
          const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; testResults: readonly { status: string }[] };
          passed = report.numPassedTests;
          failed = report.numFailedTests;
          // numFailedTestSuites counts describe blocks too: a file's own status is what failed.
          failedFiles = report.testResults.filter((file) => file.status === 'failed').length;
        } catch {
          // No report: vitest died before writing it; its exit code says so.
        }
      }
      resolve({ code: code ?? 1, passed, failed, failedFiles });
    });
  });
}

/** Each vitest step's end, by its projects joined with '+': settled when the step is over or will never run. */
function stepEnds(): Map<string, { readonly over: Promise<void>; readonly settle: () => void }> {
  const ends = new Map<string, { readonly over: Promise<void>; readonly settle: () => void }>();
  for (const step of lanes.flatMap((lane) => lane.steps)) {
    if (step.projects === undefined) continue;
    let settle = (): void => undefined;
    const over = new Promise<void>((resolve) => {
      settle = resolve;
    });
    ends.set(step.projects.join('+'), { over, settle });
  }
  return ends;
}

function describeStep(step: Step): string {
  return step.projects === undefined ? step.command.join(' ') : `vitest --project ${step.projects.join(' --project ')}`;
}

/** The lane's steps in order; a failed step ends the lane. */
async function runLane(lane: Lane, dir: string, extra: readonly string[], ends: ReturnType<typeof stepEnds>): Promise<StepResult> {
  let passed = 0;
  let failed = 0;
  let failedFiles = 0;
  const settle = (steps: readonly Step[]): void => {
    for (const step of steps) ends.get(step.projects?.join('+') ?? '')?.settle();
  };
  for (const [index, step] of lane.steps.entries()) {
    if (step.after !== undefined) await ends.get(step.after)?.over;
    const result = await runStep(lane.name, step, join(dir, `${lane.name}-${index}.json`), extra);
    settle([step]);
    passed += result.passed;
    failed += result.failed;
    failedFiles += result.failedFiles;
    if (result.code !== 0) {
      process.stdout.write(`[${lane.name}] failed (exit ${result.code}): ${describeStep(step)}\n`);
      settle(lane.steps.slice(index + 1));
      return { code: result.code, passed, failed, failedFiles };
    }
  }
  return { code: 0, passed, failed, failedFiles };
}

const dir = mkdtempSync(join(tmpdir(), 'sc-lanes-'));
try {
  const ends = stepEnds();
  const results = await Promise.all(lanes.map((lane) => runLane(lane, dir, process.argv.slice(2), ends)));
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  const failedFiles = results.reduce((sum, r) => sum + r.failedFiles, 0);
  process.stdout.write(`${passed} passed, ${failed} failed${failedFiles === 0 ? '' : `, ${failedFiles} test file${failedFiles === 1 ? '' : 's'} failed`}\n`);
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
