import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDocPages } from './doc-pages.js';
import { loadDocTables } from './doc-tables.js';

/**
 * `npm run docs`: renders the tables in docs/ from the data files in bench/. `--check` writes
 * nothing and exits 1 when a table differs from its data.
 */
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((arg) => arg !== '--check');
if (unknown.length > 0) {
  process.stderr.write(`unknown option ${unknown.join(' ')}; usage: npm run docs [-- --check]\n`);
  process.exit(2);
}

try {
  const pages = await renderDocPages(root, await loadDocTables(root));
  const stale = pages.filter((page) => page.stale.length > 0);
  for (const page of stale) {
    if (check) {
      process.stdout.write(`${page.file}: out of date: ${page.stale.map((name) => `table:${name}`).join(', ')}\n`);
    } else {
      await writeFile(join(root, page.file), page.rendered, 'utf8');
      process.stdout.write(`${page.file}: rendered ${page.stale.map((name) => `table:${name}`).join(', ')}\n`);
    }
  }
  if (stale.length === 0) process.stdout.write(`docs: every table matches its data (${pages.length} pages)\n`);
  else if (check) process.stdout.write('run `npm run docs` to render them\n');
  process.exitCode = check && stale.length > 0 ? 1 : 0;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 3;
}
