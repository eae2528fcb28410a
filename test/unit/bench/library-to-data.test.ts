import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeControls } from '../../../harness/controls/summarize-controls.js';
import { LIBRARY_TABLES, libraryTables, otherLibraryRuns } from '../../../harness/docs/library-doc-tables.js';
import { libraryResultsSchema } from '../../../harness/docs/library-results-data.js';
import { INDEX_SCHEMA_VERSION, type IndexDocument, type IndexScenarioEntry } from '../../../harness/report/index-report-types.js';
import { LIBRARY_ABOUT, libraryToData } from '../../bench/library-to-data.js';
import { controlRuns } from '../controls/control-fixtures.js';

const work = await mkdtemp(join(tmpdir(), 'library-to-data-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const COMMIT = 'b'.repeat(40);
const options = { id: 'all-docker', command: 'npm run chaos -- --all --controls --platform docker', conditions: 'one command at a time', commit: COMMIT };

const reports = (scenario: string): IndexScenarioEntry['reports'] => ({ html: `${scenario}/report.html`, json: `${scenario}/report.json`, junit: `${scenario}/junit.xml` });

const withControls: IndexScenarioEntry = {
  scenario: 'skype-2010',
  status: 'finished',
  verdict: 'fail',
  exitCode: 1,
  mode: 'run',
  seed: 2010,
  architectures: [
    { architecture: 'p2p', expectation: 'reproduces-outage', verdict: 'pass', runs: 1, passed: 1 },
    { architecture: 'dedicated', expectation: 'meets-targets', verdict: 'pass', runs: 1, passed: 1 },
  ],
  controls: { total: 3, caught: 1, missed: 1, unknown: 1, notRun: 0 },
  wallSeconds: 754.26,
  reports: reports('skype-2010'),
};

const withoutControlsRun: IndexScenarioEntry = {
  scenario: 'partition-fixed',
  status: 'not-run',
  verdict: 'not-run',
  exitCode: null,
  reason: 'defines none of the --arch architectures',
  mode: null,
  seed: null,
  architectures: [],
  controls: null,
  wallSeconds: null,
  reports: null,
};

const phases = (timeline: number, done: number): string =>
  [
    { t: 1, type: 'run-start' },
    { t: 1, type: 'phase', phase: 'deploying' },
    { t: 40_000, type: 'phase', phase: 'steady-state' },
    { t: 130_000, type: 'phase', phase: 'timeline' },
    { t: 130_000 + timeline, type: 'phase', phase: 'rollback' },
    { t: 130_000 + timeline, type: 'phase', phase: 'teardown' },
    { t: done, type: 'phase', phase: 'done' },
  ]
    .map((event) => `${JSON.stringify(event)}\n`)
    .join('');

/** An --out directory of `chaos run --all --controls` with two scenarios, one of them not run; the one run left both architectures' histories. */
async function indexDir(name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(join(dir, 'skype-2010'), { recursive: true });
  const index: IndexDocument = {
    schemaVersion: INDEX_SCHEMA_VERSION,
    command: options.command,
    startedAt: '2026-12-07T09:40:00.000Z',
    finishedAt: '2026-12-07T11:22:30.000Z',
    platform: 'docker',
    exitCode: 1,
    verdict: 'fail',
    interrupted: false,
    scenarios: [withControls, withoutControlsRun],
  };
  await writeFile(join(dir, 'index.json'), JSON.stringify(index), 'utf8');
  const controls = summarizeControls(controlRuns(), { requested: 2, seeds: [2010, 111], stoppedEarly: false });
  await writeFile(join(dir, 'skype-2010', 'report.json'), JSON.stringify({ scenario: 'skype-2010', generatedAt: index.finishedAt, controls }), 'utf8');
  await writeFile(join(dir, 'skype-2010', 'history-p2p.jsonl'), phases(60_000, 200_000), 'utf8');
  await writeFile(join(dir, 'skype-2010', 'history-dedicated.jsonl'), phases(61_000, 199_000), 'utf8');
  return dir;
}

describe('test/bench/library-to-data.ts', () => {
  it('records the run, each scenario\'s verdicts and each control\'s outcome, and renders them as one table', async () => {
    const file = join(work, 'library.json');
    expect(await libraryToData({ ...options, dir: await indexDir('run'), file })).toBe('library-all-docker: added, 2 scenarios, 3 controls');
    const data = libraryResultsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(data.about).toBe(LIBRARY_ABOUT);
    const [entry] = data.entries;
    expect(entry).toMatchObject({ id: 'all-docker', date: '2026-12-07', commit: COMMIT, platform: 'docker', wallSeconds: 6150, exitCode: 1, verdict: 'fail' });
    expect(entry?.scenarios[0]?.controls.map((control) => [control.name, control.outcome])).toEqual([
      ['pinned', 'caught'],
      ['slow-store', 'missed'],
      ['no-promotion', 'unknown'],
    ]);
    // The slowest architecture sets the run's time: p2p, which was done last.
    expect(entry?.scenarios[0]?.run).toEqual({ seconds: 200, deploySeconds: 40, steadyStateSeconds: 90, timelineSeconds: 60, teardownSeconds: 10 });
    expect(entry?.scenarios[1]).toEqual({ scenario: 'partition-fixed', status: 'not-run', verdict: 'not-run', reason: 'defines none of the --arch architectures', seed: null, architectures: [], controls: [], wallSeconds: null });

    const table = libraryTables(data)[`${LIBRARY_TABLES.prefix}all-docker`] ?? '';
    expect(table).toContain('**0 of 2 scenarios passed (1 did not finish), 1 of 3 controls run caught; library verdict fail (exit 1), 1 h 42 min in all.**');
    expect(table).toContain('| controls | its own run: deploy + steady state + timeline + teardown | wall time, with controls |');
    expect(table).toContain('| skype-2010 | fail | p2p: reproduces-outage → pass; dedicated: meets-targets → pass | 1/3 caught: slow-store (dedicated) missed, no-promotion (');
    expect(table).toContain('| 3 min 20 s (40 + 90 + 60 + 10 s) | 12 min 34 s |');
    expect(table).toContain('| partition-fixed | not-run | defines none of the --arch architectures | — | — | — |');
    expect(otherLibraryRuns(data, new Set([`${LIBRARY_TABLES.prefix}all-docker`]))).toBe('_Every recorded run of the whole library is shown above._');
  });

  it('counts the controls of a scenario that did not finish as not run, not as unknown', async () => {
    const file = join(work, 'interrupted.json');
    const dir = await indexDir('interrupted');
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as IndexDocument;
    const interrupted: IndexDocument = { ...index, scenarios: [{ ...withControls, status: 'interrupted', verdict: 'interrupted', reason: 'interrupted by SIGINT or SIGTERM while it ran' }] };
    await writeFile(join(dir, 'index.json'), JSON.stringify(interrupted), 'utf8');
    await libraryToData({ ...options, dir, file });
    const table = libraryTables(libraryResultsSchema.parse(JSON.parse(await readFile(file, 'utf8'))))[`${LIBRARY_TABLES.prefix}all-docker`] ?? '';
    expect(table).toContain('**0 of 1 scenarios passed (1 did not finish); library verdict fail');
    expect(table).toContain('| 3 not run (interrupted) |');
  });

  it('leaves the run out where the history is cut off, and the column out where no scenario has one (runs recorded before it was kept)', async () => {
    const file = join(work, 'cut-off.json');
    const dir = await indexDir('cut-off');
    for (const architecture of ['p2p', 'dedicated']) await writeFile(join(dir, 'skype-2010', `history-${architecture}.jsonl`), phases(60_000, 200_000).split('\n').slice(0, 4).join('\n'), 'utf8');
    await libraryToData({ ...options, dir, file });
    const data = libraryResultsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(data.entries[0]?.scenarios[0]?.run).toBeUndefined();
    const table = libraryTables(data)[`${LIBRARY_TABLES.prefix}all-docker`] ?? '';
    expect(table).toContain('| scenario | verdict | per architecture: expected → got | controls | wall time |');
  });

  it('refuses a directory without an index, and one whose index names a report that is gone, writing nothing', async () => {
    const file = join(work, 'refused.json');
    await expect(libraryToData({ ...options, dir: join(work, 'nowhere'), file })).rejects.toThrow(/index\.json does not exist: pass the --out directory of chaos run --all/);
    const dir = await indexDir('gone');
    await rm(join(dir, 'skype-2010', 'report.json'));
    await expect(libraryToData({ ...options, dir, file })).rejects.toThrow(/skype-2010\/report\.json does not exist/);
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
