import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { defaultReportDir, writeReports } from '../../../harness/report/write-reports.js';
import { fixtureHistories, fixtureReport } from './fixtures.js';

describe('writeReports', () => {
  const dirs: string[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'write-reports-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('creates the directory and writes report.json, junit.xml and report.html', async () => {
    const out = join(await tempDir(), 'nested', 'run');
    const written = await writeReports(out, fixtureReport(), fixtureHistories());
    expect(written).toEqual({ json: join(out, 'report.json'), junit: join(out, 'junit.xml'), html: join(out, 'report.html') });
    expect(JSON.parse(await readFile(written.json, 'utf8'))).toEqual(fixtureReport());
    expect(await readFile(written.junit, 'utf8')).toContain('<testsuites');
    expect((await stat(written.html)).size).toBeGreaterThan(50_000);
  });

  it('puts the JUnit file where --junit says', async () => {
    const root = await tempDir();
    const written = await writeReports(join(root, 'out'), fixtureReport(), fixtureHistories(), { junitFile: join(root, 'ci', 'junit.xml') });
    expect(written.junit).toBe(join(root, 'ci', 'junit.xml'));
    expect(await readFile(written.junit, 'utf8')).toContain('skype-2010.p2p');
  });

  it('fails with a ChaosError naming --out when the directory cannot be made', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'file'), 'x');
    const failure = writeReports(join(root, 'file', 'sub'), fixtureReport(), fixtureHistories());
    await expect(failure).rejects.toBeInstanceOf(ChaosError);
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_CONFIG', hint: expect.stringContaining('--out') });
  });
});

describe('defaultReportDir', () => {
  it('is reports/<scenario>-<timestamp> with no characters a filesystem rejects', () => {
    const dir = defaultReportDir('skype-2010', new Date('2024-12-22T10:01:02.345Z'));
    expect(dir).toBe(join('reports', 'skype-2010-2024-12-22T10-01-02Z'));
    expect(dir).not.toMatch(/[:*?"<>|]/);
  });

  it('sanitises odd scenario names', () => {
    expect(defaultReportDir('../a b:c', new Date(0), 'out')).toBe(join('out', 'a-b-c-1970-01-01T00-00-00Z'));
  });
});
