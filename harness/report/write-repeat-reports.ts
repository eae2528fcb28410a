import type { RepeatDocument } from '../verdict/repeat-summary.js';
import type { WrittenReports } from './report-paths.js';
import { writeRepeatHtml } from './repeat-html.js';
import { writeRepeatJson } from './repeat-json.js';
import { writeRepeatJunit } from './repeat-junit.js';
import { writeReportSet } from './write-report-set.js';

/** Writes the aggregate report.json, report.html and junit.xml of a repeat into `outDir` (and the JUnit XML to `junitFile`). */
export function writeRepeatReports(outDir: string, document: RepeatDocument, options: { readonly junitFile?: string } = {}): Promise<WrittenReports> {
  return writeReportSet(
    outDir,
    {
      jsonName: 'report.json',
      htmlName: 'report.html',
      writeJson: (file) => writeRepeatJson(file, document),
      writeHtml: (file) => writeRepeatHtml(file, document),
      writeJunit: (file) => writeRepeatJunit(file, document),
      what: "the repeat's reports",
    },
    options.junitFile,
  );
}
