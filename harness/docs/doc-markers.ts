/**
 * Tables in docs/ that are rendered from data sit between marker comments, which markdown does not
 * show: `<!-- table:NAME -->`, the table, `<!-- /table -->`. Everything between the two is the
 * renderer's; everything outside is left as written.
 */

const OPEN = /<!-- table:([a-z0-9-]+) -->/g;
const CLOSE = '<!-- /table -->';

export interface MarkedTable {
  readonly name: string;
  /** What stands between the markers today, without the line breaks that frame it. */
  readonly body: string;
  /** Where the opening marker begins and the closing marker ends. */
  readonly start: number;
  readonly end: number;
}

export class MarkerError extends Error {}

export function markedTables(text: string): MarkedTable[] {
  const tables: MarkedTable[] = [];
  let searchFrom = 0;
  for (const open of text.matchAll(OPEN)) {
    if (open.index < searchFrom) throw new MarkerError(`table:${open[1]} opens inside table:${tables.at(-1)?.name}; close that one first with ${CLOSE}`);
    const bodyStart = open.index + open[0].length;
    const close = text.indexOf(CLOSE, bodyStart);
    if (close === -1) throw new MarkerError(`table:${open[1]} is never closed; end it with ${CLOSE}`);
    tables.push({ name: open[1]!, body: text.slice(bodyStart, close).replace(/^\n/, '').replace(/\n$/, ''), start: open.index, end: close + CLOSE.length });
    searchFrom = close + CLOSE.length;
  }
  const closes = text.split(CLOSE).length - 1;
  if (closes !== tables.length) throw new MarkerError(`${closes} ${CLOSE} for ${tables.length} opening markers; every table:NAME needs exactly one`);
  return tables;
}

/** The text with every marked table's body replaced by what `render` gives for its name. */
export function replaceTables(text: string, render: (name: string) => string): string {
  let out = '';
  let from = 0;
  for (const table of markedTables(text)) {
    out += `${text.slice(from, table.start)}<!-- table:${table.name} -->\n${render(table.name)}\n${CLOSE}`;
    from = table.end;
  }
  return out + text.slice(from);
}

/** Text outside every marked table: the prose a person wrote. */
export function proseOf(text: string): string {
  let out = '';
  let from = 0;
  for (const table of markedTables(text)) {
    out += text.slice(from, table.start);
    from = table.end;
  }
  return out + text.slice(from);
}
