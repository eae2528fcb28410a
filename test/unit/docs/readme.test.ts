import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proseOf } from '../../../harness/docs/doc-markers.js';

const root = resolve(import.meta.dirname, '../../..');
const README_MAX_LINES = 300;
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const read = (page: string): string => readFileSync(join(root, page), 'utf8');

/** Relative markdown links of a page, `[text](target)`, outside code blocks. */
function relativeLinks(text: string): string[] {
  const outsideCode = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...outsideCode.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/i.test(target));
}

/** GitHub's anchors of a page's headings. */
function anchors(text: string): Set<string> {
  const headings = text.replace(/```[\s\S]*?```/g, '').match(/^#{1,6} .+$/gm) ?? [];
  return new Set(
    headings.map((heading) =>
      heading
        .replace(/^#+ /, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('README.md', () => {
  const readme = read('README.md');

  it(`is at most ${README_MAX_LINES} lines`, () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('links only to docs/ pages that exist, and to every one of them', () => {
    const docsLinks = relativeLinks(readme)
      .map((target) => target.split('#')[0]!)
      .filter((file) => file.startsWith('docs/'));
    expect(docsLinks.length).toBeGreaterThan(0);
    for (const file of docsLinks) expect(existsSync(join(root, file)), `README links to ${file}`).toBe(true);
    const linked = new Set(docsLinks);
    for (const page of pages.filter((p) => p.startsWith('docs/'))) expect(linked.has(page), `README does not link to ${page}`).toBe(true);
  });
});

describe('the docs', () => {
  it.each(pages)('%s: every relative link leads to a file that exists, and to a heading it has', (page) => {
    for (const target of relativeLinks(read(page))) {
      const [file = '', anchor] = target.split('#');
      const linked = file === '' ? page : join(dirname(page), file);
      expect(existsSync(join(root, linked)), `${page} links to ${linked}`).toBe(true);
      if (anchor !== undefined && linked.endsWith('.md')) expect(anchors(read(linked)).has(anchor), `${page} links to ${linked}#${anchor}`).toBe(true);
    }
  });

  it.each(pages)('%s: speaks of the software, with no commit hash in its prose (the data files keep theirs)', (page) => {
    const hashes = proseOf(read(page)).match(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b/g) ?? [];
    expect(hashes).toEqual([]);
  });
});
