import { writeFile } from 'node:fs/promises';
import type { SweepDocument } from './sweep-document.js';

/**
 * `report.json` of a sweep: `{ scenario, description, platform, generatedAt, sweep: { architecture,
 * expectation, param: { path, shipped, from, to, integer, scaleWith: [{ path, shipped, integer }] },
 * repeat, steps, baseSeed, seeds, holdsWhen, holdsRule, direction, bracket, stop, margin, points: [{
 * index, value, set: { path: value }, status, dir, stoppedEarly, met, delivered (under --holds-when
 * delivered), runs }] } }`.
 */
export function serializeSweepDocument(document: SweepDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function writeSweepJson(file: string, document: SweepDocument): Promise<string> {
  await writeFile(file, serializeSweepDocument(document), 'utf8');
  return file;
}
