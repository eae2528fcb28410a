import type { Command } from 'commander';
import { resolveImageNames, withImageNameOptions, type ImageNameOptions } from '../provision/image-options.js';
import { runProvisioning } from '../provision/run-provisioning.js';

interface ImagesFlags extends ImageNameOptions {
  readonly offline?: boolean;
  readonly rebuild?: boolean;
}

export function registerImagesCommand(program: Command): void {
  withImageNameOptions(
    program
      .command('images')
      .description('pull or build the Toxiproxy, node base and services images (what setup does for images)')
      .option('--offline', 'never try a registry: build the local image equivalents')
      .option('--rebuild', 'rebuild (or re-pull) every image even when present'),
  ).action(async (flags: ImagesFlags) => {
    const names = resolveImageNames(flags);
    const { exitCode } = await runProvisioning(
      names,
      { offline: flags.offline === true, skipEngine: true, rebuild: flags.rebuild === true, scope: 'images' },
      { out: (line) => process.stdout.write(`${line}\n`), progress: (line) => process.stderr.write(`   ... ${line}\n`) },
    );
    process.exitCode = exitCode;
  });
}
