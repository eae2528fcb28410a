import { join } from 'node:path';
import { selectControls } from '../controls/select-controls.js';
import { ChaosError, isChaosError } from '../errors.js';
import { defaultReportDir } from '../report/write-reports.js';
import { loadCatalog, scenariosDir } from '../runner/scenario-catalog.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import { controlsPlanFor, requireControlsToRun, type ControlsPlan } from './controls-step.js';

/** One scenario `chaos run` runs: its architectures, where its reports go, and its negative controls (with --controls). */
export interface ScenarioPlan {
  readonly scenario: ScenarioDefinition;
  readonly architectures: readonly Architecture[];
  readonly outDir: string;
  readonly junitFile?: string;
  readonly controls?: ControlsPlan;
}

/** A scenario of the library: run, or left out with the reason (`--arch` or `--control` leave it nothing to run). */
export type LibraryItem = { readonly kind: 'run'; readonly plan: ScenarioPlan } | { readonly kind: 'skip'; readonly scenario: string; readonly reason: string };

export interface LibraryPlanOptions {
  /** The index's directory; each scenario's reports go to `<dir>/<scenario>/`. */
  readonly dir: string;
  readonly arch?: readonly Architecture[];
  readonly control?: readonly string[];
  readonly withControls: boolean;
  readonly onlyControls: boolean;
}

/** `--all` runs every scenario in `scenarios/`: naming some as well is refused (exit 2). */
export function refuseNamesWithAll(names: readonly string[]): void {
  if (names.length === 0) return;
  throw new ChaosError('INVALID_CONFIG', `--all runs every scenario in scenarios/ and takes no scenario names (got ${names.join(', ')})`, {
    hint: `drop the names to run the whole library, or drop --all to run only ${names.join(' and ')}`,
  });
}

/** `reports/all-<UTC timestamp>` unless `--out` says where. */
export function libraryOutDir(out: string | undefined, now: Date): string {
  return out ?? defaultReportDir('all', now);
}

/**
 * Every scenario in `scenarios/`, each loaded and validated whole before anything starts. One that does
 * not load refuses the library (exit 2); several are refused together, each with its problems.
 */
export async function loadLibrary(dir = scenariosDir): Promise<ScenarioDefinition[]> {
  const loaded = await loadCatalog(dir);
  if (loaded.length === 0) throw new ChaosError('INVALID_CONFIG', `--all: no scenario in ${dir}`, { hint: 'add a scenario file to scenarios/, or name a scenario file instead of --all' });
  const scenarios = loaded.flatMap((one) => (one.scenario === undefined ? [] : [one.scenario]));
  const failures = loaded.flatMap((one) => {
    if (one.scenario !== undefined) return [];
    if (!isChaosError(one.error)) throw one.error;
    return [{ file: one.file, error: one.error }];
  });
  const [first] = failures;
  if (first !== undefined && failures.length === 1) throw first.error;
  if (failures.length > 1) {
    throw new ChaosError('INVALID_SCENARIO', `--all: ${failures.length} scenarios of ${dir} do not load: ${failures.map(({ file }) => file).join(', ')}`, {
      hint: 'fix each as its problems below say (or move it out of scenarios/); nothing was started',
      details: failures.flatMap(({ file, error }) => [`${file}: ${error.code}: ${error.message}; ${error.hint}`, ...error.details.map((detail) => `  ${detail}`)]),
    });
  }
  const names = scenarios.map((scenario) => scenario.name);
  const twice = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  if (twice.length > 0) {
    throw new ChaosError('INVALID_SCENARIO', `--all: more than one file in ${dir} defines ${twice.join(', ')}`, { hint: 'give each scenario its own name: each gets its own report directory' });
  }
  return scenarios;
}

/**
 * What `--all` runs of each scenario. `--arch` and `--control` select among the scenarios instead of
 * refusing those they do not fit: a scenario with none of the architectures (or, with --only-controls,
 * none of the controls) is left out with the reason. A `--control` no scenario declares is refused, so is
 * a selection that leaves nothing to run; a control whose sabotaged scenario is invalid refuses the library.
 */
export function planLibrary(scenarios: readonly ScenarioDefinition[], options: LibraryPlanOptions): LibraryItem[] {
  refuseUnknownControls(scenarios, options.control);
  const items = scenarios.map((scenario) => planScenario(scenario, options));
  const skipped = items.filter((item) => item.kind === 'skip');
  if (skipped.length === items.length) {
    throw new ChaosError('INVALID_CONFIG', '--all leaves no scenario to run', {
      hint: 'drop or widen --arch or --control',
      details: skipped.map((item) => `${item.scenario}: ${item.reason}`),
    });
  }
  return items;
}

function planScenario(scenario: ScenarioDefinition, options: LibraryPlanOptions): LibraryItem {
  const skip = (reason: string): LibraryItem => ({ kind: 'skip', scenario: scenario.name, reason });
  const available = Object.keys(scenario.architectures) as Architecture[];
  const requested = options.arch ?? [];
  const architectures = requested.length === 0 ? available : available.filter((architecture) => requested.includes(architecture));
  if (architectures.length === 0) return skip(`--arch ${requested.join(' ')}: it defines only ${available.join(' and ')}`);
  const plan: ScenarioPlan = { scenario, architectures, outDir: join(options.dir, scenario.name) };
  if (!options.withControls) return { kind: 'run', plan };
  const declared = (scenario.controls ?? []).map((control) => control.name);
  const chosen = options.control === undefined || options.control.length === 0 ? undefined : options.control.filter((name) => declared.includes(name));
  if (chosen !== undefined && chosen.length === 0) {
    return options.onlyControls ? skip(`it declares none of --control ${options.control?.join(' ')}`) : { kind: 'run', plan };
  }
  const controls = controlsPlanFor(selectControls(scenario, chosen), architectures);
  if (options.onlyControls) {
    try {
      requireControlsToRun(scenario.name, controls);
    } catch (error) {
      if (!isChaosError(error)) throw error;
      return skip(error.message);
    }
  }
  return { kind: 'run', plan: { ...plan, controls } };
}

function refuseUnknownControls(scenarios: readonly ScenarioDefinition[], names: readonly string[] | undefined): void {
  const declared = [...new Set(scenarios.flatMap((scenario) => (scenario.controls ?? []).map((control) => control.name)))];
  const unknown = (names ?? []).filter((name) => !declared.includes(name));
  if (unknown.length === 0) return;
  throw new ChaosError('INVALID_CONFIG', `--control ${unknown.join(', ')}: no scenario in scenarios/ declares such a negative control`, {
    hint: declared.length === 0 ? 'no scenario declares negative controls; drop --control' : `name one of ${declared.join(', ')}`,
  });
}
