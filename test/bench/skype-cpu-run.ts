import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { historyFileName } from '../../harness/observe/history-writer.js';
import { tryParseDuration } from '../../harness/scenario/duration.js';
import type { RunReport } from '../../harness/verdict/verdict-types.js';
import { skype2010 } from '../../scenarios/skype-2010.js';
import { newOwner, release } from './bench-owners.js';
import { CpuLedger, groupOf, type CpuGroup, type CpuSnapshot, type PhaseSpan } from './cpu-accounting.js';
import { descendantsOf, readAllProcessTicks, readCommandLine, readMachineTicks } from './proc-stat.js';
import { phaseSpans, readHistoryEvents, readRunReport } from './run-output.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const samplePeriodMs = 1_000;
export const oneScenarioHour = '1.5s';
export const runLength = '24h';

/** skype-2010's p2p network, storm and remedy, one scenario hour in 1.5 s and 24 h long (the e2e test's shortening). */
function shortenedScenario(): unknown {
  const within = (at: string): boolean => (tryParseDuration(at) ?? Infinity) <= (tryParseDuration(runLength) ?? 0);
  return {
    ...skype2010,
    name: 'skype-2010-bench',
    controls: [],
    timeScale: { oneHour: oneScenarioHour },
    architectures: { p2p: skype2010.architectures.p2p },
    duration: runLength,
    timeline: skype2010.timeline.filter((step) => within(step.at) && (step.only === undefined || step.only.includes('p2p'))),
    fidelity: skype2010.fidelity?.filter((row) => row.measure.of !== 'online-at' || within(row.measure.at)),
  };
}

export interface SampledRun {
  readonly exitCode: number | null;
  readonly stderrTail: string;
  readonly snapshots: readonly CpuSnapshot[];
  readonly phases: readonly PhaseSpan[];
  readonly report: RunReport | undefined;
  /** CPU seconds the bench itself spent sampling (outside the measured processes). */
  readonly samplerCpuSeconds: number;
}

/** Runs `chaos run` on the shortened scenario as a user would, and samples the CPU of it, its nodes and the machine. */
export async function sampleSkypeRun(): Promise<SampledRun> {
  const dir = await mkdtemp(join(tmpdir(), 'chaos-bench-cpu-'));
  try {
    return await sampleRunIn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function sampleRunIn(dir: string): Promise<SampledRun> {
  const scenarioFile = join(dir, 'skype-2010-bench.json');
  await writeFile(scenarioFile, JSON.stringify(shortenedScenario()));
  const out = join(dir, 'out');
  const argv = ['--import', 'tsx', 'harness/cli.ts', 'run', scenarioFile, '--arch', 'p2p', '--platform', 'local', '--seed', '7', '--out', out, '--json'];
  const child = spawn(process.execPath, argv, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`chaos run did not start: ${process.execPath} ${argv.join(' ')}`);
  // An interrupted bench interrupts the run, which heals and tears down before it exits.
  const owner = newOwner();
  owner.register('chaos run', async () => {
    child.kill('SIGINT');
    await exited;
  });

  const cpuBefore = process.cpuUsage();
  const ledger = new CpuLedger();
  const groups = new Map<number, CpuGroup>([[pid, 'harness']]);
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    await takeSnapshot(ledger, pid, groups);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, samplePeriodMs))]);
  }
  const exitCode = await exited;
  await release(owner);
  // The harness has exited: its processes keep the ticks last read; the machine's are read once more.
  ledger.observe(epochNow(), await readMachineTicks(), []);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    exitCode,
    stderrTail: stderr.trim().split('\n').slice(-5).join('\n'),
    snapshots: ledger.snapshots(),
    phases: phaseSpans(await readHistoryEvents(join(out, historyFileName('p2p')))),
    report: await readRunReport(out),
    samplerCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

const epochNow = (): number => performance.timeOrigin + performance.now();

async function takeSnapshot(ledger: CpuLedger, harnessPid: number, groups: Map<number, CpuGroup>): Promise<void> {
  const [machine, processes] = await Promise.all([readMachineTicks(), readAllProcessTicks()]);
  const harness = processes.filter((process) => process.pid === harnessPid);
  const below = descendantsOf(harnessPid, processes);
  for (const process of below) {
    if (groups.has(process.pid)) continue;
    const commandLine = await readCommandLine(process.pid);
    if (commandLine !== undefined) groups.set(process.pid, groupOf(commandLine));
  }
  const observed = [...harness, ...below].flatMap((process) => {
    const group = groups.get(process.pid);
    return group === undefined ? [] : [{ pid: process.pid, group, ticks: process.ticks }];
  });
  ledger.observe(epochNow(), machine, observed);
}
