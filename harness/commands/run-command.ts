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
import { runScenario, runsOneAtATime } from '../runner/run-scenario.js';
import { MAX_REPEAT, repeatRuns } from '../runner/repeat-runs.js';
import { renderRepeatTerminal, repeatRunLine } from '../report/repeat-terminal.js';
import { serializeRepeatDocument } from '../report/repeat-json.js';
import { writeRepeatReports } from '../report/write-repeat-reports.js';
import { repeatExitCode, summarizeRepeat } from '../verdict/repeat-summary.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import { renderControlsTerminal } from '../report/controls-terminal.js';
import { writeReports } from '../report/write-reports.js';
import type { RunReport } from '../verdict/verdict-types.js';
import { REGISTRY_ENV } from '../platform/image-registry.js';
import { PLACE_ENV, PLACEMENT_POLICIES } from '../platform/swarm-placement.js';
import { parseSeed, placementForRun, registryForRun, severest } from './command-options.js';
import { controlsOnlyDocument, serializeControlsOnlyDocument } from '../report/controls-only-report.js';
import { writeControlsOnlyReports } from '../report/write-controls-only-reports.js';
import { selectControls } from '../controls/select-controls.js';
import { controlsPlanFor, requireControlsToRun, runControlsStep, type ControlsPlan, type ControlsStepResult } from './controls-step.js';
import { checkWritableDir, checkWritableFile, preflightPlatform } from './run-preflight.js';
import { libraryOutDir, loadLibrary, planLibrary, refuseNamesWithAll, type LibraryItem, type ScenarioPlan } from './library-plan.js';
import { commandLine, libraryDocument, runLibrary, type ScenarioOutcome } from './run-all.js';
import { serializeIndexDocument } from '../report/index-report-json.js';
import { librarySummaryLine } from '../report/index-report-terminal.js';
import { writeIndexReports } from '../report/write-index-reports.js';

interface RunCommandOptions {
  readonly arch?: Architecture[];
  readonly platform: 'auto' | 'docker' | 'local' | 'swarm';
  readonly seed?: number;
  readonly out?: string;
  readonly junit?: string;
  readonly json?: boolean;
  readonly repeat: number;
  /** `--one-at-a-time`; once the input is checked, what was asked: true, false (`--side-by-side`) or undefined (as each scenario says). */
  readonly oneAtATime?: boolean | undefined;
  readonly sideBySide?: boolean;
  readonly controls?: boolean;
  readonly onlyControls?: boolean;
  readonly control?: string[];
  readonly all?: boolean;
  readonly registry?: string;
  readonly place?: string;
}

const DEFAULT_SCENARIO = 'skype-2010';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run scenarios against their architectures, judge them against their targets, and write the reports')
    .argument('[scenarios...]', `scenario names (see \`chaos list\`) or .ts/.json files (default: ${DEFAULT_SCENARIO})`)
    .option('--all', 'run every scenario in scenarios/ one after the other, and write an index report of them all')
    .addOption(new Option('--arch <architecture...>', 'architectures to run (default: every one the scenario names)').choices(['p2p', 'dedicated']))
    .addOption(new Option('--platform <platform>', 'where nodes run').choices(['auto', 'docker', 'local', 'swarm']).default('auto'))
    .option('--registry <host:port>', 'with --platform swarm: push the images to this registry and run them by digest (default: CHAOS_REGISTRY)')
    .addOption(
      new Option('--place <placement>', 'with --platform swarm: where supernodes and fleets run, on the manager or spread over every ready node (default: CHAOS_PLACE, else manager)').choices(
        PLACEMENT_POLICIES,
      ),
    )
    .option('--seed <n>', 'seed for victims, schedules and client behaviour (default: the scenario\'s)', parseSeed)
    .option('--out <dir>', 'report directory (default: reports/<scenario>-<timestamp>/)')
    .option('--junit <file>', 'also write the JUnit XML here (default: <out>/junit.xml)')
    .option('--json', 'print report.json on stdout; no progress display')
    .option('--one-at-a-time', "run the architectures one after the other (default: side by side, unless the scenario says oneAtATime)")
    .option('--side-by-side', 'run the architectures side by side, even for a scenario that says oneAtATime (a host with the cores for both)')
    .option('--repeat <k>', `run each scenario K times (1..${MAX_REPEAT}) with seeds derived from --seed, and report pass rates`, parseRepeat, 1)
    .option('--controls', "then run the scenario's negative controls (sabotaged systems its targets must catch) on the same seeds")
    .option('--only-controls', 'run only the negative controls (implies --controls), on the seeds the real runs would use; the real architectures are not run')
    .option('--control <name...>', 'only these negative controls (implies --controls; with --only-controls, only they run)')
    .action(async (names: string[], options: RunCommandOptions) => {
      process.exitCode = await runCommand(names, options);
    });
}

async function runCommand(givenNames: readonly string[], commandOptions: RunCommandOptions): Promise<ExitCode> {
  // Everything that can be refused is refused before anything starts: the input (exit 2), then the platform (exit 3).
  const registry = registryForRun(commandOptions.registry, commandOptions.platform);
  // The platform is made deep in the runner (each run, repeat and control) and reads the registry and the placement there, from the environment.
  if (registry !== undefined) process.env[REGISTRY_ENV] = registry;
  const place = placementForRun(commandOptions.place, commandOptions.platform);
  if (commandOptions.place !== undefined && place !== undefined) process.env[PLACE_ENV] = place;
  const all = commandOptions.all === true;
  if (all) refuseNamesWithAll(givenNames);
  const oneAtATime = askedOrdering(commandOptions);
  const startedAt = new Date();
  const onlyControls = commandOptions.onlyControls === true;
  const withControls = onlyControls || commandOptions.controls === true || (commandOptions.control?.length ?? 0) > 0;
  const library = all ? await libraryRunPlan(commandOptions, { withControls, onlyControls, startedAt }) : undefined;
  const plans = all ? [] : await scenarioPlans(givenNames.length === 0 ? [DEFAULT_SCENARIO] : givenNames, commandOptions, { withControls, onlyControls, startedAt });
  for (const plan of plans) await checkWritableDir(plan.outDir, '--out');
  for (const plan of plans) if (plan.junitFile !== undefined) await checkWritableFile(plan.junitFile, '--junit');
  if (library !== undefined) await checkWritableDir(library.dir, '--out');
  if (library !== undefined && commandOptions.junit !== undefined) await checkWritableFile(commandOptions.junit, '--junit');
  const options: RunCommandOptions = { ...commandOptions, oneAtATime, platform: await preflightPlatform(commandOptions.platform) };

  const interrupts = watchInterrupts({
    announce: (signal) => process.stderr.write(`\n${signal}: healing faults, writing the history and tearing down (again to force)\n`),
    force: () => void Promise.all([...interrupts.owners].map((owner) => owner.releaseAll())).finally(() => process.exit(ExitCode.interrupted)),
  });
  const { owners, signal } = interrupts;
  const context: PlanContext = { options, signal, owners, onlyControls, printDocument: !all };

  const codes: ExitCode[] = [];
  try {
    if (library !== undefined) codes.push(await runLibraryCommand({ ...library, startedAt, options, signal, runPlan: (plan) => runPlan(plan, context) }));
    for (const plan of plans) {
      if (signal.aborted) break;
      const outcome = await runPlan(plan, context);
      codes.push(outcome.exitCode);
      if (outcome.error !== undefined) throw outcome.error;
      if (outcome.unfitPlatform !== undefined) break;
    }
  } finally {
    interrupts.dispose();
  }
  if (interrupts.receivedAt === undefined) return severest(codes);
  process.stderr.write(`interrupted: healed, torn down and reported ${((Date.now() - interrupts.receivedAt) / 1000).toFixed(1)} s after the signal\n`);
  return ExitCode.interrupted;
}

interface PlanChoices {
  readonly withControls: boolean;
  readonly onlyControls: boolean;
  readonly startedAt: Date;
}

/** `--all`: every scenario in scenarios/, loaded and validated, with what it runs; its reports under the index's directory. */
async function libraryRunPlan(options: RunCommandOptions, { withControls, onlyControls, startedAt }: PlanChoices): Promise<{ readonly dir: string; readonly items: LibraryItem[] }> {
  const dir = libraryOutDir(options.out, startedAt);
  const items = planLibrary(await loadLibrary(), {
    dir,
    withControls,
    onlyControls,
    ...(options.arch === undefined ? {} : { arch: options.arch }),
    ...(options.control === undefined ? {} : { control: options.control }),
  });
  return { dir, items };
}

/** The scenarios named on the command line, each loaded and validated, with its architectures, its controls and where its reports go. */
async function scenarioPlans(names: readonly string[], options: RunCommandOptions, { withControls, onlyControls, startedAt }: PlanChoices): Promise<ScenarioPlan[]> {
  const scenarios: ScenarioDefinition[] = [];
  for (const name of names) scenarios.push(await loadScenario(name));
  return scenarios.map((scenario) => {
    const architectures = selectArchitectures(scenario, options.arch);
    // A control whose sabotaged scenario is invalid is refused here, with the rest of the input; so is --only-controls with no control to run.
    const controls = withControls ? controlsPlanFor(selectControls(scenario, options.control), architectures) : undefined;
    if (onlyControls && controls !== undefined) requireControlsToRun(scenario.name, controls);
    return {
      scenario,
      architectures,
      outDir: outDirFor(scenario, options.out, scenarios.length, startedAt),
      ...(options.junit === undefined ? {} : { junitFile: junitPathFor(options.junit, scenario.name, scenarios.length) }),
      ...(controls === undefined ? {} : { controls }),
    };
  });
}

interface LibraryCommandContext {
  readonly items: readonly LibraryItem[];
  readonly dir: string;
  readonly startedAt: Date;
  readonly options: RunCommandOptions;
  readonly signal: AbortSignal;
  readonly runPlan: (plan: ScenarioPlan) => Promise<ScenarioOutcome>;
}

/** `--all`: every scenario of the library, a line as each is done, then index.json, index.html and the JUnit XML of them all. */
async function runLibraryCommand(context: LibraryCommandContext): Promise<ExitCode> {
  const json = context.options.json === true;
  const lines = json ? process.stderr : process.stdout;
  const run = await runLibrary({
    items: context.items,
    indexDir: context.dir,
    signal: context.signal,
    runPlan: context.runPlan,
    say: (line) => lines.write(`${line}\n`),
    warn: (line) => process.stderr.write(`${line}\n`),
  });
  const document = libraryDocument(run, { command: commandLine(process.argv.slice(2)), startedAt: context.startedAt, finishedAt: new Date(), platform: context.options.platform });
  const files = await writeIndexReports(context.dir, document, run.results, context.options.junit === undefined ? {} : { junitFile: context.options.junit });
  if (json) {
    process.stdout.write(serializeIndexDocument(document));
  } else {
    const color = process.stdout.isTTY === true;
    process.stdout.write(`${librarySummaryLine(document)}\n${formatReportPaths(files, color)}`);
  }
  return document.exitCode;
}

interface PlanContext {
  readonly options: RunCommandOptions;
  readonly signal: AbortSignal;
  readonly owners: Set<ResourceOwner>;
  readonly onlyControls: boolean;
  /** Print the scenario's report.json on stdout with --json (not under --all, which prints its index). */
  readonly printDocument: boolean;
}

/** One scenario: its runs (or its repeat, or its controls alone), its reports, what it printed; an error after its reports is returned, not thrown. */
async function runPlan(plan: ScenarioPlan, context: PlanContext): Promise<ScenarioOutcome> {
  const { scenario, architectures, outDir, controls, junitFile } = plan;
  const { options, signal, owners } = context;
  if (context.onlyControls && controls !== undefined) {
    return runOnlyControls(scenario, controls, { options, signal, owners, outDir, count: options.repeat, baseSeed: options.seed ?? scenario.seed, printDocument: context.printDocument }, junitFile);
  }
  if (options.repeat > 1) {
    return runRepeated({
      scenario,
      architectures,
      outDir,
      options,
      signal,
      owners,
      printDocument: context.printDocument,
      ...(junitFile === undefined ? {} : { junitFile }),
      ...(controls === undefined ? {} : { controls }),
    });
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
      oneAtATime: options.oneAtATime,
      progress,
      owners,
      ...(junitFile === undefined ? {} : { junitFile }),
    });
  } finally {
    progress.done();
  }
  if (result.unfitPlatform !== undefined) process.stderr.write(`no further run on this engine: ${result.unfitPlatform}\n`);
  const json = options.json === true;
  const color = process.stdout.isTTY === true;
  if (!json) process.stdout.write(`${renderTerminalSummary(result.report, { color })}\n`);
  let report: RunReport = result.report;
  let files = result.files;
  let step: ControlsStepResult | undefined;
  if (controls !== undefined) {
    step = await controlsAfter(scenario, controls, {
      options,
      signal,
      owners,
      outDir,
      count: 1,
      baseSeed: options.seed ?? scenario.seed,
      printDocument: context.printDocument,
      ...(result.unfitPlatform === undefined ? {} : { unfitPlatform: result.unfitPlatform }),
    });
  }
  if (step !== undefined) {
    report = { ...report, controls: step.section };
    files = await writeReports(outDir, report, result.histories, junitFile === undefined ? {} : { junitFile });
  }
  if (json) {
    if (context.printDocument) process.stdout.write(serializeRunReport(report));
  } else {
    if (step !== undefined) process.stdout.write(`${renderControlsTerminal(step.section, { color, scenario: scenario.name })}\n`);
    const paint = color ? pc.dim : (text: string) => text;
    process.stdout.write(paint(`reports: ${files.html}\n         ${files.json}\n         ${files.junit}\n`));
  }
  return {
    exitCode: severest([result.exitCode, ...(step === undefined ? [] : [step.exitCode])]),
    results: { kind: 'run', report },
    files: { html: files.html, json: files.json, junit: [files.junit] },
    ...(result.unfitPlatform === undefined ? {} : { unfitPlatform: result.unfitPlatform }),
    ...(step?.error === undefined ? {} : { error: step.error }),
  };
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

interface ControlsContext {
  readonly options: RunCommandOptions;
  readonly signal: AbortSignal;
  readonly owners: Set<ResourceOwner>;
  readonly outDir: string;
  readonly count: number;
  readonly baseSeed: number;
  readonly unfitPlatform?: string;
  /** Print the report.json on stdout with --json (not under --all, which prints its index). */
  readonly printDocument: boolean;
}

/** `--controls` after a scenario's real runs; undefined (and a line saying so) when the scenario declares none. */
async function controlsAfter(scenario: ScenarioDefinition, plan: ControlsPlan, context: ControlsContext): Promise<ControlsStepResult | undefined> {
  const json = context.options.json === true;
  if (plan.prepared.length === 0 && plan.skipped.length === 0) {
    (json ? process.stderr : process.stdout).write(`no negative controls declared for ${scenario.name}\n`);
    return undefined;
  }
  return runControlsOf(scenario, plan, context);
}

function runControlsOf(scenario: ScenarioDefinition, plan: ControlsPlan, context: ControlsContext): Promise<ControlsStepResult> {
  const json = context.options.json === true;
  return runControlsStep({
    plan,
    platform: context.options.platform,
    signal: context.signal,
    owners: context.owners,
    count: context.count,
    baseSeed: context.baseSeed,
    outDir: context.outDir,
    oneAtATime: runsOneAtATime(context.options.oneAtATime, scenario),
    say: (line) => {
      if (!json) process.stderr.write(`${line}\n`);
    },
    ...(context.unfitPlatform === undefined ? {} : { unfitPlatform: context.unfitPlatform }),
  });
}

/**
 * `--only-controls`: the controls alone, K runs each on the seeds K real runs would use, then their
 * reports in `<out>/`; the exit code is the controls' alone.
 */
async function runOnlyControls(scenario: ScenarioDefinition, plan: ControlsPlan, context: ControlsContext, junitFile: string | undefined): Promise<ScenarioOutcome> {
  const step = await runControlsOf(scenario, plan, context);
  const document = controlsOnlyDocument(step.section, { scenario: scenario.name, description: scenario.description, baseSeed: context.baseSeed, platform: context.options.platform });
  const files = await writeControlsOnlyReports(context.outDir, document, junitFile === undefined ? {} : { junitFile });
  if (context.options.json === true) {
    if (context.printDocument) process.stdout.write(serializeControlsOnlyDocument(document));
  } else {
    const color = process.stdout.isTTY === true;
    process.stdout.write(`${renderControlsTerminal(step.section, { color, scenario: scenario.name })}\n`);
    process.stdout.write(formatReportPaths(files, color));
  }
  return { exitCode: step.exitCode, results: { kind: 'only-controls', document }, files, ...(step.error === undefined ? {} : { error: step.error }) };
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
  readonly controls?: ControlsPlan;
  readonly printDocument: boolean;
}

/** `--repeat K`: K runs into `<out>/run-<i>-seed-<seed>/`, then the aggregate reports in `<out>/`. */
async function runRepeated(context: RepeatContext): Promise<ScenarioOutcome> {
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
    oneAtATime: options.oneAtATime,
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
  const summary = summarizeRepeat(result.inputs, { scenario: scenario.name, description: scenario.description, requested: options.repeat, baseSeed, stoppedEarly });
  const color = process.stdout.isTTY === true;
  if (!json) process.stdout.write(`${renderRepeatTerminal(summary, { color })}\n`);
  const unfitPlatform = result.results.at(-1)?.unfitPlatform;
  const step =
    context.controls === undefined || result.error !== undefined
      ? undefined
      : await controlsAfter(scenario, context.controls, { ...context, count: options.repeat, baseSeed, ...(unfitPlatform === undefined ? {} : { unfitPlatform }) });
  const document = step === undefined ? summary : { ...summary, controls: step.section };
  const files = await writeRepeatReports(context.outDir, document, context.junitFile === undefined ? {} : { junitFile: context.junitFile });
  if (json) {
    if (context.printDocument) process.stdout.write(serializeRepeatDocument(document));
  } else {
    if (step !== undefined) process.stdout.write(`${renderControlsTerminal(step.section, { color, scenario: scenario.name })}\n`);
    process.stdout.write(formatReportPaths(files, color));
  }
  const error = result.error ?? step?.error;
  return {
    exitCode: severest([repeatExitCode(result.inputs, result.interrupted), ...(step === undefined ? [] : [step.exitCode])]),
    results: { kind: 'repeat', document },
    files,
    ...(error === undefined ? {} : { error }),
  };
}

/** true for `--one-at-a-time`, false for `--side-by-side`, undefined to let each scenario say; both at once are refused. */
export function askedOrdering(options: Pick<RunCommandOptions, 'oneAtATime' | 'sideBySide'>): boolean | undefined {
  if (options.oneAtATime === true && options.sideBySide === true) {
    throw new ChaosError('INVALID_CONFIG', '--one-at-a-time and --side-by-side ask for opposite things', {
      hint: 'keep one of them, or neither to run each scenario as it says (side by side unless it says oneAtATime)',
    });
  }
  if (options.oneAtATime === true) return true;
  if (options.sideBySide === true) return false;
  return undefined;
}
