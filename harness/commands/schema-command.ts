import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ChaosError, errorMessage } from '../errors.js';
import { scenarioJsonSchemaText } from '../scenario/scenario-json-schema.js';

export function registerSchemaCommand(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema (draft 2020-12) of scenario JSON files, for editors: point a scenario\'s "$schema" at it')
    .option('--out <file>', 'write it to this file instead of stdout')
    .action(async (options: { out?: string }) => {
      const text = scenarioJsonSchemaText();
      if (options.out === undefined) {
        process.stdout.write(text);
        return;
      }
      const file = resolve(options.out);
      await writeSchemaFile(file, text);
      process.stdout.write(`scenario JSON Schema written to ${file}\n`);
    });
}

async function writeSchemaFile(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, 'utf8');
  } catch (error) {
    throw new ChaosError('INVALID_CONFIG', `cannot write the scenario JSON Schema to ${file} (${errorMessage(error)})`, {
      hint: 'pass --out the path of a file in an existing, writable directory',
      cause: error,
    });
  }
}
