import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

export class DataFileError extends Error {}

/** A JSON data file read and checked against the shape the docs read from it. */
export async function readDataFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DataFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new DataFileError(`${file} does not have the shape the docs read:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
