/**
 * Tables rendered one per entry of a data file, named `<prefix><id>`, come with one more table,
 * `<prefix>others`, that shows each of them no page marks by name, in the order of the file: a new
 * entry appears in the docs without a page being edited, until a page gives it a marker of its own.
 */
export interface TableFamily {
  readonly prefix: string;
  /** The name of the table that gathers the family's tables no page marks. */
  readonly others: string;
}

export const tableFamily = (prefix: string): TableFamily => ({ prefix, others: `${prefix}others` });

export interface GatheredWords {
  /** What the gathering table says when the data file has no entry. */
  readonly none: string;
  /** What it says when every entry has a marker of its own. */
  readonly allShown: string;
}

/** The family's tables no page marks, one after the other. */
export function gatheredTables(tables: Readonly<Record<string, string>>, marked: ReadonlySet<string>, words: GatheredWords): string {
  const all = Object.entries(tables);
  if (all.length === 0) return words.none;
  const unmarked = all.filter(([name]) => !marked.has(name)).map(([, table]) => table);
  return unmarked.length === 0 ? words.allShown : unmarked.join('\n\n');
}
