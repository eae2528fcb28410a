import type { ContainerCostRun, ContainerCostsData } from '../../harness/docs/container-costs-data.js';

/** bench/container-costs.json from one more run: replaced by it, or with --append the run added to the file's runs (measured on the same machine). */

export const CONTAINER_COSTS_ABOUT =
  'What each kind of container cost during chaos runs on the Docker platform (npm run bench:costs), one entry a run: per phase and role, CPU in cores and memory in MiB per container, ' +
  'then per unit (a supernode, 1,000 clients, Toxiproxy, login, an offline-message server). A run with --set is of the scenario with those values; runs that differ only in clientsPerFleet ' +
  'give what 1,000 more clients cost apart from each fleet process\'s fixed cost. docs/scale.md renders its table from this file (npm run docs).';

type Machine = ContainerCostRun['machine'];
type ComparedFact = 'cores' | 'cpuModel' | 'dockerEngine';

/** The machine facts runs must share to be compared. */
const sameMachineFacts: readonly { readonly fact: ComparedFact; readonly name: string }[] = [
  { fact: 'cores', name: 'cores' },
  { fact: 'cpuModel', name: 'CPU model' },
  { fact: 'dockerEngine', name: 'Docker engine' },
];

/** What differs between the machine of the file's runs and this one; undefined when they are the same. */
export function machineMismatch(runs: readonly ContainerCostRun[], machine: Pick<Machine, ComparedFact>): string | undefined {
  const differences = runs.flatMap((run, index) =>
    sameMachineFacts
      .filter(({ fact }) => run.machine[fact] !== machine[fact])
      .map(({ fact, name }) => `run ${index + 1} has ${name} ${JSON.stringify(run.machine[fact])}, this machine ${JSON.stringify(machine[fact])}`),
  );
  return differences.length === 0 ? undefined : [...new Set(differences)].join('; ');
}

/** Why --append is refused on another machine, and what to do instead. */
export const appendRefusal = (file: string, mismatch: string): string =>
  `--append adds runs of one machine, but ${file} was measured on another (${mismatch}): their costs are not comparable. ` +
  'Drop --append to replace the file with this run, or measure on the machine of its runs.';

export type CostsFileUpdate = { readonly data: ContainerCostsData; readonly appended: boolean } | { readonly refused: string };

/** The file's contents with the run: only the run without --append (or without a file), else the file's runs and the run, when the machine is the same. */
export function withRun(existing: ContainerCostsData | undefined, run: ContainerCostRun, append: boolean, file: string): CostsFileUpdate {
  if (!append || existing === undefined) return { data: { about: CONTAINER_COSTS_ABOUT, runs: [run] }, appended: false };
  const mismatch = machineMismatch(existing.runs, run.machine);
  if (mismatch !== undefined) return { refused: appendRefusal(file, mismatch) };
  return { data: { about: CONTAINER_COSTS_ABOUT, runs: [...existing.runs, run] }, appended: true };
}
