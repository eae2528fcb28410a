import type { Command } from 'commander';
import { registerDoctorCommand } from './doctor-command.js';
import { registerImagesCommand } from './images-command.js';
import { registerSetupCommand } from './setup-command.js';
import { registerRunCommand } from './run-command.js';
import { registerListCommand } from './list-command.js';
import { registerReportCommand } from './report-command.js';
import { registerSweepCommand } from './sweep-command.js';
import { registerRehearseCommand } from './rehearse-command.js';
import { registerHealCommand } from './heal-command.js';
import { registerRecordCommand } from './record-command.js';
import { registerSchemaCommand } from './schema-command.js';
import { registerRegistryCommand } from './registry-command.js';

/** Every `chaos` subcommand, registered in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  registerRunCommand(program);
  registerListCommand(program);
  registerSchemaCommand(program);
  registerReportCommand(program);
  registerSweepCommand(program);
  registerRehearseCommand(program);
  registerHealCommand(program);
  registerRecordCommand(program);
  registerSetupCommand(program);
  registerImagesCommand(program);
  registerRegistryCommand(program);
  registerDoctorCommand(program);
}
