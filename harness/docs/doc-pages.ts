import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { markedTables, MarkerError, replaceTables } from './doc-markers.js';
import type { DocTables } from './doc-tables.js';

export interface DocPage {
  /** Relative to the repository, e.g. `docs/benchmarks.md`. */
  readonly file: string;
  readonly current: string;
  /** The page with every marked table rendered from its data. */
  readonly rendered: string;
  /** Marked tables whose text differs from what their data gives. */
  readonly stale: readonly string[];
}

/** Every markdown page in `docs/` under `root`, rendered with `tables`; an unknown table name is an error naming the page. */
export async function renderDocPages(root: string, tables: DocTables): Promise<DocPage[]> {
  const names = (await readdir(join(root, 'docs'))).filter((name) => name.endsWith('.md')).sort();
  const pages = await Promise.all(names.map(async (name) => ({ file: `docs/${name}`, current: await readFile(join(root, 'docs', name), 'utf8') })));
  const marked = new Set(pages.flatMap(({ file, current }) => inPage(file, () => markedTables(current).map((table) => table.name))));
  return pages.map(({ file, current }) => {
    const table = (marker: string): string => {
      const entry = tables.get(marker);
      if (entry === undefined) throw new MarkerError(`${file}: no data gives table:${marker} (known: ${[...tables.keys()].join(', ')})`);
      return typeof entry === 'string' ? entry : entry(marked);
    };
    return inPage(file, () => {
      const rendered = replaceTables(current, table);
      const stale = markedTables(current)
        .filter((found) => found.body !== table(found.name))
        .map((found) => found.name);
      return { file, current, rendered, stale };
    });
  });
}

/** A marker error names the page it is in. */
function inPage<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof MarkerError && !error.message.startsWith(file)) throw new MarkerError(`${file}: ${error.message}`);
    throw error;
  }
}
