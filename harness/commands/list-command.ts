import type { Command } from 'commander';
import { listScenarioFiles, loadScenario } from '../runner/scenario-catalog.js';
import { errorMessage } from '../errors.js';

export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list the scenarios in scenarios/ with their architectures and expectations')
    .option('--json', 'one JSON document')
    .action(async (options: { json?: boolean }) => {
      const entries = await Promise.all(
        (await listScenarioFiles()).map(async (entry) => {
          try {
            const scenario = await loadScenario(entry.file);
            const architectures = Object.entries(scenario.architectures).map(([architecture, run]) => ({ architecture, expectation: run?.expectation }));
            return { name: scenario.name, file: entry.file, description: scenario.description, architectures, problem: undefined };
          } catch (error) {
            return { name: entry.name, file: entry.file, description: '', architectures: [], problem: errorMessage(error) };
          }
        }),
      );
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      } else {
        for (const entry of entries) {
          const archs = entry.architectures.map((a) => `${a.architecture} (${a.expectation})`).join(', ');
          process.stdout.write(entry.problem === undefined ? `${entry.name}  ${archs}\n  ${entry.description}\n` : `${entry.name}  INVALID: ${entry.problem}\n`);
        }
      }
      process.exitCode = entries.some((entry) => entry.problem !== undefined) ? 2 : 0;
    });
}
