import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { otherSweeps, SWEEP_TABLES, sweepTables } from '../../../harness/docs/sweep-doc-tables.js';
import { sweepResultsSchema, type SweepEntry, type SweepResultsData } from '../../../harness/docs/sweep-results-data.js';

const capacity = 'architectures.dedicated.topology.supernode.capacity.requestsPerSecond';
const met = (passes: number, runs: number, saturated = 0, unknown = 0) => ({ passes, runs, saturated, unknown });

const entry: SweepEntry = {
  id: 'skype-2010-dedicated-capacity',
  scenario: 'skype-2010',
  architecture: 'dedicated',
  expectation: 'meets-targets',
  param: capacity,
  shipped: 150,
  from: 10,
  to: 170,
  repeat: 3,
  seeds: [2010, 1101061811, 1859513356],
  machine: { cores: 2, description: "the project's 2-core development machine" },
  date: '2026-12-06',
  commit: '0123456789abcdef0123456789abcdef01234567',
  command: `npm run chaos -- sweep skype-2010 --arch dedicated --param ${capacity} --from 10 --to 170`,
  conditions: 'nothing else running',
  points: [
    { value: 10, status: 'breaks', met: met(2, 3), wilson95: [0.2077, 0.9385] },
    { value: 50, status: 'saturated', met: met(2, 2, 1), wilson95: [0.3424, 1] },
    { value: 90, status: 'holds', met: met(3, 3), wilson95: [0.4385, 1] },
    { value: 150, status: 'unknown', met: met(0, 0, 0, 3), wilson95: [0, 1] },
    { value: 170, status: 'holds', met: met(3, 3), wilson95: [0.4385, 1] },
  ],
  bracket: null,
  margin: 'no margin: the sweep stopped before both ends were judged',
};
const data = (...entries: SweepEntry[]): SweepResultsData => ({ about: 'fixture', entries });

const perFleet = 'architectures.p2p.topology.clientsPerFleet';
const delivery = (passes: number, runs: number, unknown: number, wilson95: [number, number]) => ({ passes, runs, unknown, wilson95 });
/** `chaos sweep --holds-when delivered`: the system misses its expectation throughout; the harness saturates above 1168 clients a fleet. */
const delivered: SweepEntry = {
  ...entry,
  id: 'skype-2010-p2p-clients-delivered',
  architecture: 'p2p',
  expectation: 'reproduces-outage',
  param: perFleet,
  shipped: 100,
  from: 100,
  to: 2000,
  holdsWhen: 'delivered',
  command: `npm run chaos -- sweep skype-2010 --arch p2p --param ${perFleet} --from 100 --to 2000 --holds-when delivered`,
  points: [
    { value: 100, status: 'holds', met: met(1, 3), wilson95: [0.0615, 0.7923], delivered: delivery(3, 3, 0, [0.4385, 1]) },
    { value: 1168, status: 'holds', met: met(0, 2, 0, 1), wilson95: [0, 0.6576], delivered: delivery(2, 2, 1, [0.3424, 1]) },
    { value: 1287, status: 'breaks', met: met(0, 2, 1), wilson95: [0, 0.6576], delivered: delivery(2, 3, 0, [0.2077, 0.9385]) },
    { value: 1525, status: 'unknown', met: met(0, 0, 0, 3), wilson95: [0, 1], delivered: delivery(0, 0, 3, [0, 1]) },
  ],
  bracket: { holds: 1168, breaks: 1287 },
  margin: 'the harness delivers up to 1168 clients a fleet (saturates at 1287); ships 100: margin 12x',
};

describe('bench/sweeps.json', () => {
  it('has the shape the docs read', () => {
    expect(sweepResultsSchema.parse(data(entry))).toEqual(data(entry));
  });

  it('refuses points out of order, a status it does not know, a reused id and the id `others`', () => {
    const issues = (value: unknown) => sweepResultsSchema.safeParse(value).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues(data({ ...entry, points: [...entry.points].reverse() }))).toEqual([['entries.0.points', 'points sorted by value, low to high']]);
    expect(issues(data({ ...entry, points: [{ ...entry.points[0]!, status: 'held' as 'holds' }] }))?.[0]?.[0]).toBe('entries.0.points.0.status');
    expect(issues(data(entry, entry))).toEqual([['entries.1.id', 'id skype-2010-dedicated-capacity is used twice']]);
    expect(issues(data({ ...entry, id: 'others' }))?.[0]?.[0]).toBe('entries.0.id');
  });

  it('takes what a sweep held by, and under delivered each point\'s delivery; refuses the one without the other', () => {
    expect(sweepResultsSchema.parse(data(delivered, { ...entry, holdsWhen: 'expectation' }))).toEqual(data(delivered, { ...entry, holdsWhen: 'expectation' }));
    const issues = (value: unknown) => sweepResultsSchema.safeParse(value).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    const both = 'a delivered sweep gives every point its delivered tally, an expectation sweep none';
    expect(issues(data({ ...delivered, points: [{ ...entry.points[0]! }] }))).toEqual([['entries.0.points', both]]);
    expect(issues(data({ ...entry, points: delivered.points }))).toEqual([['entries.0.points', both]]);
    expect(issues(data({ ...entry, holdsWhen: 'machine' as 'delivered' }))?.[0]?.[0]).toBe('entries.0.holdsWhen');
  });

  it('reads the sweeps measured before --holds-when as they are', async () => {
    const file = JSON.parse(await readFile(new URL('../../../bench/sweeps.json', import.meta.url), 'utf8')) as SweepResultsData;
    expect(sweepResultsSchema.parse(file)).toEqual(file);
  });
});

describe('the tables of sweeps', () => {
  it('gives one table per entry, named sweep-<id>: where it was measured, each point by value with the shipped one marked, then the margin', () => {
    expect(Object.keys(sweepTables(data(entry)))).toEqual(['sweep-skype-2010-dedicated-capacity']);
    expect(sweepTables(data(entry))['sweep-skype-2010-dedicated-capacity']).toBe(
      [
        `**skype-2010, dedicated, \`${capacity}\`**: \`${entry.command}\`, 2026-12-06, commit 0123456, the project's 2-core development machine; nothing else running. Swept from 10 to 170 requests/s, shipped 150; expected: meets-targets; 3 runs a point, seeds 2010, 1101061811, 1859513356.`,
        '',
        '| value (requests/s) | point | runs met | 95% CI |',
        '| --- | --- | --- | --- |',
        '| 10 | breaks | 2/3 | 0.21-0.94 |',
        '| 50 | saturated | 2/2, 1 saturated | 0.34-1.00 |',
        '| 90 | holds | 3/3 | 0.44-1.00 |',
        '| 150 (shipped) | unknown | 0/0, 3 unknown | — |',
        '| 170 | holds | 3/3 | 0.44-1.00 |',
        '',
        'No margin: the sweep stopped before both ends were judged.',
      ].join('\n'),
    );
  });

  it('shows a delivered sweep as the machine\'s: the rule in the caption, each point\'s load delivered or saturated, the expectation\'s runs beside, the margin of the machine', () => {
    expect(sweepTables(data(delivered))['sweep-skype-2010-p2p-clients-delivered']).toBe(
      [
        `**skype-2010, p2p, \`${perFleet}\`**: \`${delivered.command}\`, 2026-12-06, commit 0123456, the project's 2-core development machine; nothing else running. Swept from 100 to 2000 clients a fleet, shipped 100; holds when the harness delivers the load (not the expectation); expected: reproduces-outage; 3 runs a point, seeds 2010, 1101061811, 1859513356.`,
        '',
        '| value (clients a fleet) | load | runs delivered | 95% CI | runs met (expectation) |',
        '| --- | --- | --- | --- | --- |',
        '| 100 (shipped) | delivered | 3/3 | 0.44-1.00 | 1/3 |',
        '| 1168 | delivered | 2/2, 1 unknown | 0.34-1.00 | 0/2, 1 unknown |',
        '| 1287 | saturated | 2/3 | 0.21-0.94 | 0/2, 1 saturated |',
        '| 1525 | unknown | 0/0, 3 unknown | — | 0/0, 3 unknown |',
        '',
        'The harness delivers up to 1168 clients a fleet (saturates at 1287); ships 100: margin 12x.',
      ].join('\n'),
    );
  });

  it('shows a --scale-with sweep\'s scaled fields in the caption and each point\'s values beside its own', () => {
    const supernodes = 'architectures.p2p.topology.supernodes';
    const scaled: SweepEntry = {
      ...delivered,
      id: 'skype-2010-p2p-size',
      param: supernodes,
      shipped: 32,
      from: 32,
      to: 64,
      scaleWith: [{ path: perFleet, shipped: 100 }],
      points: [
        { ...delivered.points[0]!, value: 32, set: { [supernodes]: 32, [perFleet]: 100 } },
        { ...delivered.points[2]!, value: 64, set: { [supernodes]: 64, [perFleet]: 200 } },
      ],
      bracket: { holds: 32, breaks: 64 },
    };
    expect(sweepResultsSchema.parse(data(scaled))).toEqual(data(scaled));
    const table = sweepTables(data(scaled))['sweep-skype-2010-p2p-size'] ?? '';
    expect(table).toContain(`shipped 32; scaling \`${perFleet}\` (ships 100) in proportion; holds when the harness delivers the load`);
    expect(table).toContain('| 32 (clientsPerFleet 100) (shipped) | delivered | 3/3 |');
    expect(table).toContain('| 64 (clientsPerFleet 200) | saturated | 2/3 |');
  });

  it('renders an entry that says it held by the expectation as one that says nothing', () => {
    expect(sweepTables(data({ ...entry, holdsWhen: 'expectation' }))).toEqual(sweepTables(data(entry)));
  });

  it('heads the value column without a unit when the field\'s name gives none', () => {
    const crash = { ...entry, param: 'load.crashProbability', shipped: 0.4, from: 0, to: 1, points: [{ ...entry.points[2]!, value: 0.4 }] };
    const table = sweepTables(data(crash))['sweep-skype-2010-dedicated-capacity'] ?? '';
    expect(table).toContain('Swept from 0 to 1, shipped 0.4;');
    expect(table).toContain('| value | point | runs met | 95% CI |\n| --- | --- | --- | --- |\n| 0.4 (shipped) | holds | 3/3 | 0.44-1.00 |');
  });

  it(`gathers under ${SWEEP_TABLES.others} the entries no page names, and says when there are none`, () => {
    const other = { ...entry, id: 'skype-2010-p2p-clients' };
    const tables = sweepTables(data(entry, other));
    expect(otherSweeps(data(entry, other), new Set(['sweep-skype-2010-dedicated-capacity']))).toBe(tables['sweep-skype-2010-p2p-clients']);
    expect(otherSweeps(data(entry), new Set(['sweep-skype-2010-dedicated-capacity']))).toBe('_Every recorded sweep is shown above._');
    expect(otherSweeps(data(), new Set())).toBe('_No sweep is recorded yet._');
  });
});
