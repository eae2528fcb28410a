import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { z } from 'zod';

/**
 * What every entry of bench/negative-controls.json and bench/sweeps.json records of how it was
 * measured, and how an entry is added to its file.
 */

export const DEFAULT_MACHINE = "the project's 2-core development machine";

export interface EntrySourceOptions {
  readonly command: string;
  readonly conditions: string;
  /** The machine in words; its cores are this machine's. */
  readonly machine?: string | undefined;
  /** The commit the runs started on; default the repository's HEAD. */
  readonly commit?: string | undefined;
  /** `YYYY-MM-DD`; default the day the report was written. */
  readonly date?: string | undefined;
}

export interface EntrySource {
  readonly command: string;
  readonly machine: { readonly cores: number; readonly description: string };
  readonly date: string;
  readonly commit: string;
  readonly conditions: string;
}

/** `generatedAt`: the report's ISO time. */
export function entrySource(options: EntrySourceOptions, generatedAt: string): EntrySource {
  return {
    command: options.command,
    machine: { cores: cpus().length, description: options.machine ?? DEFAULT_MACHINE },
    date: options.date ?? generatedAt.slice(0, 10),
    commit: options.commit ?? execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(),
    conditions: options.conditions,
  };
}

/** The report.json of a report directory, parsed. */
export async function readReport<T>(dir: string): Promise<T> {
  const file = join(dir, 'report.json');
  if (!existsSync(file)) throw new Error(`${file} does not exist: pass the --out directory of the command`);
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

interface EntriesFile<E extends { readonly id: string }> {
  readonly about: string;
  readonly entries: readonly E[];
}

/**
 * Adds `entry` to the data file (created with `about` and no entries when absent), in place of an
 * entry of the same id; both the file as found and as written must have the shape the docs read.
 */
export async function putEntry<E extends { readonly id: string }>(
  file: string,
  schema: z.ZodType<EntriesFile<E>>,
  about: string,
  entry: E,
): Promise<'added' | 'replaced'> {
  const found = existsSync(file) ? checked(schema, JSON.parse(await readFile(file, 'utf8')), file) : { about, entries: [] };
  const at = found.entries.findIndex((existing) => existing.id === entry.id);
  const entries = at === -1 ? [...found.entries, entry] : found.entries.map((existing, index) => (index === at ? entry : existing));
  const written = checked(schema, { about: found.about, entries }, `the new entry ${entry.id}`);
  await writeFile(file, `${JSON.stringify(written, null, 2)}\n`, 'utf8');
  return at === -1 ? 'added' : 'replaced';
}

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
  throw new Error(`${what} does not have the shape the docs read:\n  ${problems.join('\n  ')}`);
}

/** What every `*-to-data` tool takes on its command line; each says which of them it requires. */
export interface EntryToolArgs {
  readonly dir?: string | undefined;
  readonly id?: string | undefined;
  readonly command?: string | undefined;
  readonly conditions?: string | undefined;
  readonly machine?: string | undefined;
  readonly commit?: string | undefined;
  readonly date?: string | undefined;
  readonly file?: string | undefined;
}

export function entryToolArgs(args: readonly string[] = process.argv.slice(2)): EntryToolArgs {
  const text = { type: 'string' } as const;
  const { values } = parseArgs({
    args: [...args],
    options: { dir: text, id: text, command: text, conditions: text, machine: text, commit: text, date: text, file: text },
  });
  return values;
}

/** Runs a `*-to-data` tool when its file is the script node was given: prints what it did, or its error with exit code 1. */
export function runEntryTool(script: string, tool: () => Promise<string>): void {
  if (process.argv[1]?.endsWith(script) !== true) return;
  tool().then(
    (done) => process.stdout.write(`${done}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
