import { writeControlsOnlyHtml } from './controls-only-html.js';
import { writeControlsOnlyJunit } from './controls-only-junit.js';
import { writeControlsOnlyJson, type ControlsOnlyDocument } from './controls-only-report.js';
import type { WrittenReports } from './report-paths.js';
import { writeReportSet } from './write-report-set.js';

/** Writes report.json, report.html and junit.xml of `--only-controls` into `outDir` (and the JUnit XML to `junitFile`). */
export function writeControlsOnlyReports(outDir: string, document: ControlsOnlyDocument, options: { readonly junitFile?: string } = {}): Promise<WrittenReports> {
  return writeReportSet(
    outDir,
    {
      jsonName: 'report.json',
      htmlName: 'report.html',
      writeJson: (file) => writeControlsOnlyJson(file, document),
      writeHtml: (file) => writeControlsOnlyHtml(file, document),
      writeJunit: (file) => writeControlsOnlyJunit(file, document),
      what: "the negative controls' reports",
    },
    options.junitFile,
  );
}
