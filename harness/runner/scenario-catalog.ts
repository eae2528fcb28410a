import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { ChaosError, errorMessage } from '../errors.js';
import { validateScenario } from '../scenario/define-scenario.js';
import type { ScenarioDefinition } from '../scenario/types.js';

export const scenariosDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');

export interface CatalogEntry {
  readonly name: string;
  readonly file: string;
}

/** Scenario files shipped in `scenarios/` (one file per scenario). */
export async function listScenarioFiles(dir = scenariosDir): Promise<CatalogEntry[]> {
  const files = (await readdir(dir)).filter((file) => /\.(ts|json)$/.test(file) && !file.endsWith('.d.ts')).sort();
  return files.map((file) => ({ name: basename(file, extname(file)), file: join(dir, file) }));
}

/**
 * Loads a scenario by name (from `scenarios/`) or by path (a `.ts` module exporting a scenario,
 * or a `.json` document), and validates it whole before anything starts.
 */
export async function loadScenario(nameOrPath: string, dir = scenariosDir): Promise<ScenarioDefinition> {
  const file = resolveScenarioFile(nameOrPath, dir);
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse(await readFile(file, 'utf8')) : pickExportedScenario(await import(pathToFileURL(file).href));
  } catch (error) {
    if (error instanceof ChaosError) throw error;
    throw new ChaosError('INVALID_SCENARIO', `cannot load scenario ${file}: ${errorMessage(error)}`, {
      hint: 'fix the file so it parses (JSON) or imports (TypeScript) cleanly',
      cause: error,
    });
  }
  return validateScenario(raw);
}

function resolveScenarioFile(nameOrPath: string, dir: string): string {
  const candidates = [nameOrPath, join(dir, `${nameOrPath}.ts`), join(dir, `${nameOrPath}.json`)].map((p) => resolve(p));
  const found = candidates.find((candidate) => existsSync(candidate) && /\.(ts|json)$/.test(candidate));
  if (found !== undefined) return found;
  throw new ChaosError('UNKNOWN_SCENARIO', `no scenario named "${nameOrPath}"`, {
    hint: 'run `chaos list` for the scenarios in scenarios/, or give the path of a .ts or .json scenario file',
  });
}

function pickExportedScenario(module: Record<string, unknown>): unknown {
  const values = Object.values(module).filter((value) => typeof value === 'object' && value !== null && 'timeline' in value);
  if (values.length !== 1) {
    throw new Error(`expected exactly one exported scenario (an object with a timeline), found ${values.length}`);
  }
  return values[0];
}
