import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchTables } from '../../../harness/docs/bench-doc-tables.js';
import { benchResultsSchema } from '../../../harness/docs/bench-results-data.js';
import { readDataFile } from '../../../harness/docs/data-file.js';
import { ms } from '../../../harness/docs/doc-format.js';
import { renderDocPages } from '../../../harness/docs/doc-pages.js';
import { DATA_FILES, loadDocTables } from '../../../harness/docs/doc-tables.js';
import { OTHER_CAMPAIGNS, otherCampaigns } from '../../../harness/docs/repeat-doc-tables.js';
import { repeatResultsSchema } from '../../../harness/docs/repeat-results-data.js';

const root = resolve(import.meta.dirname, '../../..');
const tables = await loadDocTables(root);
const pages = await renderDocPages(root, tables);

describe('the tables in docs/', () => {
  it.each(pages.map((page) => [page.file, page] as const))('%s: every table is what its data gives (run `npm run docs`)', (_, page) => {
    expect(page.stale).toEqual([]);
    expect(page.rendered).toBe(page.current);
  });

  it('shows every table the data gives, a campaign no page names among the further campaigns', () => {
    const shown = new Set(pages.flatMap((page) => [...page.current.matchAll(/<!-- table:([a-z0-9-]+) -->/g)].map((match) => match[1])));
    expect(shown.has(OTHER_CAMPAIGNS)).toBe(true);
    expect([...tables.keys()].filter((name) => !shown.has(name) && !name.startsWith('repeat-'))).toEqual([]);
  });

  it('gathers the campaigns no page names under the further campaigns, and only those', async () => {
    const repeat = await readDataFile(join(root, DATA_FILES.repeat), repeatResultsSchema);
    const [first, ...rest] = repeat.campaigns;
    if (first === undefined) throw new Error('the data file has campaigns');
    const unnamed = { ...first, id: 'side-by-side-p2p', command: 'npm run chaos -- skype-2010 --repeat 1', runs: [{ seed: 1, verdict: 'pass', onlineLowPoint: null, supernodesLostDirect: 9, supernodesLostTotal: 40 }] };
    const others = otherCampaigns({ ...repeat, campaigns: [first, unnamed, ...rest] }, new Set(repeat.campaigns.map((campaign) => `repeat-${campaign.id}`)));
    expect(others.startsWith('**skype-2010, p2p**: `npm run chaos -- skype-2010 --repeat 1`')).toBe(true);
    expect(others).toContain('| 1 | pass | 9 / 40 | 4.4x |');
    expect(others).not.toContain('online low point');
    expect(otherCampaigns(repeat, new Set(repeat.campaigns.map((campaign) => `repeat-${campaign.id}`)))).toBe('_Every campaign is shown above._');
  });

  it('tells a table that differs from its data, by name', async () => {
    const results = await readDataFile(join(root, DATA_FILES.bench), benchResultsSchema);
    if (results.hopOverhead.status !== 'measured' || results.hopOverhead.result.direct === undefined) throw new Error('the committed bench measured the hop');
    const direct = { ...results.hopOverhead.result.direct, p50: results.hopOverhead.result.direct.p50 + 1 };
    const changed = { ...results, hopOverhead: { ...results.hopOverhead, result: { ...results.hopOverhead.result, direct } } };
    const withChange = new Map(tables).set('bench-hop', benchTables(changed)['bench-hop']!);
    const benchmarks = (await renderDocPages(root, withChange)).find((page) => page.file === 'docs/benchmarks.md');
    expect(benchmarks?.stale).toEqual(['bench-hop']);
    expect(benchmarks?.rendered).toContain(`| direct to the supernode | 400 | ${ms(direct.p50)} |`);
    expect(ms(direct.p50)).not.toBe(ms(direct.p50 - 1));
  });

  it('refuses a page that marks a table no data gives, naming the page', async () => {
    const without = new Map([...tables].filter(([name]) => name !== 'bench-cpu'));
    await expect(renderDocPages(root, without)).rejects.toThrow(/^docs\/benchmarks\.md: no data gives table:bench-cpu/);
  });
});

describe('the data files', () => {
  it('say for every measurement the machine, the date, the commit and the command', async () => {
    const bench = await readDataFile(join(root, DATA_FILES.bench), benchResultsSchema);
    expect(bench.command).toMatch(/^npm run bench/);
    expect(bench.machine).toMatchObject({ cores: expect.any(Number), commit: expect.stringMatching(/^[0-9a-f]{40}$/), date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const repeat = await readDataFile(join(root, DATA_FILES.repeat), repeatResultsSchema);
    expect(repeat.campaigns.length).toBeGreaterThan(0);
    for (const campaign of repeat.campaigns) {
      expect(campaign.command, campaign.id).toMatch(/chaos/);
      expect(campaign.command, campaign.id).toContain('--repeat');
      expect(campaign.runs.length, campaign.id).toBe(Number(/--repeat (\d+)/.exec(campaign.command)?.[1]));
    }
  });

  it('refuses a data file that lacks what the docs read, saying where', async () => {
    const file = join(root, DATA_FILES.repeat);
    const broken = JSON.parse(await readFile(file, 'utf8')) as { campaigns: Record<string, unknown>[] };
    delete broken.campaigns[0]!['commit'];
    expect(repeatResultsSchema.safeParse(broken).error?.issues[0]?.path).toEqual(['campaigns', 0, 'commit']);
  });
});
