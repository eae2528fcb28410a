import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ChaosError, errorMessage } from '../errors.js';
import { writeIndexHtml } from './index-report-html.js';
import { writeIndexJson } from './index-report-json.js';
import { writeIndexJunit } from './index-report-junit.js';
import type { IndexDocument, ScenarioResults } from './index-report-types.js';
import type { WrittenReports } from './report-paths.js';

/** Writes index.json, index.html and junit.xml of `chaos run --all` into `outDir` (and the JUnit XML to `junitFile`). */
export async function writeIndexReports(
  outDir: string,
  document: IndexDocument,
  results: ReadonlyMap<string, ScenarioResults>,
  options: { readonly junitFile?: string } = {},
): Promise<WrittenReports> {
  const dir = resolve(outDir);
  const junitFiles = [...new Set([join(dir, 'junit.xml'), ...(options.junitFile === undefined ? [] : [resolve(options.junitFile)])])];
  try {
    await mkdir(dir, { recursive: true });
    for (const file of junitFiles) await mkdir(dirname(file), { recursive: true });
    const [json, html, junit] = await Promise.all([
      writeIndexJson(join(dir, 'index.json'), document),
      writeIndexHtml(join(dir, 'index.html'), document),
      Promise.all(junitFiles.map((file) => writeIndexJunit(file, document, results))),
    ]);
    return { json, html, junit };
  } catch (error) {
    throw new ChaosError('INVALID_CONFIG', `cannot write the index of the scenario library to ${dir}: ${errorMessage(error)}`, {
      hint: 'pass a writable directory with --out (and a writable file with --junit)',
      cause: error,
    });
  }
}
