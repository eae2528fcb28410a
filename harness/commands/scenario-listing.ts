import { errorMessage, isChaosError } from '../errors.js';
import { loadCatalog, scenariosDir } from '../runner/scenario-catalog.js';
import type { Architecture, Expectation, ScenarioDefinition, ScenarioSource } from '../scenario/types.js';

/** One scenario of `chaos list`: what it reproduces and expects, or why it does not load. */
export interface ScenarioListing {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  /** The outage it reproduces; null when the scenario names none. */
  readonly source: ScenarioSource | null;
  readonly architectures: readonly { readonly architecture: Architecture; readonly expectation: Expectation }[];
  /** Set when the file does not load: what is wrong, then each problem with its fix. */
  readonly problem?: string;
  readonly details?: readonly string[];
}

export function listingOf(scenario: ScenarioDefinition, file: string): ScenarioListing {
  const architectures = (Object.keys(scenario.architectures) as Architecture[]).flatMap((architecture) => {
    const run = scenario.architectures[architecture];
    return run === undefined ? [] : [{ architecture, expectation: run.expectation }];
  });
  return { name: scenario.name, file, description: scenario.description, source: scenario.source ?? null, architectures };
}

export function invalidListing(name: string, file: string, error: unknown): ScenarioListing {
  return {
    name,
    file,
    description: '',
    source: null,
    architectures: [],
    problem: errorMessage(error),
    details: isChaosError(error) ? error.details : [],
  };
}

/** Every scenario file of the directory, loaded and validated; one that does not load is listed with its problem. */
export async function listScenarios(dir = scenariosDir): Promise<ScenarioListing[]> {
  return (await loadCatalog(dir)).map((loaded) => (loaded.scenario === undefined ? invalidListing(loaded.name, loaded.file, loaded.error) : listingOf(loaded.scenario, loaded.file)));
}
