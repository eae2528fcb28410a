import { type Command, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { ChaosError, ExitCode } from '../errors.js';
import { watchInterrupts } from '../lifecycle/interrupts.js';
import { defaultReportDir } from '../report/write-reports.js';
import { renderTerminalSummary } from '../report/terminal-summary.js';
import { runRehearsal } from '../rehearsal/run-rehearsal.js';
import { loadScenario } from '../runner/scenario-catalog.js';
import type { Architecture } from '../scenario/types.js';
import { parseSeed } from './command-options.js';
import { checkWritableDir, checkWritableFile, preflightPlatform } from './run-preflight.js';

interface RehearseOptions {
  readonly arch?: Architecture;
  readonly scenario: string;
  readonly platform: 'auto' | 'docker' | 'local' | 'swarm';
  readonly seed?: number;
  readonly record?: string;
  readonly deadMan: number;
  readonly out?: string;
  readonly prompt: boolean;
}

/** The default dead-man delay: a minute without an operator heals every fault. */
export const DEFAULT_DEAD_MAN_SECONDS = 60;

export function parseDeadMan(value: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds > 86_400) throw new InvalidArgumentError(`"${value}" is not a dead-man delay (seconds from 0, which turns it off, to 86400)`);
  return seconds;
}

export function registerRehearseCommand(program: Command): void {
  program
    .command('rehearse')
    .description('bring up a topology, reach steady state, and hand it to an operator: live dashboard, commands, kill switch, dead-man switch')
    .addOption(new Option('--arch <architecture>', 'the architecture whose topology to bring up (default: the scenario\'s first)').choices(['p2p', 'dedicated']))
    .option('--scenario <name>', 'take the topology, load and steady state from this scenario (name or .ts/.json file)', 'skype-2010')
    .addOption(new Option('--platform <platform>', 'where nodes run').choices(['auto', 'docker', 'local', 'swarm']).default('auto'))
    .option('--seed <n>', 'seed for victims and client behaviour (default: the scenario\'s)', parseSeed)
    .option('--record <file>', 'when the session ends, write it as a scenario JSON file (chaos run FILE replays it)')
    .option('--dead-man <seconds>', 'heal every fault when no operator has been connected this long (0: off)', parseDeadMan, DEFAULT_DEAD_MAN_SECONDS)
    .option('--out <dir>', 'report directory (default: reports/<scenario>-rehearsal-<timestamp>/)')
    .option('--no-prompt', 'no terminal prompt (the page alone)')
    .action(async (options: RehearseOptions) => {
      process.exitCode = await rehearseCommand(options);
    });
}

async function rehearseCommand(options: RehearseOptions): Promise<ExitCode> {
  const source = await loadScenario(options.scenario);
  const available = Object.keys(source.architectures) as Architecture[];
  const architecture = options.arch ?? available[0];
  if (architecture === undefined || source.architectures[architecture] === undefined) {
    throw new ChaosError('INVALID_SCENARIO', `scenario ${source.name} does not define ${options.arch ?? 'an architecture'}`, { hint: `use --arch with ${available.join(' or ')}` });
  }
  const outDir = options.out ?? defaultReportDir(`${source.name}-rehearsal`, new Date());
  await checkWritableDir(outDir, '--out');
  if (options.record !== undefined) await checkWritableFile(options.record, '--record');
  const platform = await preflightPlatform(options.platform);

  const interrupts = watchInterrupts({
    announce: (signal) => process.stderr.write(`\n${signal}: healing every fault, writing the history and tearing down (again to force)\n`),
    force: () => void Promise.all([...interrupts.owners].map((owner) => owner.releaseAll())).finally(() => process.exit(ExitCode.interrupted)),
  });
  const { owners } = interrupts;
  try {
    const result = await runRehearsal({
      source,
      architecture,
      platform,
      seed: options.seed ?? source.seed,
      outDir,
      deadManSeconds: options.deadMan,
      ...(options.record === undefined ? {} : { recordFile: options.record }),
      signal: interrupts.signal,
      owners,
      output: process.stdout,
      ...(options.prompt && !process.stdin.destroyed ? { input: process.stdin } : {}),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const color = process.stdout.isTTY === true;
    process.stdout.write(`${renderTerminalSummary(result.report, { color })}\n`);
    const paint = color ? pc.dim : (text: string) => text;
    process.stdout.write(paint(`reports: ${result.files.html}\n         ${result.files.json}\n         ${result.files.junit}\n`));
    if (result.recorded !== undefined) process.stdout.write(`recorded: ${result.recorded} (replay: npm run chaos -- ${result.recorded})\n`);
    return result.exitCode;
  } finally {
    interrupts.dispose();
    // The prompt's stdin keeps the process alive otherwise.
    process.stdin.pause();
  }
}
