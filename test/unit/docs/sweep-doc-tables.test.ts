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
