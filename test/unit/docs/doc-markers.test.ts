import { describe, expect, it } from 'vitest';
import { markedTables, MarkerError, proseOf, replaceTables } from '../../../harness/docs/doc-markers.js';
import { markdownTable } from '../../../harness/docs/markdown-table.js';

const page = ['# Title', 'Prose before.', '<!-- table:first -->', '| old |', '<!-- /table -->', 'Between.', '<!-- table:second -->', '<!-- /table -->', 'After.'].join('\n');

describe('table markers', () => {
  it('finds each marked table with what stands between its markers', () => {
    expect(markedTables(page).map(({ name, body }) => ({ name, body }))).toEqual([
      { name: 'first', body: '| old |' },
      { name: 'second', body: '' },
    ]);
  });

  it('replaces only what stands between the markers, and keeps the prose as written', () => {
    const rendered = replaceTables(page, (name) => `table ${name}`);
    expect(rendered).toBe(['# Title', 'Prose before.', '<!-- table:first -->', 'table first', '<!-- /table -->', 'Between.', '<!-- table:second -->', 'table second', '<!-- /table -->', 'After.'].join('\n'));
    expect(replaceTables(rendered, (name) => `table ${name}`)).toBe(rendered);
    expect(proseOf(rendered)).toBe('# Title\nProse before.\n\nBetween.\n\nAfter.');
  });

  it('refuses a table that is never closed, one opened inside another, and a stray closing marker', () => {
    expect(() => markedTables('<!-- table:a -->\n| x |')).toThrow(MarkerError);
    expect(() => markedTables('<!-- table:a -->\n<!-- table:b -->\n<!-- /table -->\n<!-- /table -->')).toThrow(/opens inside table:a/);
    expect(() => markedTables('text\n<!-- /table -->')).toThrow(/1 <!-- \/table --> for 0 opening markers/);
  });
});

describe('markdownTable', () => {
  it('writes a header, its rule and one line per row, escaping pipes and line breaks in cells', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x|y'], ['2', 'two\nlines']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |\n| 2 | two lines |');
  });
});
