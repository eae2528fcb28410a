import type { Command } from 'commander';
import { registerDoctorCommand } from './doctor-command.js';
import { registerImagesCommand } from './images-command.js';
import { registerSetupCommand } from './setup-command.js';

/** Every `chaos` subcommand, registered in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  registerSetupCommand(program);
  registerImagesCommand(program);
  registerDoctorCommand(program);
  // Subcommands are added here as their modules land.
}
