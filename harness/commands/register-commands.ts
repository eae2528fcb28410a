import type { Command } from 'commander';

/** Every `chaos` subcommand, registered in the order `--help` lists them. */
export function registerCommands(_program: Command): void {
  // Subcommands are added here as their modules land.
}
