import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ControlsSection } from '../../../harness/controls/control-types.js';
import { summarizeControls } from '../../../harness/controls/summarize-controls.js';
import { controlsResultsSchema } from '../../../harness/docs/controls-results-data.js';
import { serializeRepeatDocument } from '../../../harness/report/repeat-json.js';
import { summarizeRepeat } from '../../../harness/verdict/repeat-summary.js';
import { DEFAULT_MACHINE } from '../../bench/bench-entry.js';
import { CONTROLS_ABOUT, controlsToData } from '../../bench/controls-to-data.js';
import { controlRuns } from '../controls/control-fixtures.js';
import { repeatInputs } from '../verdict/repeat-fixtures.js';

const work = await mkdtemp(join(tmpdir(), 'controls-to-data-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const COMMIT = 'a'.repeat(40);
const section = (): ControlsSection =>
  summarizeControls(controlRuns(), { requested: 2, seeds: [2010, 111], stoppedEarly: false, skipped: [{ name: 'p2p-promo', architecture: 'p2p', reason: 'p2p not selected with --arch' }] });

/** A report directory as `chaos run skype-2010 --controls --repeat 2` leaves it (without --controls: `null`): the repeat document at its top. */
async function reportDir(name: string, controls: ControlsSection | null = section()): Promise<string> {
  const dir = join(work, name);
  const repeat = summarizeRepeat(repeatInputs(), { scenario: 'skype-2010', requested: 2, baseSeed: 2010, now: new Date('2026-12-06T09:30:00.000Z') });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.json'), serializeRepeatDocument(controls === null ? repeat : { ...repeat, controls }), 'utf8');
  return dir;
}

const readData = async (file: string) => controlsResultsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
const options = { command: 'npm run chaos -- skype-2010 --controls --repeat 2', conditions: 'one command at a time, nothing else running', commit: COMMIT };

describe('test/bench/controls-to-data.ts', () => {
  it('creates the data file and records each control: what it sabotages, what it must break, each run measured, k of K caught', async () => {
    const file = join(work, 'created.json');
    expect(await controlsToData({ ...options, dir: await reportDir('repeat'), file })).toBe('controls-skype-2010: added, 3 controls, 2 runs each');
    const data = await readData(file);
    expect(data.about).toBe(CONTROLS_ABOUT);
    const [entry] = data.entries;
    expect(entry).toMatchObject({
      id: 'skype-2010',
      scenario: 'skype-2010',
      command: options.command,
      machine: { cores: cpus().length, description: DEFAULT_MACHINE },
      date: '2026-12-06',
      commit: COMMIT,
      conditions: options.conditions,
      requested: 2,
      seeds: [2010, 111],
      stoppedEarly: false,
      skipped: [{ name: 'p2p-promo', architecture: 'p2p', reason: 'p2p not selected with --arch' }],
    });
    expect(entry?.controls.map((control) => [control.name, control.outcome, control.caught, control.requested])).toEqual([
      ['pinned', 'caught', 2, 2],
      ['slow-store', 'missed', 1, 2],
      ['no-promotion', 'unknown', 1, 2],
    ]);
    expect(entry?.controls[1]).toEqual({
      name: 'slow-store',
      architecture: 'dedicated',
      sabotages: 'login keeps handing out dead supernodes',
      mustBreak: ['recovery time', 'availability floor'],
      runs: [
        { seed: 2010, outcome: 'caught', measured: { 'recovery time': null, 'availability floor': 0.41 } },
        { seed: 111, outcome: 'missed', measured: { 'recovery time': 2.5, 'availability floor': 0.41 } },
      ],
      caught: 1,
      requested: 2,
      outcome: 'missed',
    });
    expect(entry?.controls[2]?.runs[1]).toEqual({ seed: 111, outcome: 'unknown', measured: { 'messages lost': 3 } });
  });

  it('replaces the entry of the same id, adds one of another, and keeps the file\'s own text', async () => {
    const file = join(work, 'kept.json');
    await writeFile(file, `${JSON.stringify({ about: 'written by hand', entries: [] })}\n`, 'utf8');
    const dir = await reportDir('again');
    await controlsToData({ ...options, dir, file });
    expect(await controlsToData({ ...options, dir, file, conditions: 'beside stress-ng --cpu 1' })).toMatch(/^controls-skype-2010: replaced/);
    await controlsToData({ ...options, dir, file, id: 'skype-2010-local', machine: 'a 4-core laptop', date: '2026-12-07' });
    const data = await readData(file);
    expect(data.about).toBe('written by hand');
    expect(data.entries.map((entry) => [entry.id, entry.conditions, entry.machine.description, entry.date])).toEqual([
      ['skype-2010', 'beside stress-ng --cpu 1', DEFAULT_MACHINE, '2026-12-06'],
      ['skype-2010-local', options.conditions, 'a 4-core laptop', '2026-12-07'],
    ]);
  });

  it('takes the commit from git when none is given', async () => {
    const file = join(work, 'head.json');
    await controlsToData({ command: options.command, conditions: options.conditions, dir: await reportDir('head'), file });
    expect((await readData(file)).entries[0]?.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('refuses a report without controls, one where none ran, and an id the docs cannot name, writing nothing', async () => {
    const file = join(work, 'refused.json');
    await expect(controlsToData({ ...options, dir: await reportDir('plain', null), file })).rejects.toThrow('the report of skype-2010 has no negative controls: run it with --controls');
    const none = summarizeControls([], { requested: 2, seeds: [2010, 111], stoppedEarly: false });
    await expect(controlsToData({ ...options, dir: await reportDir('none', none), file })).rejects.toThrow('no negative control of skype-2010 ran');
    await expect(controlsToData({ ...options, dir: await reportDir('named'), file, id: 'Skype 2010' })).rejects.toThrow(/entries\.0\.id: lower-case letters, digits and dashes/);
    await expect(controlsToData({ ...options, dir: join(work, 'nowhere'), file })).rejects.toThrow(/report\.json does not exist/);
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
