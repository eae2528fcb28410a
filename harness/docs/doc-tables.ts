import { join } from 'node:path';
import { skype2010 } from '../../scenarios/skype-2010.js';
import { benchResultsSchema } from './bench-results-data.js';
import { benchTables } from './bench-doc-tables.js';
import { containerCostsSchema } from './container-costs-data.js';
import { CONTAINER_COSTS_TABLE, containerCostsTable } from './container-costs-table.js';
import { CONTROLS_TABLES, controlsTables, otherControls } from './controls-doc-tables.js';
import { controlsResultsSchema } from './controls-results-data.js';
import { DataFileError, readDataFile } from './data-file.js';
import type { TableFamily } from './gathered-tables.js';
import { LIBRARY_TABLES, libraryTables, otherLibraryRuns } from './library-doc-tables.js';
import { libraryResultsSchema } from './library-results-data.js';
import { readOptionalDataFile } from './optional-data-file.js';
import { repeatResultsSchema } from './repeat-results-data.js';
import { OTHER_CAMPAIGNS, otherCampaigns, repeatTables } from './repeat-doc-tables.js';
import { SCALE_ARITHMETIC_TABLE, SCALE_SURGE_TABLE, scaleArithmeticTable, scaleSurgeTable } from './scale-arithmetic.js';
import { otherSweeps, SWEEP_TABLES, sweepTables } from './sweep-doc-tables.js';
import { sweepResultsSchema } from './sweep-results-data.js';

/** A table's text, or (for a table that gathers what others leave out) its text given every name the pages mark. */
export type DocTable = string | ((marked: ReadonlySet<string>) => string);
export type DocTables = ReadonlyMap<string, DocTable>;

/** The data files the docs' tables are rendered from, relative to the repository. */
export const DATA_FILES = {
  bench: 'bench/results.json',
  repeat: 'bench/skype-2010-repeat.json',
  controls: 'bench/negative-controls.json',
  sweeps: 'bench/sweeps.json',
  library: 'bench/library-runs.json',
} as const;

/** Data files a bench writes once it has measured; until then their tables say they are not measured yet. */
export const OPTIONAL_DATA_FILES = {
  containerCosts: 'bench/container-costs.json',
} as const;

/** Tables, one per entry of a data file, that no page needs to mark: the family's gathering table shows them. */
export const TABLE_FAMILIES: readonly TableFamily[] = [{ prefix: 'repeat-', others: OTHER_CAMPAIGNS }, CONTROLS_TABLES, SWEEP_TABLES, LIBRARY_TABLES];

/** Every table the docs may mark, by name, rendered from the data files under `root`. */
export async function loadDocTables(root: string): Promise<DocTables> {
  const [bench, repeat, controls, sweeps, library, containerCosts] = await Promise.all([
    readDataFile(join(root, DATA_FILES.bench), benchResultsSchema),
    readDataFile(join(root, DATA_FILES.repeat), repeatResultsSchema),
    readDataFile(join(root, DATA_FILES.controls), controlsResultsSchema),
    readDataFile(join(root, DATA_FILES.sweeps), sweepResultsSchema),
    readDataFile(join(root, DATA_FILES.library), libraryResultsSchema),
    readOptionalDataFile(join(root, OPTIONAL_DATA_FILES.containerCosts), containerCostsSchema),
  ]);
  const tables = new Map<string, DocTable>();
  const add = (name: string, table: DocTable): void => {
    if (tables.has(name)) throw new DataFileError(`table:${name} is given twice: give the entry of that name another id`);
    tables.set(name, table);
  };
  for (const rendered of [benchTables(bench), repeatTables(repeat), controlsTables(controls), sweepTables(sweeps), libraryTables(library)]) {
    for (const [name, table] of Object.entries(rendered)) add(name, table);
  }
  add(OTHER_CAMPAIGNS, (marked) => otherCampaigns(repeat, marked));
  add(CONTROLS_TABLES.others, (marked) => otherControls(controls, marked));
  add(SWEEP_TABLES.others, (marked) => otherSweeps(sweeps, marked));
  add(LIBRARY_TABLES.others, (marked) => otherLibraryRuns(library, marked));
  add(CONTAINER_COSTS_TABLE, containerCostsTable(containerCosts));
  add(SCALE_ARITHMETIC_TABLE, scaleArithmeticTable(containerCosts, sweeps, skype2010));
  add(SCALE_SURGE_TABLE, scaleSurgeTable(containerCosts, sweeps, skype2010));
  return tables;
}
