import { join } from 'node:path';
import { type Command, Option } from 'commander';
import pc from 'picocolors';
import { ChaosError, ExitCode } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import { createProgressView, progressModeFor } from '../report/progress-view.js';
import { renderTerminalSummary } from '../report/terminal-summary.js';
import { defaultReportDir } from '../report/write-reports.js';
import { serializeRunReport } from '../report/json-report.js';
import { loadScenario } from '../runner/scenario-catalog.js';
import { runScenario } from '../runner/run-scenario.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import { parseSeed, severest } from './command-options.js';

interface RunCommandOptions {
  readonly arch?: Architecture[];
  readonly platform: 'auto' | 'docker' | 'local';
  readonly seed?: number;
  readonly out?: string;
  readonly junit?: string;
  readonly json?: boolean;
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
    .action(async (names: string[], options: RunCommandOptions) => {
      process.exitCode = await runCommand(names, options);
    });
}

async function runCommand(names: readonly string[], options: RunCommandOptions): Promise<ExitCode> {
  const scenarios: ScenarioDefinition[] = [];
  for (const name of names) scenarios.push(await loadScenario(name));

  const controller = new AbortController();
  const owners = new Set<ResourceOwner>();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) {
      process.stderr.write(`\n${signal}: healing faults, writing the history and tearing down (again to force)\n`);
      controller.abort();
      return;
    }
    void Promise.all([...owners].map((owner) => owner.releaseAll())).finally(() => process.exit(ExitCode.interrupted));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const codes: ExitCode[] = [];
  try {
    for (const scenario of scenarios) {
      if (controller.signal.aborted) break;
      const architectures = selectArchitectures(scenario, options.arch);
      const outDir = options.out === undefined ? defaultReportDir(scenario.name, new Date()) : scenarios.length > 1 ? join(options.out, scenario.name) : options.out;
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
          signal: controller.signal,
          progress,
          owners,
          ...(options.junit === undefined ? {} : { junitFile: junitPathFor(options.junit, scenario.name, scenarios.length) }),
        });
      } finally {
        progress.done();
      }
      codes.push(result.exitCode);
      if (options.json === true) {
        process.stdout.write(serializeRunReport(result.report));
      } else {
        const color = process.stdout.isTTY === true;
        process.stdout.write(`${renderTerminalSummary(result.report, { color })}\n`);
        const paint = color ? pc.dim : (text: string) => text;
        process.stdout.write(paint(`reports: ${result.files.html}\n         ${result.files.json}\n         ${result.files.junit}\n`));
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return controller.signal.aborted ? ExitCode.interrupted : severest(codes);
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

function junitPathFor(junit: string, scenario: string, scenarioCount: number): string {
  return scenarioCount > 1 ? junit.replace(/(\.xml)?$/, `-${scenario}.xml`) : junit;
}
