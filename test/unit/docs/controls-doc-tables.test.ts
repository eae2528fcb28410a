import { describe, expect, it } from 'vitest';
import { CONTROLS_TABLES, controlsTables, otherControls } from '../../../harness/docs/controls-doc-tables.js';
import { controlsResultsSchema, type ControlsEntry, type ControlsResultsData } from '../../../harness/docs/controls-results-data.js';

const entry: ControlsEntry = {
  id: 'skype-2010',
  scenario: 'skype-2010',
  command: 'npm run chaos -- skype-2010 --controls --repeat 2 --seed 2010',
  machine: { cores: 2, description: "the project's 2-core development machine" },
  date: '2026-12-06',
  commit: '0123456789abcdef0123456789abcdef01234567',
  conditions: 'one command at a time, nothing else running',
  requested: 2,
  seeds: [2010, 111],
  stoppedEarly: false,
  controls: [
    {
      name: 'pinned',
      architecture: 'dedicated',
      sabotages: 'login keeps handing out dead supernodes',
      mustBreak: ['recovery time', 'availability floor'],
      runs: [
        { seed: 2010, outcome: 'caught', measured: { 'recovery time': null, 'availability floor': 0.41 } },
        { seed: 111, outcome: 'caught', measured: { 'recovery time': 12.34567, 'availability floor': 0.4 } },
      ],
      caught: 2,
      requested: 2,
      outcome: 'caught',
    },
    {
      name: 'slow-store',
      architecture: 'p2p',
      sabotages: 'offline messages | stored slowly',
      mustBreak: ['messages lost'],
      runs: [
        { seed: 2010, outcome: 'caught', measured: { 'messages lost': 3 } },
        { seed: 111, outcome: 'missed', measured: { 'messages lost': 0 } },
      ],
      caught: 1,
      requested: 2,
      outcome: 'missed',
    },
  ],
  skipped: [],
};
const data = (...entries: ControlsEntry[]): ControlsResultsData => ({ about: 'fixture', entries });

describe('bench/negative-controls.json', () => {
  it('has the shape the docs read', () => {
    expect(controlsResultsSchema.parse(data(entry))).toEqual(data(entry));
  });

  it('refuses runs that measure other targets than the control must break, more caught than run, a reused id and the id `others`', () => {
    const [pinned, slow] = entry.controls;
    const issues = (value: unknown) => controlsResultsSchema.safeParse(value).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    const measuresOther = { ...pinned!, runs: [{ seed: 2010, outcome: 'caught' as const, measured: { 'recovery time': 1 } }] };
    expect(issues(data({ ...entry, controls: [measuresOther, { ...slow!, caught: 3 }] }))).toEqual([
      ['entries.0.controls.0.runs.0.measured', 'measures recovery time, not what the control must break: recovery time, availability floor'],
      ['entries.0.controls.1.caught', '3 caught of 2 runs'],
    ]);
    expect(issues(data(entry, entry))).toEqual([['entries.1.id', 'id skype-2010 is used twice']]);
    expect(issues(data({ ...entry, id: 'others' }))?.[0]?.[0]).toBe('entries.0.id');
    const { commit: _, ...withoutCommit } = entry;
    expect(issues(data(withoutCommit as ControlsEntry))?.[0]?.[0]).toBe('entries.0.commit');
  });
});

describe('the tables of negative controls', () => {
  it('gives one table per entry, named controls-<id>: where it was measured, then each control with its values run by run and k of K caught', () => {
    expect(Object.keys(controlsTables(data(entry)))).toEqual(['controls-skype-2010']);
    expect(controlsTables(data(entry))['controls-skype-2010']).toBe(
      [
        "**skype-2010**: `npm run chaos -- skype-2010 --controls --repeat 2 --seed 2010`, 2026-12-06, commit 0123456, the project's 2-core development machine; one command at a time, nothing else running. **1 of 2 controls caught.** 2 runs each, seeds 2010, 111.",
        '',
        '| control | architecture | sabotages | must break | measured, run by run | caught |',
        '| --- | --- | --- | --- | --- | --- |',
        '| pinned | dedicated | login keeps handing out dead supernodes | recovery time, availability floor | —, 0.41; 12.346, 0.4 | 2/2 |',
        '| slow-store | p2p | offline messages \\| stored slowly | messages lost | 3; 0 (missed) | 1/2 (missed) |',
      ].join('\n'),
    );
  });

  it('says when the controls stopped early and which were not run', () => {
    const stopped = { ...entry, stoppedEarly: true, skipped: [{ name: 'p2p-promo', architecture: 'p2p' as const, reason: 'p2p not selected with --arch' }] };
    expect(controlsTables(data(stopped))['controls-skype-2010']?.split('\n')[0]).toMatch(
      /\*\*1 of 2 controls caught\.\*\* 2 runs each, seeds 2010, 111 \(stopped early: runs not made count as unknown\)\. Not run: p2p-promo \(p2p not selected with --arch\)\.$/,
    );
  });

  it(`gathers under ${CONTROLS_TABLES.others} the entries no page names, and says when there are none`, () => {
    const other = { ...entry, id: 'skype-2010-backoff', scenario: 'skype-2010-backoff' };
    const tables = controlsTables(data(entry, other));
    expect(otherControls(data(entry, other), new Set(['controls-skype-2010']))).toBe(tables['controls-skype-2010-backoff']);
    expect(otherControls(data(entry, other), new Set())).toBe(`${tables['controls-skype-2010']}\n\n${tables['controls-skype-2010-backoff']}`);
    expect(otherControls(data(entry), new Set(['controls-skype-2010']))).toBe('_Every recorded run of negative controls is shown above._');
    expect(otherControls(data(), new Set())).toBe('_No negative controls are recorded yet._');
  });
});
