import { readdir } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { ChaosError, errorMessage } from '../errors.js';
import { validateScenario } from '../scenario/define-scenario.js';
import { scenarioOfDocument } from '../scenario/scenario-document.js';
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

/** A scenario file of the catalogue, loaded and validated, or the error that refused it. */
export type CatalogLoad = (CatalogEntry & { readonly scenario: ScenarioDefinition; readonly error?: never }) | (CatalogEntry & { readonly error: unknown; readonly scenario?: never });

/** Every scenario file of the directory loaded and validated, in file order; one that does not load carries its error. */
export async function loadCatalog(dir = scenariosDir): Promise<CatalogLoad[]> {
  return Promise.all(
    (await listScenarioFiles(dir)).map(async (entry): Promise<CatalogLoad> => {
      try {
        return { ...entry, scenario: await loadScenario(entry.file, dir) };
      } catch (error) {
        return { ...entry, error };
      }
    }),
  );
}

/**
 * Loads a scenario by name (from `scenarios/`) or by path (a `.ts` module exporting a scenario,
 * or a `.json` document), and validates it whole before anything starts.
 */
export async function loadScenario(nameOrPath: string, dir = scenariosDir): Promise<ScenarioDefinition> {
  const file = resolveScenarioFile(nameOrPath, dir);
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) : pickExportedScenario(await import(pathToFileURL(file).href));
  } catch (error) {
    if (error instanceof ChaosError) throw error;
    // A parser's message may quote the file's bytes: keep it on one printable line.
    const reason = [...errorMessage(error)].map((char) => (isPrintable(char) ? char : '?')).join('');
    throw new ChaosError('INVALID_SCENARIO', `cannot load scenario ${file}: ${reason}`, {
      hint: 'fix the file so it parses (JSON) or imports (TypeScript) cleanly',
      cause: error,
    });
  }
  return validateScenario(extname(file) === '.json' ? scenarioOfDocument(raw) : raw);
}

const isPrintable = (char: string): boolean => {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x20 && !(code >= 0x7f && code <= 0x9f) && code !== 0xfffd;
};

const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]*$/;
const SCENARIO_FILE = /\.(ts|json)$/;

/**
 * A name (`skype-2010`) is looked up in `scenarios/` only; anything with a slash or a .ts/.json ending is a
 * path, taken as given. A name never reaches outside `scenarios/` (`../x`), and names with shell or path
 * characters are refused as names rather than looked up.
 */
function resolveScenarioFile(nameOrPath: string, dir: string): string {
  const isPath = /[\\/]/.test(nameOrPath) || SCENARIO_FILE.test(nameOrPath);
  if (!isPath) {
    if (!SCENARIO_NAME.test(nameOrPath)) {
      throw new ChaosError('UNKNOWN_SCENARIO', `${JSON.stringify(nameOrPath)} is not a scenario name`, {
        hint: 'scenario names are lower-case letters, digits and dashes (run `chaos list`); give a file as a path ending in .ts or .json',
      });
    }
    const found = [join(dir, `${nameOrPath}.ts`), join(dir, `${nameOrPath}.json`)].find((candidate) => existsSync(candidate));
    if (found !== undefined) return found;
    throw new ChaosError('UNKNOWN_SCENARIO', `no scenario named "${nameOrPath}"`, {
      hint: 'run `chaos list` for the scenarios in scenarios/, or give the path of a .ts or .json scenario file',
    });
  }
  const file = resolve(nameOrPath);
  if (!existsSync(file)) {
    throw new ChaosError('UNKNOWN_SCENARIO', `no scenario file at ${JSON.stringify(file)}`, {
      hint: 'check the path, or give a scenario name from `chaos list`',
    });
  }
  if (!statSync(file).isFile() || !SCENARIO_FILE.test(file)) {
    throw new ChaosError('UNKNOWN_SCENARIO', `${JSON.stringify(file)} is not a scenario file`, {
      hint: 'give a .ts module exporting one scenario or a .json scenario document',
    });
  }
  return file;
}

function pickExportedScenario(module: Record<string, unknown>): unknown {
  const values = Object.values(module).filter((value) => typeof value === 'object' && value !== null && 'timeline' in value);
  if (values.length !== 1) {
    throw new Error(`expected exactly one exported scenario (an object with a timeline), found ${values.length}`);
  }
  return values[0];
}
