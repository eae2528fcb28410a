import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ChaosError, errorMessage } from '../errors.js';
import type { SweepDocument } from './sweep-document.js';
import { writeSweepHtml } from './sweep-html.js';
import { writeSweepJson } from './sweep-json.js';
import { writeSweepJunit } from './sweep-junit.js';

export interface WrittenSweepReports {
  readonly json: string;
  readonly html: string;
  /** `<out>/junit.xml`, then the `--junit` file when one was given. */
  readonly junit: readonly string[];
}

/** Writes the sweep's report.json, report.html and junit.xml into `outDir` (and the JUnit XML to `junitFile`). */
export async function writeSweepReports(outDir: string, document: SweepDocument, options: { readonly junitFile?: string } = {}): Promise<WrittenSweepReports> {
  const dir = resolve(outDir);
  const junitFiles = [...new Set([join(dir, 'junit.xml'), ...(options.junitFile === undefined ? [] : [resolve(options.junitFile)])])];
  try {
    await mkdir(dir, { recursive: true });
    for (const file of junitFiles) await mkdir(dirname(file), { recursive: true });
    const [json, html, ...junit] = await Promise.all([
      writeSweepJson(join(dir, 'report.json'), document),
      writeSweepHtml(join(dir, 'report.html'), document),
      ...junitFiles.map((file) => writeSweepJunit(file, document)),
    ]);
    return { json: json!, html: html!, junit };
  } catch (error) {
    throw new ChaosError('INVALID_CONFIG', `cannot write the sweep's reports to ${dir}: ${errorMessage(error)}`, {
      hint: 'pass a writable directory with --out (and a writable file with --junit)',
      cause: error,
    });
  }
}
