import { access } from 'node:fs/promises';
import type { z } from 'zod';
import { readDataFile } from './data-file.js';

/** A data file a bench writes only once it has measured: undefined while there is no file, and checked like any other once there is. */
export async function readOptionalDataFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | undefined> {
  const present = await access(file).then(
    () => true,
    () => false,
  );
  return present ? readDataFile(file, schema) : undefined;
}
