import { writeFile } from 'node:fs/promises';
import type { ControlsSection } from '../controls/control-types.js';
import { orderedControls } from './controls-json.js';

/** The `report.json` of `chaos run --only-controls`: the scenario's negative controls, no real run. */
export interface ControlsOnlyDocument {
  readonly scenario: string;
  readonly description: string;
  /** `--seed` (or the scenario's): the controls ran on the seeds a repeat from it would use. */
  readonly baseSeed: number;
  readonly seeds: readonly number[];
  readonly platform: string;
  readonly generatedAt: string;
  readonly controls: ControlsSection;
}

export interface ControlsOnlyDocumentOptions {
  readonly scenario: string;
  readonly description: string;
  readonly baseSeed: number;
  readonly platform: string;
  readonly now?: Date;
}

export function controlsOnlyDocument(section: ControlsSection, options: ControlsOnlyDocumentOptions): ControlsOnlyDocument {
  return {
    scenario: options.scenario,
    description: options.description,
    baseSeed: options.baseSeed,
    seeds: section.seeds,
    platform: options.platform,
    generatedAt: (options.now ?? new Date()).toISOString(),
    controls: section,
  };
}

/**
 * The document with its keys in a fixed order, so two runs diff line by line:
 * `{ scenario, description, baseSeed, seeds, platform, generatedAt, controls }` (controls: see controls-json.ts).
 */
export function serializeControlsOnlyDocument(document: ControlsOnlyDocument): string {
  const ordered: ControlsOnlyDocument = {
    scenario: document.scenario,
    description: document.description,
    baseSeed: document.baseSeed,
    seeds: document.seeds,
    platform: document.platform,
    generatedAt: document.generatedAt,
    controls: orderedControls(document.controls),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export async function writeControlsOnlyJson(file: string, document: ControlsOnlyDocument): Promise<string> {
  await writeFile(file, serializeControlsOnlyDocument(document), 'utf8');
  return file;
}
