import type { Command } from 'commander';
import { resolveImageNames, withImageNameOptions, type ImageNameOptions } from '../provision/image-options.js';
import { runProvisioning } from '../provision/run-provisioning.js';

interface SetupFlags extends ImageNameOptions {
  readonly offline?: boolean;
  readonly skipEngine?: boolean;
}

export function registerSetupCommand(program: Command): void {
  withImageNameOptions(
    program
      .command('setup')
      .description('provision this machine: Docker engine, chromium, toxiproxy-server, images (idempotent)')
      .option('--offline', 'never try a registry: build the local image equivalents')
      .option('--skip-engine', 'leave the Docker engine alone'),
  ).action(async (flags: SetupFlags) => {
    const names = resolveImageNames(flags);
    const { exitCode } = await runProvisioning(
      names,
      { offline: flags.offline === true, skipEngine: flags.skipEngine === true, rebuild: false, scope: 'all' },
      { out: (line) => process.stdout.write(`${line}\n`), progress: (line) => process.stderr.write(`   ... ${line}\n`) },
    );
    process.exitCode = exitCode;
  });
}
