import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchTables } from '../../../harness/docs/bench-doc-tables.js';
import { benchResultsSchema } from '../../../harness/docs/bench-results-data.js';
import { controlsResultsSchema, type ControlsEntry } from '../../../harness/docs/controls-results-data.js';
import { readDataFile } from '../../../harness/docs/data-file.js';
import { ms } from '../../../harness/docs/doc-format.js';
import { renderDocPages } from '../../../harness/docs/doc-pages.js';
import { DATA_FILES, loadDocTables, TABLE_FAMILIES } from '../../../harness/docs/doc-tables.js';
import { OTHER_CAMPAIGNS, otherCampaigns } from '../../../harness/docs/repeat-doc-tables.js';
import { repeatResultsSchema } from '../../../harness/docs/repeat-results-data.js';
import { sweepResultsSchema, type SweepEntry } from '../../../harness/docs/sweep-results-data.js';

const root = resolve(import.meta.dirname, '../../..');
const tables = await loadDocTables(root);
const pages = await renderDocPages(root, tables);

const scratch = await mkdtemp(join(tmpdir(), 'doc-tables-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

type DataEdit = (data: Record<string, unknown>) => Record<string, unknown>;
/** A copy of the repository's data files, some of them edited, as `loadDocTables` reads them. */
async function rootWith(edits: Partial<Record<string, DataEdit>>): Promise<string> {
  const copy = await mkdtemp(join(scratch, 'root-'));
  await mkdir(join(copy, 'bench'));
  for (const file of Object.values(DATA_FILES)) {
    const edit = edits[file];
    if (edit === undefined) await copyFile(join(root, file), join(copy, file));
    else await writeFile(join(copy, file), JSON.stringify(edit(JSON.parse(await readFile(join(root, file), 'utf8')) as Record<string, unknown>)), 'utf8');
  }
  return copy;
}

const measuredBy = { machine: { cores: 2, description: 'a fixture machine' }, date: '2026-12-06', commit: '0123456789abcdef0123456789abcdef01234567', conditions: 'nothing else running' };
const controlsEntry: ControlsEntry = {
  id: 'skype-2010',
  scenario: 'skype-2010',
  command: 'npm run chaos -- skype-2010 --controls --repeat 1',
  ...measuredBy,
  requested: 1,
  seeds: [2010],
  stoppedEarly: false,
  controls: [{ name: 'pinned', architecture: 'dedicated', sabotages: 'login hands out dead supernodes', mustBreak: ['recovery time'], runs: [{ seed: 2010, outcome: 'caught', measured: { 'recovery time': null } }], caught: 1, requested: 1, outcome: 'caught' }],
  skipped: [],
};
const sweepEntry: SweepEntry = {
  id: 'skype-2010-dedicated-capacity',
  scenario: 'skype-2010',
  architecture: 'dedicated',
  expectation: 'meets-targets',
  param: 'architectures.dedicated.topology.supernode.capacity.requestsPerSecond',
  shipped: 150,
  from: 10,
  to: 170,
  repeat: 1,
  seeds: [2010],
  ...measuredBy,
  command: 'npm run chaos -- sweep skype-2010 --arch dedicated --param architectures.dedicated.topology.supernode.capacity.requestsPerSecond --from 10 --to 170 --repeat 1',
  points: [
    { value: 10, status: 'breaks', met: { passes: 0, runs: 1, saturated: 0, unknown: 0 }, wilson95: [0, 0.79] },
    { value: 170, status: 'holds', met: { passes: 1, runs: 1, saturated: 0, unknown: 0 }, wilson95: [0.21, 1] },
  ],
  bracket: { holds: 170, breaks: 10 },
  margin: 'holds down to 170 requests/s (breaks at 10); ships 150: margin 0.88x, the shipped value lies inside the bracket',
};

describe('the tables in docs/', () => {
  it.each(pages.map((page) => [page.file, page] as const))('%s: every table is what its data gives (run `npm run docs`)', (_, page) => {
    expect(page.stale).toEqual([]);
    expect(page.rendered).toBe(page.current);
  });

  it('shows every table the data gives: by name, or (an entry of a repeat, controls, sweep or library file) under its family\'s gathering table', () => {
    const shown = new Set(pages.flatMap((page) => [...page.current.matchAll(/<!-- table:([a-z0-9-]+) -->/g)].map((match) => match[1])));
    expect(TABLE_FAMILIES.map((family) => family.others)).toEqual([OTHER_CAMPAIGNS, 'controls-others', 'sweep-others', 'library-others']);
    for (const family of TABLE_FAMILIES) expect(shown.has(family.others), family.others).toBe(true);
    const gathered = (name: string): boolean => TABLE_FAMILIES.some((family) => name.startsWith(family.prefix));
    expect([...tables.keys()].filter((name) => !shown.has(name) && !gathered(name))).toEqual([]);
  });

  it('renders a new entry of the controls and sweep files into docs/benchmarks.md, and tells the page stale until then', async () => {
    // The committed entries a page names by its own marker stay, so that page still renders; the rest give way to the new one.
    const named = new Set(pages.flatMap((page) => [...page.current.matchAll(/<!-- table:([a-z0-9-]+) -->/g)].map((match) => match[1])));
    const keepNamed = (family: string, entry: unknown): boolean => named.has(`${family}-${(entry as { id: string }).id}`);
    const withEntries = await rootWith({
      [DATA_FILES.controls]: (data) => ({ ...data, entries: [...(data['entries'] as unknown[]).filter((entry) => keepNamed('controls', entry)), controlsEntry] }),
      [DATA_FILES.sweeps]: (data) => ({ ...data, entries: [...(data['entries'] as unknown[]).filter((entry) => keepNamed('sweep', entry)), sweepEntry] }),
    });
    const loaded = await loadDocTables(withEntries);
    expect([...loaded.keys()]).toEqual(expect.arrayContaining(['controls-skype-2010', 'sweep-skype-2010-dedicated-capacity']));
    const benchmarks = (await renderDocPages(root, loaded)).find((page) => page.file === 'docs/benchmarks.md');
    expect(benchmarks?.stale).toEqual(['controls-others', 'sweep-others']);
    expect(benchmarks?.rendered).toContain(`<!-- table:controls-others -->\n${loaded.get('controls-skype-2010') as string}\n<!-- /table -->`);
    expect(benchmarks?.rendered).toContain(`<!-- table:sweep-others -->\n${loaded.get('sweep-skype-2010-dedicated-capacity') as string}\n<!-- /table -->`);
  });

  it('refuses two entries that would give the same table name', async () => {
    const clash = await rootWith({ [DATA_FILES.repeat]: (data) => ({ ...data, campaigns: [...(data['campaigns'] as object[]), { ...(data['campaigns'] as object[])[0], id: 'others' }] }) });
    await expect(loadDocTables(clash)).rejects.toThrow('table:repeat-others is given twice: give the entry of that name another id');
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
    expect(others).not.toContain('mean online after the trigger');
    const flapping = { ...unnamed, runs: [{ seed: 2, verdict: 'pass', onlineLowPoint: 0.037, meanOnline: 0.148 }] };
    expect(otherCampaigns({ ...repeat, campaigns: [flapping] }, new Set())).toContain('| seed | verdict | online low point | mean online after the trigger |\n| --- | --- | --- | --- |\n| 2 | pass | 3.7% | 14.8% |');
    const storm = { ...unnamed, runs: [{ seed: 3, verdict: 'pass', onlineLowPoint: 0.73, deepestStoreQueue: 3014 }, { seed: 4, verdict: 'unknown', onlineLowPoint: 0.75, deepestStoreQueue: null }] };
    expect(otherCampaigns({ ...repeat, campaigns: [storm] }, new Set())).toContain('| seed | verdict | online low point | deepest server queue |\n| --- | --- | --- | --- |\n| 3 | pass | 73.0% | 3,014 |\n| 4 | unknown | 75.0% | — |');
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
    const repeatOf = (command: string, otherwise: number): number => Number(/--repeat (\d+)/.exec(command)?.[1] ?? otherwise);
    const controls = await readDataFile(join(root, DATA_FILES.controls), controlsResultsSchema);
    for (const entry of controls.entries) {
      expect(entry.command, entry.id).toMatch(/chaos.*--(only-)?controls\b/);
      expect(entry.requested, entry.id).toBe(repeatOf(entry.command, 1));
    }
    const sweeps = await readDataFile(join(root, DATA_FILES.sweeps), sweepResultsSchema);
    for (const entry of sweeps.entries) {
      expect(entry.command, entry.id).toMatch(/chaos.*sweep/);
      expect(entry.repeat, entry.id).toBe(repeatOf(entry.command, 3));
    }
  });

  it('refuses a data file that lacks what the docs read, saying where', async () => {
    const file = join(root, DATA_FILES.repeat);
    const broken = JSON.parse(await readFile(file, 'utf8')) as { campaigns: Record<string, unknown>[] };
    delete broken.campaigns[0]!['commit'];
    expect(repeatResultsSchema.safeParse(broken).error?.issues[0]?.path).toEqual(['campaigns', 0, 'commit']);
  });
});
