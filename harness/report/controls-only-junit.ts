import { writeFile } from 'node:fs/promises';
import { create } from 'xmlbuilder2';
import { addControlsSuite, controlsJunitCounts } from './controls-junit.js';
import type { ControlsOnlyDocument } from './controls-only-report.js';
import { xmlText } from './xml-text.js';

/** JUnit XML of `chaos run --only-controls`: the one testsuite `<scenario>.controls`, a testcase per control. */
export function renderControlsOnlyJunit(document: ControlsOnlyDocument): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: xmlText(`${document.scenario} (negative controls)`),
    ...controlsJunitCounts(document.controls),
  });
  addControlsSuite(root, document.scenario, document.controls, document.generatedAt);
  return root.end({ prettyPrint: true });
}

export async function writeControlsOnlyJunit(file: string, document: ControlsOnlyDocument): Promise<string> {
  await writeFile(file, `${renderControlsOnlyJunit(document)}\n`, 'utf8');
  return file;
}
