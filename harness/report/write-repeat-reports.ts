import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ChaosError, errorMessage } from '../errors.js';
import type { RepeatDocument } from '../verdict/repeat-summary.js';
import { writeRepeatHtml } from './repeat-html.js';
import { writeRepeatJson } from './repeat-json.js';
import { writeRepeatJunit } from './repeat-junit.js';

export interface WrittenRepeatReports {
  readonly json: string;
  readonly html: string;
  /** `<out>/junit.xml`, then the `--junit` file when one was given. */
  readonly junit: readonly string[];
}

/** Writes the aggregate report.json, report.html and junit.xml of a repeat into `outDir` (and the JUnit XML to `junitFile`). */
export async function writeRepeatReports(outDir: string, document: RepeatDocument, options: { readonly junitFile?: string } = {}): Promise<WrittenRepeatReports> {
  const dir = resolve(outDir);
  const junitFiles = [join(dir, 'junit.xml'), ...(options.junitFile === undefined ? [] : [resolve(options.junitFile)])];
  const unique = [...new Set(junitFiles)];
  try {
    await mkdir(dir, { recursive: true });
    for (const file of unique) await mkdir(dirname(file), { recursive: true });
    const [json, html, ...junit] = await Promise.all([
      writeRepeatJson(join(dir, 'report.json'), document),
      writeRepeatHtml(join(dir, 'report.html'), document),
      ...unique.map((file) => writeRepeatJunit(file, document)),
    ]);
    return { json: json!, html: html!, junit };
  } catch (error) {
    throw new ChaosError('INVALID_CONFIG', `cannot write the repeat's reports to ${dir}: ${errorMessage(error)}`, {
      hint: 'pass a writable directory with --out (and a writable file with --junit)',
      cause: error,
    });
  }
}
