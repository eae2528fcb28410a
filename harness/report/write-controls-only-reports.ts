import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ChaosError, errorMessage } from '../errors.js';
import { writeControlsOnlyHtml } from './controls-only-html.js';
import { writeControlsOnlyJunit } from './controls-only-junit.js';
import { writeControlsOnlyJson, type ControlsOnlyDocument } from './controls-only-report.js';
import type { WrittenReports } from './report-paths.js';

/** Writes report.json, report.html and junit.xml of `--only-controls` into `outDir` (and the JUnit XML to `junitFile`). */
export async function writeControlsOnlyReports(outDir: string, document: ControlsOnlyDocument, options: { readonly junitFile?: string } = {}): Promise<WrittenReports> {
  const dir = resolve(outDir);
  const junitFiles = [...new Set([join(dir, 'junit.xml'), ...(options.junitFile === undefined ? [] : [resolve(options.junitFile)])])];
  try {
    await mkdir(dir, { recursive: true });
    for (const file of junitFiles) await mkdir(dirname(file), { recursive: true });
    const [json, html, junit] = await Promise.all([
      writeControlsOnlyJson(join(dir, 'report.json'), document),
      writeControlsOnlyHtml(join(dir, 'report.html'), document),
      Promise.all(junitFiles.map((file) => writeControlsOnlyJunit(file, document))),
    ]);
    return { json, html, junit };
  } catch (error) {
    throw new ChaosError('INVALID_CONFIG', `cannot write the negative controls' reports to ${dir}: ${errorMessage(error)}`, {
      hint: 'pass a writable directory with --out (and a writable file with --junit)',
      cause: error,
    });
  }
}
