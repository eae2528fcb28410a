import { writeIndexHtml } from './index-report-html.js';
import { writeIndexJson } from './index-report-json.js';
import { writeIndexJunit } from './index-report-junit.js';
import type { IndexDocument, ScenarioResults } from './index-report-types.js';
import type { WrittenReports } from './report-paths.js';
import { writeReportSet } from './write-report-set.js';

/** Writes index.json, index.html and junit.xml of `chaos run --all` into `outDir` (and the JUnit XML to `junitFile`). */
export function writeIndexReports(
  outDir: string,
  document: IndexDocument,
  results: ReadonlyMap<string, ScenarioResults>,
  options: { readonly junitFile?: string } = {},
): Promise<WrittenReports> {
  return writeReportSet(
    outDir,
    {
      jsonName: 'index.json',
      htmlName: 'index.html',
      writeJson: (file) => writeIndexJson(file, document),
      writeHtml: (file) => writeIndexHtml(file, document),
      writeJunit: (file) => writeIndexJunit(file, document, results),
      what: 'the index of the scenario library',
    },
    options.junitFile,
  );
}
