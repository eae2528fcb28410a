import { type Command, InvalidArgumentError, Option } from 'commander';
import { formatReportPaths } from '../report/report-paths.js';
import { ExitCode } from '../errors.js';
import { watchInterrupts } from '../lifecycle/interrupts.js';
import { createProgressView, progressModeFor } from '../report/progress-view.js';
import { repeatRunLine } from '../report/repeat-terminal.js';
import { defaultReportDir } from '../report/write-reports.js';
import { MAX_REPEAT, repeatSeeds } from '../runner/repeat-runs.js';
import { runScenario } from '../runner/run-scenario.js';
import { loadScenario } from '../runner/scenario-catalog.js';
import type { Architecture } from '../scenario/types.js';
import { bisectSweep } from '../sweep/bisect-sweep.js';
import { DEFAULT_HOLDS_WHEN, HOLDS_WHEN } from '../sweep/holds-when.js';
import { buildSweepDocument, sweepExitCode } from '../sweep/sweep-document.js';
import { checkSweepRequest, DEFAULT_SWEEP_REPEAT, DEFAULT_SWEEP_STEPS, MAX_SWEEP_STEPS } from '../sweep/sweep-input.js';
import { serializeSweepDocument } from '../sweep/sweep-json.js';
import { formatParamValue } from '../sweep/sweep-margin.js';
import { scaledNote, settingsAt } from '../sweep/sweep-scale.js';
import { renderSweepTerminal } from '../sweep/sweep-terminal.js';
import { sweepPointRunner } from '../sweep/run-sweep-point.js';
import { writeSweepReports } from '../sweep/write-sweep-reports.js';
import { parseSeed } from './command-options.js';
import { checkWritableDir, checkWritableFile, preflightPlatform } from './run-preflight.js';

interface SweepCommandOptions {
  readonly arch: Architecture;
  readonly param: string;
  readonly from: number;
  readonly to: number;
  readonly repeat: number;
  readonly steps: number;
  readonly holdsWhen: string;
  readonly scaleWith: readonly string[];
  readonly seed?: number;
  readonly platform: 'auto' | 'docker' | 'local' | 'swarm';
  readonly out?: string;
  readonly junit?: string;
  readonly json?: boolean;
}

/** `--scale-with` may be given again and again: every path, in order. */
const collect = (value: string, previous: readonly string[]): readonly string[] => [...previous, value];

const parseNumber = (what: string) => (value: string): number => {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number)) throw new InvalidArgumentError(`"${value}" is not a number: give ${what}`);
  return number;
};

export function registerSweepCommand(program: Command): void {
  program
    .command('sweep')
    .description('find the value of a numeric scenario field at which an architecture stops meeting its expectation (with --holds-when delivered: at which the harness stops delivering its load), and the margin the shipped value has')
    .argument('<scenario>', 'scenario name (see `chaos list`) or a .ts/.json file')
    .addOption(new Option('--arch <architecture>', 'the architecture to sweep').choices(['p2p', 'dedicated']).makeOptionMandatory())
    .requiredOption('--param <path>', 'the numeric field to vary, e.g. architectures.dedicated.topology.supernode.capacity.requestsPerSecond')
    .requiredOption('--from <x>', 'the low end of the range', parseNumber('the low end of the range, e.g. --from 10'))
    .requiredOption('--to <y>', 'the high end of the range', parseNumber('the high end of the range, e.g. --to 200'))
    .option('--repeat <k>', `runs per point (1..${MAX_REPEAT})`, parseNumber(`a run count from 1 to ${MAX_REPEAT}`), DEFAULT_SWEEP_REPEAT)
    .option('--steps <n>', `bisection points after the two ends (0..${MAX_SWEEP_STEPS})`, parseNumber(`a step count from 0 to ${MAX_SWEEP_STEPS}`), DEFAULT_SWEEP_STEPS)
    .option('--holds-when <rule>', `what a point holds by: ${HOLDS_WHEN.join(' or ')} (the architecture meets its expectation, or the harness delivers the scenario's load: how far this machine goes)`, DEFAULT_HOLDS_WHEN)
    .option('--scale-with <path>', 'another numeric field set at every point to its shipped value times value / shipped of --param (rounded down for whole numbers, at least 1); repeatable', collect, [] as readonly string[])
    .option('--seed <n>', "base seed; every point runs the seeds of `chaos run --repeat K --seed N` (default: the scenario's)", parseSeed)
    .addOption(new Option('--platform <platform>', 'where nodes run').choices(['auto', 'docker', 'local', 'swarm']).default('auto'))
    .option('--out <dir>', 'report directory (default: reports/<scenario>-sweep-<timestamp>/)')
    .option('--junit <file>', 'also write the JUnit XML here (default: <out>/junit.xml)')
    .option('--json', 'print report.json on stdout; no progress display')
    .action(async (name: string, options: SweepCommandOptions) => {
      process.exitCode = await sweepCommand(name, options);
    });
}

async function sweepCommand(name: string, options: SweepCommandOptions): Promise<ExitCode> {
  // Refused before anything starts: the input (exit 2), then the platform (exit 3).
  const scenario = await loadScenario(name);
  const spec = checkSweepRequest({ scenario, architecture: options.arch, param: options.param, from: options.from, to: options.to, repeat: options.repeat, steps: options.steps, holdsWhen: options.holdsWhen, scaleWith: options.scaleWith });
  const outDir = options.out ?? defaultReportDir(`${scenario.name}-sweep`, new Date());
  await checkWritableDir(outDir, '--out');
  if (options.junit !== undefined) await checkWritableFile(options.junit, '--junit');
  const platform = await preflightPlatform(options.platform);

  const interrupts = watchInterrupts({
    announce: (signal) => process.stderr.write(`\n${signal}: healing faults, writing the history and tearing down (again to force)\n`),
    force: () => void Promise.all([...interrupts.owners].map((owner) => owner.releaseAll())).finally(() => process.exit(ExitCode.interrupted)),
  });
  const json = options.json === true;
  const say = (line: string): void => {
    if (!json) process.stderr.write(`${line}\n`);
  };
  const baseSeed = options.seed ?? scenario.seed;
  const runPoint = sweepPointRunner({
    spec,
    platform,
    baseSeed,
    outDir,
    signal: interrupts.signal,
    owners: interrupts.owners,
    onRunStart: (_point, index, seed, dir) => say(`  run ${index + 1}/${spec.repeat} seed ${seed}: ${dir}`),
    onRunDone: (_point, index, seed, done) => say(`  ${repeatRunLine(index, spec.repeat, seed, done.report.runs.map((run) => `${run.architecture} ${run.verdict}`))}`),
    run: async (runOptions) => {
      const progress = createProgressView({ mode: progressModeFor({ json, isTTY: process.stderr.isTTY === true }), stream: process.stderr, color: process.stderr.isTTY === true });
      try {
        return await runScenario({ ...runOptions, progress });
      } finally {
        progress.done();
      }
    },
  });
  let outcome;
  try {
    outcome = await bisectSweep({ from: spec.from, to: spec.to, integer: spec.integer, steps: spec.steps, holdsWhen: spec.holdsWhen }, (request) => {
      say(`point ${request.index}: ${spec.param.path} = ${formatParamValue(request.value, spec.param.path)}${scaledNote(settingsAt(spec.param, spec.scaleWith, request.value), spec.scaleWith)}`);
      return runPoint(request);
    });
  } finally {
    interrupts.dispose();
  }
  const document = buildSweepDocument(outcome, { spec, baseSeed, seeds: repeatSeeds(baseSeed, spec.repeat), platform });
  const files = await writeSweepReports(outDir, document, options.junit === undefined ? {} : { junitFile: options.junit });
  if (json) {
    process.stdout.write(serializeSweepDocument(document));
  } else {
    const color = process.stdout.isTTY === true;
    process.stdout.write(`${renderSweepTerminal(document, { color })}\n`);
    process.stdout.write(formatReportPaths(files, color));
  }
  if (outcome.error !== undefined && interrupts.receivedAt === undefined) throw outcome.error;
  if (interrupts.receivedAt !== undefined) {
    process.stderr.write(`interrupted: healed, torn down and reported ${((Date.now() - interrupts.receivedAt) / 1000).toFixed(1)} s after the signal\n`);
  }
  return sweepExitCode(document, interrupts.receivedAt !== undefined);
}
