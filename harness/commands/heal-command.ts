import { type Command, Option } from 'commander';
import { ExitCode } from '../errors.js';
import { pullKillSwitch, renderKillSwitchReport, systemKillSwitchWorld } from '../rehearsal/kill-switch.js';

export function registerHealCommand(program: Command): void {
  program
    .command('heal')
    .description('the kill switch: remove every fault of every harness running on this machine (toxics, cut links, paused nodes) and say what it removed')
    .addOption(new Option('--platform <platform>', 'all runs (default), or local: the local runs only, leaving the Docker engine alone').choices(['all', 'local']).default('all'))
    .action(async (options: { platform: 'all' | 'local' }) => {
      const report = await pullKillSwitch(systemKillSwitchWorld({ docker: options.platform !== 'local' }), `chaos heal (pid ${process.pid})`);
      process.stdout.write(`${renderKillSwitchReport(report)}\n`);
      process.exitCode = report.failures.length === 0 ? ExitCode.ok : ExitCode.infrastructure;
    });
}
