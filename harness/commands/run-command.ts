import { join } from 'node:path';
import { formatReportPaths } from '../report/report-paths.js';
import { type Command, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { ChaosError, ExitCode } from '../errors.js';
import { watchInterrupts } from '../lifecycle/interrupts.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import { createProgressView, progressModeFor } from '../report/progress-view.js';
import { renderTerminalSummary } from '../report/terminal-summary.js';
import { defaultReportDir } from '../report/write-reports.js';
import { serializeRunReport } from '../report/json-report.js';
import { loadScenario } from '../runner/scenario-catalog.js';
import { runScenario } from '../runner/run-scenario.js';
import { MAX_REPEAT, repeatRuns } from '../runner/repeat-runs.js';
import { renderRepeatTerminal, repeatRunLine } from '../report/repeat-terminal.js';
import { serializeRepeatDocument } from '../report/repeat-json.js';
import { writeRepeatReports } from '../report/write-repeat-reports.js';
import { repeatExitCode, summarizeRepeat } from '../verdict/repeat-summary.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import { parseSeed, severest } from './command-options.js';
import { checkWritableDir, checkWritableFile, preflightPlatform } from './run-preflight.js';

interface RunCommandOptions {
  readonly arch?: Architecture[];
  readonly platform: 'auto' | 'docker' | 'local';
  readonly seed?: number;
  readonly out?: string;
  readonly junit?: string;
  readonly json?: boolean;
  readonly repeat: number;
  readonly oneAtATime?: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run scenarios against their architectures, judge them against their targets, and write the reports')
    .argument('[scenarios...]', 'scenario names (see `chaos list`) or .ts/.json files', ['skype-2010'])
    .addOption(new Option('--arch <architecture...>', 'architectures to run (default: every one the scenario names)').choices(['p2p', 'dedicated']))
    .addOption(new Option('--platform <platform>', 'where nodes run').choices(['auto', 'docker', 'local']).default('auto'))
    .option('--seed <n>', 'seed for victims, schedules and client behaviour (default: the scenario\'s)', parseSeed)
    .option('--out <dir>', 'report directory (default: reports/<scenario>-<timestamp>/)')
    .option('--junit <file>', 'also write the JUnit XML here (default: <out>/junit.xml)')
    .option('--json', 'print report.json on stdout; no progress display')
    .option('--one-at-a-time', 'run the architectures one after the other (default: side by side)')
    .option('--repeat <k>', `run each scenario K times (1..${MAX_REPEAT}) with seeds derived from --seed, and report pass rates`, parseRepeat, 1)
    .action(async (names: string[], options: RunCommandOptions) => {
      process.exitCode = await runCommand(names, options);
    });
}

async function runCommand(names: readonly string[], commandOptions: RunCommandOptions): Promise<ExitCode> {
  // Everything that can be refused is refused before anything starts: the input (exit 2), then the platform (exit 3).
  const scenarios: ScenarioDefinition[] = [];
  for (const name of names) scenarios.push(await loadScenario(name));
  const startedAt = new Date();
  const plans = scenarios.map((scenario) => ({
    scenario,
    architectures: selectArchitectures(scenario, commandOptions.arch),
    outDir: outDirFor(scenario, commandOptions.out, scenarios.length, startedAt),
  }));
  for (const plan of plans) await checkWritableDir(plan.outDir, '--out');
  if (commandOptions.junit !== undefined) {
    for (const plan of plans) await checkWritableFile(junitPathFor(commandOptions.junit, plan.scenario.name, scenarios.length), '--junit');
  }
  const options: RunCommandOptions = { ...commandOptions, platform: await preflightPlatform(commandOptions.platform) };

  const interrupts = watchInterrupts({
    announce: (signal) => process.stderr.write(`\n${signal}: healing faults, writing the history and tearing down (again to force)\n`),
    force: () => void Promise.all([...interrupts.owners].map((owner) => owner.releaseAll())).finally(() => process.exit(ExitCode.interrupted)),
  });
  const { owners, signal } = interrupts;

  const codes: ExitCode[] = [];
  try {
    for (const { scenario, architectures, outDir } of plans) {
      if (signal.aborted) break;
      if (options.repeat > 1) {
        const junitFile = options.junit === undefined ? undefined : junitPathFor(options.junit, scenario.name, scenarios.length);
        codes.push(await runRepeated({ scenario, architectures, outDir, options, signal, owners, ...(junitFile === undefined ? {} : { junitFile }) }));
        continue;
      }
      const progress = createProgressView({
        mode: progressModeFor({ json: options.json === true, isTTY: process.stderr.isTTY === true }),
        stream: process.stderr,
        color: process.stderr.isTTY === true,
      });
      let result;
      try {
        result = await runScenario({
          scenario,
          architectures,
          platform: options.platform,
          seed: options.seed ?? scenario.seed,
          outDir,
          signal,
          oneAtATime: options.oneAtATime === true,
          progress,
          owners,
          ...(options.junit === undefined ? {} : { junitFile: junitPathFor(options.junit, scenario.name, scenarios.length) }),
        });
      } finally {
        progress.done();
      }
      codes.push(result.exitCode);
      if (result.unfitPlatform !== undefined) process.stderr.write(`no further run on this engine: ${result.unfitPlatform}\n`);
      if (options.json === true) {
        process.stdout.write(serializeRunReport(result.report));
      } else {
        const color = process.stdout.isTTY === true;
        process.stdout.write(`${renderTerminalSummary(result.report, { color })}\n`);
        const paint = color ? pc.dim : (text: string) => text;
        process.stdout.write(paint(`reports: ${result.files.html}\n         ${result.files.json}\n         ${result.files.junit}\n`));
      }
      if (result.unfitPlatform !== undefined) break;
    }
  } finally {
    interrupts.dispose();
  }
  if (interrupts.receivedAt === undefined) return severest(codes);
  process.stderr.write(`interrupted: healed, torn down and reported ${((Date.now() - interrupts.receivedAt) / 1000).toFixed(1)} s after the signal\n`);
  return ExitCode.interrupted;
}

function selectArchitectures(scenario: ScenarioDefinition, requested: readonly Architecture[] | undefined): Architecture[] {
  const available = Object.keys(scenario.architectures) as Architecture[];
  if (requested === undefined || requested.length === 0) return available;
  const missing = requested.filter((architecture) => !available.includes(architecture));
  if (missing.length > 0) {
    throw new ChaosError('INVALID_SCENARIO', `scenario ${scenario.name} does not define ${missing.join(', ')}`, {
      hint: `use --arch with ${available.join(' or ')}`,
    });
  }
  return [...new Set(requested)];
}

function outDirFor(scenario: ScenarioDefinition, out: string | undefined, scenarioCount: number, now: Date): string {
  if (out === undefined) return defaultReportDir(scenario.name, now);
  return scenarioCount > 1 ? join(out, scenario.name) : out;
}

function junitPathFor(junit: string, scenario: string, scenarioCount: number): string {
  return scenarioCount > 1 ? junit.replace(/(\.xml)?$/, `-${scenario}.xml`) : junit;
}

function parseRepeat(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > MAX_REPEAT) throw new InvalidArgumentError(`"${value}" is not a repeat count (an integer from 1 to ${MAX_REPEAT})`);
  return count;
}

interface RepeatContext {
  readonly scenario: ScenarioDefinition;
  readonly architectures: readonly Architecture[];
  readonly outDir: string;
  readonly junitFile?: string;
  readonly options: RunCommandOptions;
  readonly signal: AbortSignal;
  readonly owners: Set<ResourceOwner>;
}

/** `--repeat K`: K runs into `<out>/run-<i>-seed-<seed>/`, then the aggregate reports in `<out>/`. */
async function runRepeated(context: RepeatContext): Promise<ExitCode> {
  const { scenario, options } = context;
  const json = options.json === true;
  const baseSeed = options.seed ?? scenario.seed;
  const say = (line: string): void => {
    if (!json) process.stderr.write(`${line}\n`);
  };
  const result = await repeatRuns({
    scenario,
    architectures: context.architectures,
    platform: options.platform,
    signal: context.signal,
    owners: context.owners,
    count: options.repeat,
    baseSeed,
    oneAtATime: options.oneAtATime === true,
    outDir: context.outDir,
    onRunStart: (index, seed, dir) => say(`run ${index + 1}/${options.repeat} seed ${seed}: ${join(context.outDir, dir)}`),
    onRunDone: (index, seed, done) => say(repeatRunLine(index, options.repeat, seed, done.report.runs.map((run) => `${run.architecture} ${run.verdict}`))),
    run: async (runOptions) => {
      const progress = createProgressView({ mode: progressModeFor({ json, isTTY: process.stderr.isTTY === true }), stream: process.stderr, color: process.stderr.isTTY === true });
      try {
        return await runScenario({ ...runOptions, progress });
      } finally {
        progress.done();
      }
    },
  });
  if (result.inputs.length === 0 && result.error !== undefined) throw result.error;
  const stoppedEarly = result.interrupted || result.error !== undefined || result.inputs.length < options.repeat;
  const document = summarizeRepeat(result.inputs, { scenario: scenario.name, description: scenario.description, requested: options.repeat, baseSeed, stoppedEarly });
  const files = await writeRepeatReports(context.outDir, document, context.junitFile === undefined ? {} : { junitFile: context.junitFile });
  if (json) {
    process.stdout.write(serializeRepeatDocument(document));
  } else {
    const color = process.stdout.isTTY === true;
    process.stdout.write(`${renderRepeatTerminal(document, { color })}\n`);
    process.stdout.write(formatReportPaths(files, color));
  }
  if (result.error !== undefined) throw result.error;
  return repeatExitCode(result.inputs, result.interrupted);
}
