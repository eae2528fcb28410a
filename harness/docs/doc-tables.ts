import { join } from 'node:path';
import { benchResultsSchema } from './bench-results-data.js';
import { benchTables } from './bench-doc-tables.js';
import { readDataFile } from './data-file.js';
import { repeatResultsSchema } from './repeat-results-data.js';
import { OTHER_CAMPAIGNS, otherCampaigns, repeatTables } from './repeat-doc-tables.js';

/** A table's text, or (for a table that gathers what others leave out) its text given every name the pages mark. */
export type DocTable = string | ((marked: ReadonlySet<string>) => string);
export type DocTables = ReadonlyMap<string, DocTable>;

/** The data files the docs' tables are rendered from, relative to the repository. */
export const DATA_FILES = { bench: 'bench/results.json', repeat: 'bench/skype-2010-repeat.json' } as const;

/** Every table the docs may mark, by name, rendered from the data files under `root`. */
export async function loadDocTables(root: string): Promise<DocTables> {
  const [bench, repeat] = await Promise.all([
    readDataFile(join(root, DATA_FILES.bench), benchResultsSchema),
    readDataFile(join(root, DATA_FILES.repeat), repeatResultsSchema),
  ]);
  const others: DocTable = (marked) => otherCampaigns(repeat, marked);
  return new Map<string, DocTable>([...Object.entries({ ...benchTables(bench), ...repeatTables(repeat) }), [OTHER_CAMPAIGNS, others]]);
}
