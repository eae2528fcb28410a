import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { readRunHistories } from '../../../harness/observe/run-histories.js';
import { dedicatedHistory, p2pOutageHistory } from '../verdict/history-builder.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'run-histories-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const lines = (events: readonly unknown[]): string => events.map((event) => `${JSON.stringify(event)}\n`).join('');
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function refusal(path: string): Promise<ChaosError> {
  const error = await readRunHistories(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChaosError);
  const chaos = error as ChaosError;
  expect(chaos.code).toBe('INVALID_CONFIG');
  expect(chaos.exitCode).toBe(2);
  return chaos;
}

describe('readRunHistories on a run directory', () => {
  it('reads every architecture in the order chaos run reports them (p2p, then dedicated), with the first run-start', async () => {
    write('history-p2p.jsonl', lines(p2pOutageHistory()));
    write('history-dedicated.jsonl', lines(dedicatedHistory()));
    write('report.json', '{}');
    const read = await readRunHistories(dir);
    expect(read.histories.map((h) => [h.architecture, h.torn, h.events.length])).toEqual([
      ['p2p', false, p2pOutageHistory().length],
      ['dedicated', false, dedicatedHistory().length],
    ]);
    expect(read.histories[0]?.events).toEqual(p2pOutageHistory());
    expect(read.start).toMatchObject({ type: 'run-start', architecture: 'p2p' });
  });

  it('reads a torn history up to its last complete line and flags it', async () => {
    const events = dedicatedHistory().filter((event) => event.type !== 'run-end');
    write('history-dedicated.jsonl', `${lines(events)}${JSON.stringify({ t: 99_999, type: 'sample', totals: {} }).slice(0, 30)}`);
    const [history] = (await readRunHistories(dir)).histories;
    expect(history?.torn).toBe(true);
    expect(history?.events).toEqual(events);
  });

  it('keeps a history that ends with a newline whole: nothing torn', async () => {
    write('history-dedicated.jsonl', `${lines(dedicatedHistory())}\n\n`);
    expect((await readRunHistories(dir)).histories[0]?.torn).toBe(false);
  });
});

describe('readRunHistories refuses what is not a run, naming the problem and the fix', () => {
  it('a missing directory', async () => {
    const error = await refusal(join(dir, 'nope'));
    expect(error.message).toBe(`report directory ${join(dir, 'nope')} does not exist`);
    expect(error.hint).toMatch(/^check the path; give the directory a `chaos run` wrote its reports to/);
  });

  it('an empty directory', async () => {
    expect((await refusal(dir)).message).toBe(`${dir} is empty: it holds no history-<architecture>.jsonl`);
  });

  it('a foreign directory, listing a few of its files', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) write(name, '');
    mkdirSync(join(dir, 'history-x.jsonl'));
    const error = await refusal(dir);
    expect(error.message).toBe(`${dir} is not a report directory: it holds no history-p2p.jsonl or history-dedicated.jsonl (found a, b, c, d, e and 3 more)`);
  });

  it('a file, and a history file given instead of its directory', async () => {
    expect((await refusal(write('notes.txt', 'x'))).message).toMatch(/notes\.txt is a file, not a report directory$/);
    const history = write('history-p2p.jsonl', lines(p2pOutageHistory()));
    const error = await refusal(history);
    expect(error.message).toBe(`${history} is a history file, not a report directory`);
    expect(error.hint).toBe(`give the directory that holds it: chaos report ${dir}`);
  });

  it('garbage, naming the line', async () => {
    write('history-dedicated.jsonl', `${lines(dedicatedHistory().slice(0, 3))}\u0000\u0001 garbage\n${lines(dedicatedHistory().slice(3))}`);
    expect((await refusal(dir)).message).toBe(`history ${join(dir, 'history-dedicated.jsonl')} line 4 is not a history event (not JSON)`);
  });

  it('JSON lines of another shape, even as the last line', async () => {
    write('history-dedicated.jsonl', `${lines(dedicatedHistory())}{"level":"info","msg":"hello"}`);
    expect((await refusal(dir)).message).toMatch(/line \d+ is not a history event \(JSON of another shape\)$/);
  });

  it('a broken last line that was written whole (it ends with a newline): corrupt, not torn', async () => {
    write('history-dedicated.jsonl', `${lines(dedicatedHistory())}{"t":1,"type":\n`);
    expect((await refusal(dir)).message).toMatch(/line \d+ is not a history event \(not JSON\)$/);
  });

  it('a history of nothing but a torn line', async () => {
    write('history-dedicated.jsonl', '{"t":0,"type":"run-st');
    expect((await refusal(dir)).message).toBe(`${join(dir, 'history-dedicated.jsonl')} is not a history: it holds no complete event (only a torn line)`);
  });

  it('a history that does not begin with its run-start', async () => {
    write('history-dedicated.jsonl', lines(dedicatedHistory().slice(1)));
    expect((await refusal(dir)).message).toMatch(/does not begin with a run-start event \(its first event is "phase"\)$/);
  });

  it('a run-start of another architecture', async () => {
    write('history-p2p.jsonl', lines(dedicatedHistory()));
    const error = await refusal(dir);
    expect(error.message).toMatch(/history-p2p\.jsonl holds the run-start of "dedicated", not of p2p$/);
    expect(error.hint).toMatch(/^rename the file after its architecture/);
  });

  it('a run-start without its scenario', async () => {
    const events: HistoryEvent[] = dedicatedHistory().map((event) => (event.type === 'run-start' ? ({ ...event, definition: { name: 'x' } } as unknown as HistoryEvent) : event));
    write('history-dedicated.jsonl', lines(events));
    expect((await refusal(dir)).message).toMatch(/has a run-start without the scenario it ran \(definition, time scale\)$/);
  });
});
