import { Command, CommanderError } from 'commander';
import { ExitCode, isChaosError } from './errors.js';
import { registerCommands } from './commands/register-commands.js';
import { exitAfterFlush, tolerateClosedReader } from './lifecycle/flush-stdio.js';

/** `chaos`: run scenarios, judge them, rehearse incidents, and provision what runs them. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('chaos')
    .description('Chaos-testing harness for supernode networks (Skype, December 2010)')
    .exitOverride()
    .showHelpAfterError();
  registerCommands(program);
  try {
    await program.parseAsync(routeThroughRun(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
    }
    if (isChaosError(error)) {
      process.stderr.write(`${error.describe()}\n`);
      return error.exitCode;
    }
    // Not an error the harness knows: one line, the stack only on request (a person reads this output, and CI parses it).
    const debug = process.env['CHAOS_DEBUG'] !== undefined && process.env['CHAOS_DEBUG'] !== '';
    const detail = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
    process.stderr.write(`UNEXPECTED: ${detail}; this is a harness bug: rerun with CHAOS_DEBUG=1 for the stack trace and report it\n`);
    return ExitCode.infrastructure;
  }
}

/** Commands reached through `npm run chaos -- <command>` (whose script is `chaos run`): `run rehearse` is `rehearse`. */
const commandsBehindRun = new Set(['rehearse', 'heal', 'record']);

export function routeThroughRun(argv: readonly string[]): string[] {
  return argv[0] === 'run' && argv[1] !== undefined && commandsBehindRun.has(argv[1]) ? argv.slice(1) : [...argv];
}

const invokedDirectly = process.argv[1] !== undefined && /cli\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  tolerateClosedReader(process.stdout);
  await exitAfterFlush(await main(process.argv.slice(2)));
}
