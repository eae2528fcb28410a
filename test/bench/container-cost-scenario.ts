import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { setFieldPaths } from '../../harness/controls/set-field-paths.js';
import { ChaosError, isChaosError } from '../../harness/errors.js';
import { loadScenario } from '../../harness/runner/scenario-catalog.js';
import { validateScenario } from '../../harness/scenario/define-scenario.js';
import type { Architecture, ScenarioDefinition } from '../../harness/scenario/types.js';
import { parseParamPath } from '../../harness/sweep/sweep-param.js';

/**
 * `bench:costs --set PATH=VALUE`: the named scenario with the values set, validated whole, and written
 * as a JSON scenario file for `chaos run` to run. Scenario definitions are plain data (the loader
 * validates them into numbers, text, lists and objects), so JSON holds them as they are; the file is
 * read back with the harness's loader and compared before it is used.
 */

/** `--set a=1 --set b=x`, as the data and the table write it. */
export const setText = (set: Readonly<Record<string, unknown>>): string =>
  Object.entries(set)
    .map(([path, value]) => `${path}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');

const setHint = (scenario: ScenarioDefinition, architecture: Architecture): string =>
  `give --set the path of a field of ${scenario.name} as chaos sweep --param takes it and a value the field takes, e.g. --set architectures.${architecture}.topology.clientsPerFleet=1000 (\`chaos schema\` describes every field)`;

/** The scenario with each path at its value, validated whole; a path that is not there, or a value that makes the scenario invalid, is refused as INVALID_CONFIG / INVALID_SCENARIO (exit 2). */
export function variedScenario(scenario: ScenarioDefinition, set: Readonly<Record<string, unknown>>, architecture: Architecture): ScenarioDefinition {
  if (scenario.architectures[architecture] === undefined) {
    throw new ChaosError('INVALID_CONFIG', `scenario ${scenario.name} does not define architecture ${architecture}`, {
      hint: `use --arch with ${Object.keys(scenario.architectures).join(' or ')}`,
    });
  }
  for (const path of Object.keys(set)) {
    const segments = parseParamPath(path);
    const step = segments?.[0] === 'timeline' && typeof segments[1] === 'number' ? scenario.timeline[segments[1]] : undefined;
    if (step?.only !== undefined && !step.only.includes(architecture)) {
      throw new ChaosError('INVALID_CONFIG', `--set ${path}: timeline[${String(segments?.[1])}] runs only on ${step.only.join(', ')}, so it changes nothing the run of ${architecture} runs`, {
        hint: `set a field of a step that runs on ${architecture}, or run --arch ${step.only.join(' or ')}`,
      });
    }
  }
  const varied = setFieldPaths(scenario, set);
  if ('problems' in varied) {
    const [first] = varied.problems;
    throw new ChaosError('INVALID_CONFIG', varied.problems.length === 1 ? `--set ${first!.path} ${first!.problem}` : `${varied.problems.length} --set paths cannot be set in ${scenario.name}`, {
      hint: setHint(scenario, architecture),
      details: varied.problems.length === 1 ? [] : varied.problems.map(({ path, problem }) => `${path} ${problem}`),
    });
  }
  try {
    return validateScenario(varied.value);
  } catch (error) {
    if (!isChaosError(error) || error.code !== 'INVALID_SCENARIO') throw error;
    throw new ChaosError('INVALID_SCENARIO', `--set ${setText(set)} makes ${scenario.name} invalid (${error.details.length} problem${error.details.length === 1 ? '' : 's'})`, {
      hint: 'change the --set values: each problem below names a field and the fix',
      details: error.details.length > 0 ? error.details : [error.message],
    });
  }
}

/** Where the varied scenario is written: beside the run's reports. */
export const variedScenarioFile = (outDir: string, scenario: ScenarioDefinition): string => join(outDir, `${scenario.name}-set.json`);

/** Writes the varied scenario as a JSON scenario file and reads it back as `chaos run` will; throws when what it reads is not the scenario written. */
export async function writeVariedScenario(outDir: string, scenario: ScenarioDefinition): Promise<string> {
  const file = variedScenarioFile(outDir, scenario);
  await mkdir(outDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(scenario, null, 2)}\n`, 'utf8');
  const read = await loadScenario(file);
  if (!isDeepStrictEqual(read, scenario)) {
    throw new ChaosError('INVALID_SCENARIO', `${file} does not read back as the scenario written: scenario ${scenario.name} holds something JSON does not`, {
      hint: 'write the varied scenario as a .ts scenario file that imports the original and overrides the fields, and pass that file to the bench instead of --set',
    });
  }
  return file;
}
