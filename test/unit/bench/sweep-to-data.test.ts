import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepTables } from '../../../harness/docs/sweep-doc-tables.js';
import { sweepResultsSchema } from '../../../harness/docs/sweep-results-data.js';
import { bisectSweep } from '../../../harness/sweep/bisect-sweep.js';
import { buildSweepDocument } from '../../../harness/sweep/sweep-document.js';
import { checkSweepRequest } from '../../../harness/sweep/sweep-input.js';
import { serializeSweepDocument } from '../../../harness/sweep/sweep-json.js';
import { DEFAULT_MACHINE } from '../../bench/bench-entry.js';
import { SWEEPS_ABOUT, sweepToData } from '../../bench/sweep-to-data.js';
import { breaks, fakeRunner, holds, saturated, SEEDS, sweptScenario, type FakeRun } from '../sweep/sweep-fixtures.js';

const work = await mkdtemp(join(tmpdir(), 'sweep-to-data-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const COMMIT = 'b'.repeat(40);
const capacity = 'architectures.dedicated.topology.supernode.capacity.requestsPerSecond';
const spec = checkSweepRequest({ scenario: sweptScenario, architecture: 'dedicated', param: capacity, from: 10, to: 170, repeat: 3, steps: 5 });

/** A sweep directory as `chaos sweep` leaves it; by default the field holds from 22 up, except at 50 where the harness saturates. */
async function sweepDir(
  name: string,
  outcomesAt = (value: number): readonly FakeRun[] => (value === 50 ? saturated : value >= 22 ? holds : breaks),
  swept = spec,
  edit = (report: Record<string, unknown>) => report,
): Promise<string> {
  const outcome = await bisectSweep({ from: swept.from, to: swept.to, integer: swept.integer, steps: swept.steps, holdsWhen: swept.holdsWhen }, fakeRunner(outcomesAt).run);
  const document = buildSweepDocument(outcome, { spec: swept, baseSeed: 2010, seeds: [...SEEDS], platform: 'docker', now: new Date('2026-12-06T18:00:00.000Z') });
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.json'), JSON.stringify(edit(JSON.parse(serializeSweepDocument(document)) as Record<string, unknown>)), 'utf8');
  return dir;
}

const perFleet = 'architectures.p2p.topology.clientsPerFleet';
const deliveredSpecRequest = { scenario: sweptScenario, architecture: 'p2p', param: perFleet, from: 100, to: 2000, repeat: 3, steps: 4, holdsWhen: 'delivered' } as const;
const deliveredSpec = checkSweepRequest(deliveredSpecRequest);
/** The system misses its expectation (reproduces-outage) in two of three runs everywhere; the harness saturates in one of three above 1200 clients a fleet. */
const deliveredUpTo1200 = (value: number): readonly FakeRun[] => (value <= 1200 ? ['fail', 'pass', 'fail'] : ['fail', 'saturated', 'fail']);

const readData = async (file: string) => sweepResultsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
const options = { id: 'skype-2010-dedicated-capacity', command: `npm run chaos -- sweep skype-2010 --arch dedicated --param ${capacity} --from 10 --to 170`, conditions: 'nothing else running', commit: COMMIT };

describe('test/bench/sweep-to-data.ts', () => {
  it('creates the data file and records the field, its shipped value and range, every point by value, the bracket and the margin', async () => {
    const file = join(work, 'created.json');
    const said = await sweepToData({ ...options, dir: await sweepDir('resolved', (value) => (value >= 22 ? holds : breaks)), file });
    expect(said).toBe('sweep-skype-2010-dedicated-capacity: added, 7 points, 3 runs each; holds down to 25 requests/s (breaks at 20); ships 150: margin 6x');
    const data = await readData(file);
    expect(data.about).toBe(SWEEPS_ABOUT);
    const [entry] = data.entries;
    expect(entry).toMatchObject({
      id: options.id,
      scenario: 'skype-2010',
      architecture: 'dedicated',
      expectation: 'meets-targets',
      param: capacity,
      shipped: 150,
      from: 10,
      to: 170,
      repeat: 3,
      seeds: [...SEEDS],
      machine: { cores: cpus().length, description: DEFAULT_MACHINE },
      date: '2026-12-06',
      commit: COMMIT,
      command: options.command,
      conditions: options.conditions,
      holdsWhen: 'expectation',
      bracket: { holds: 25, breaks: 20 },
      margin: 'holds down to 25 requests/s (breaks at 20); ships 150: margin 6x',
    });
    expect(entry?.points.map((point) => [point.value, point.status])).toEqual([
      [10, 'breaks'],
      [20, 'breaks'],
      [25, 'holds'],
      [30, 'holds'],
      [50, 'holds'],
      [90, 'holds'],
      [170, 'holds'],
    ]);
    expect(entry?.points[0]).toEqual({ value: 10, status: 'breaks', met: { passes: 2, runs: 3, saturated: 0, unknown: 0 }, wilson95: [expect.closeTo(0.208, 3), expect.closeTo(0.939, 3)] });
  });

  it('keeps the runs a saturated point left out, and a sweep with no bracket', async () => {
    const file = join(work, 'saturated.json');
    await sweepToData({ ...options, dir: await sweepDir('saturated'), file });
    const [entry] = (await readData(file)).entries;
    expect(entry?.points.find((point) => point.value === 50)).toMatchObject({ status: 'saturated', met: { passes: 2, runs: 2, saturated: 1, unknown: 0 } });
    await sweepToData({ ...options, dir: await sweepDir('throughout', () => holds), file });
    const [replaced, ...rest] = (await readData(file)).entries;
    expect(rest).toEqual([]);
    expect(replaced?.bracket).toBeNull();
    expect(replaced?.margin).toBe('holds from 10 to 170 requests/s; ships 150: no breaking point in the range (widen --from/--to)');
  });

  it('records a --scale-with sweep: the scaled fields with their shipped values, each point\'s values; none for a sweep without', async () => {
    const file = join(work, 'scaled.json');
    const standby = 'architectures.p2p.topology.standbyPeers';
    const scaledSpec = checkSweepRequest({ ...deliveredSpecRequest, param: 'architectures.p2p.topology.supernodes', from: 32, to: 64, scaleWith: [perFleet, standby] });
    await sweepToData({ ...options, id: 'skype-2010-p2p-size', dir: await sweepDir('scaled', deliveredUpTo1200, scaledSpec), file });
    const [entry] = (await readData(file)).entries;
    expect(entry?.scaleWith).toEqual([
      { path: perFleet, shipped: 100 },
      { path: standby, shipped: 8 },
    ]);
    expect(entry?.points.find((point) => point.value === 64)?.set).toEqual({ 'architectures.p2p.topology.supernodes': 64, [perFleet]: 200, [standby]: 16 });
    await sweepToData({ ...options, dir: await sweepDir('unscaled', (value) => (value >= 22 ? holds : breaks)), file });
    const unscaled = (await readData(file)).entries.find((candidate) => candidate.id === options.id);
    expect(unscaled).not.toHaveProperty('scaleWith');
    expect(unscaled?.points.every((point) => point.set === undefined)).toBe(true);
  });

  it('records a report from before --holds-when as held by the expectation, its points without a delivered tally', async () => {
    const file = join(work, 'older.json');
    const older = await sweepDir('older', (value) => (value >= 22 ? holds : breaks), spec, (report) => {
      const { holdsWhen: _, ...sweep } = report['sweep'] as Record<string, unknown>;
      return { ...report, sweep };
    });
    expect(JSON.parse(await readFile(join(older, 'report.json'), 'utf8'))).not.toHaveProperty('sweep.holdsWhen');
    await sweepToData({ ...options, dir: older, file });
    const [entry] = (await readData(file)).entries;
    expect(entry?.holdsWhen).toBe('expectation');
    expect(entry?.points.every((point) => point.delivered === undefined)).toBe(true);
  });

  it('records a delivered sweep: the rule, each point\'s delivery beside the expectation\'s runs, the margin of the machine; its table says so', async () => {
    const file = join(work, 'delivered.json');
    const id = 'skype-2010-p2p-clients-delivered';
    const command = `npm run chaos -- sweep skype-2010 --arch p2p --param ${perFleet} --from 100 --to 2000 --holds-when delivered`;
    const said = await sweepToData({ ...options, id, command, dir: await sweepDir('delivered', deliveredUpTo1200, deliveredSpec), file });
    expect(said).toBe(`sweep-${id}: added, 6 points, 3 runs each; the harness delivers up to 1168 clients a fleet (saturates at 1287); ships 100: margin 12x`);
    const data = await readData(file);
    const [entry] = data.entries;
    expect(entry).toMatchObject({ holdsWhen: 'delivered', expectation: 'reproduces-outage', bracket: { holds: 1168, breaks: 1287 }, margin: 'the harness delivers up to 1168 clients a fleet (saturates at 1287); ships 100: margin 12x' });
    expect(entry?.points.map((point) => [point.value, point.status, point.delivered?.passes, point.delivered?.runs, point.met.passes, point.met.runs, point.met.saturated])).toEqual([
      [100, 'holds', 3, 3, 1, 3, 0],
      [1050, 'holds', 3, 3, 1, 3, 0],
      [1168, 'holds', 3, 3, 1, 3, 0],
      [1287, 'breaks', 2, 3, 0, 2, 1],
      [1525, 'breaks', 2, 3, 0, 2, 1],
      [2000, 'breaks', 2, 3, 0, 2, 1],
    ]);
    expect(entry?.points[3]?.delivered).toEqual({ passes: 2, runs: 3, unknown: 0, wilson95: [expect.closeTo(0.208, 3), expect.closeTo(0.939, 3)] });
    expect(sweepTables(data)[`sweep-${id}`]).toBe(
      [
        `**skype-2010, p2p, \`${perFleet}\`**: \`${command}\`, 2026-12-06, commit bbbbbbb, ${DEFAULT_MACHINE}; nothing else running. Swept from 100 to 2000 clients a fleet, shipped 100; holds when the harness delivers the load (not the expectation); expected: reproduces-outage; 3 runs a point, seeds ${SEEDS.join(', ')}.`,
        '',
        '| value (clients a fleet) | load | runs delivered | 95% CI | runs met (expectation) |',
        '| --- | --- | --- | --- | --- |',
        '| 100 (shipped) | delivered | 3/3 | 0.44-1.00 | 1/3 |',
        '| 1050 | delivered | 3/3 | 0.44-1.00 | 1/3 |',
        '| 1168 | delivered | 3/3 | 0.44-1.00 | 1/3 |',
        '| 1287 | saturated | 2/3 | 0.21-0.94 | 0/2, 1 saturated |',
        '| 1525 | saturated | 2/3 | 0.21-0.94 | 0/2, 1 saturated |',
        '| 2000 | saturated | 2/3 | 0.21-0.94 | 0/2, 1 saturated |',
        '',
        'The harness delivers up to 1168 clients a fleet (saturates at 1287); ships 100: margin 12x.',
      ].join('\n'),
    );
  });

  it('refuses a report that is not a sweep\'s and an id the docs cannot name, writing nothing', async () => {
    const file = join(work, 'refused.json');
    const plain = join(work, 'plain');
    await mkdir(plain, { recursive: true });
    await writeFile(join(plain, 'report.json'), JSON.stringify({ scenario: 'skype-2010', generatedAt: '2026-12-06T18:00:00.000Z', runs: [] }), 'utf8');
    await expect(sweepToData({ ...options, dir: plain, file })).rejects.toThrow('the report of skype-2010 has no sweep: pass the --out directory of chaos sweep');
    await expect(sweepToData({ ...options, dir: await sweepDir('others'), file, id: 'others' })).rejects.toThrow(/entries\.0\.id: `others` names the table/);
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
