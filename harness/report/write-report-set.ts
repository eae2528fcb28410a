import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ChaosError, errorMessage } from '../errors.js';
import type { WrittenReports } from './report-paths.js';

export interface ReportSetWriters {
  /** The JSON file's name in the directory (report.json, index.json). */
  readonly jsonName: string;
  readonly htmlName: string;
  readonly writeJson: (file: string) => Promise<string>;
  readonly writeHtml: (file: string) => Promise<string>;
  readonly writeJunit: (file: string) => Promise<string>;
  /** What the reports are, for the error: "the repeat's reports". */
  readonly what: string;
}

/** Writes a JSON, an HTML and `junit.xml` into `outDir`, and the JUnit XML to `junitFile` too when one is given. */
export async function writeReportSet(outDir: string, writers: ReportSetWriters, junitFile?: string): Promise<WrittenReports> {
  const dir = resolve(outDir);
  const junitFiles = [...new Set([join(dir, 'junit.xml'), ...(junitFile === undefined ? [] : [resolve(junitFile)])])];
  try {
    await mkdir(dir, { recursive: true });
    for (const file of junitFiles) await mkdir(dirname(file), { recursive: true });
    const [json, html, junit] = await Promise.all([
      writers.writeJson(join(dir, writers.jsonName)),
      writers.writeHtml(join(dir, writers.htmlName)),
      Promise.all(junitFiles.map((file) => writers.writeJunit(file))),
    ]);
    return { json, html, junit };
  } catch (error) {
    throw new ChaosError('INVALID_CONFIG', `cannot write ${writers.what} to ${dir}: ${errorMessage(error)}`, {
      hint: 'pass a writable directory with --out (and a writable file with --junit)',
      cause: error,
    });
  }
}
