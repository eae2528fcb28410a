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
        await writeToStdout(text);
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

/**
 * Resolves once stdout has taken the whole text: the CLI exits right after, which would cut a pipe at
 * 64 KiB. A reader that stops early (`| head`) is not an error.
 */
function writeToStdout(text: string): Promise<void> {
  return new Promise((done, fail) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EPIPE') done();
      else fail(new ChaosError('INVALID_CONFIG', `cannot write the scenario JSON Schema to stdout (${error.message})`, { hint: 'write it to a file with --out', cause: error }));
    };
    process.stdout.once('error', onError);
    process.stdout.write(text, (error) => {
      // On an error the stream emits it next, to onError.
      if (error === null || error === undefined) {
        process.stdout.off('error', onError);
        done();
      }
    });
  });
}
