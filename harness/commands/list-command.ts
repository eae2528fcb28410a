import type { Command } from 'commander';
import { renderScenarioTable } from './list-table.js';
import { listScenarios } from './scenario-listing.js';

export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list the scenarios in scenarios/: architectures and expectations, the outage each reproduces and its post-mortem')
    .option('--json', 'one JSON document')
    .action(async (options: { json?: boolean }) => {
      const listings = await listScenarios();
      if (options.json === true) process.stdout.write(`${JSON.stringify(listings, null, 2)}\n`);
      else process.stdout.write(`${renderScenarioTable(listings, { color: process.stdout.isTTY === true })}\n`);
      process.exitCode = listings.some((listing) => listing.problem !== undefined) ? 2 : 0;
    });
}
