import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readHistory } from '../observe/history-writer.js';
import { recordSession } from '../rehearsal/scenario-recorder.js';
import { checkWritableFile } from './run-preflight.js';

export function registerRecordCommand(program: Command): void {
  program
    .command('record')
    .description('turn a rehearsal\'s history into a scenario JSON file: its topology, the operator\'s actions at their offsets, and targets proposed from what was measured')
    .argument('<history>', 'a history-<architecture>.jsonl written by chaos rehearse')
    .requiredOption('--out <file>', 'the scenario file to write (.json)')
    .option('--name <name>', 'the scenario\'s name (default: <source>-rehearsal)')
    .action(async (history: string, options: { out: string; name?: string }) => {
      await checkWritableFile(options.out, '--out');
      const { scenario, leftOut } = recordSession(await readHistory(history), options.name === undefined ? {} : { name: options.name });
      const file = resolve(options.out);
      await writeFile(file, `${JSON.stringify(scenario, null, 2)}\n`);
      for (const target of leftOut) process.stdout.write(`${target.reason}\n`);
      process.stdout.write(`recorded ${scenario.timeline.length} step${scenario.timeline.length === 1 ? '' : 's'} into ${file} (replay: npm run chaos -- ${file})\n`);
    });
}
