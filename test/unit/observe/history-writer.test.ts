import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isChaosError } from '../../../harness/errors.js';
import { historyFileName, openArchitectureHistory, openHistory, readHistory, readHistoryDetailed } from '../../../harness/observe/history-writer.js';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const events: HistoryEvent[] = [
  { t: 0, type: 'phase', phase: 'deploying' },
  { t: 10, type: 'mark', label: 'T0' },
  { t: 20, type: 'fault', id: 'trigger', action: 'inject', kind: 'latency', targets: ['any->om-0'], detail: { latency: 3000 } },
];

describe('history writer', () => {
  it('names the file after the architecture', () => {
    const writer = openArchitectureHistory(dir, 'p2p');
    writer.close();
    expect(writer.path).toBe(join(dir, 'history-p2p.jsonl'));
    expect(historyFileName('dedicated')).toBe('history-dedicated.jsonl');
  });

  it('puts every event on disk as it is appended, before any close', async () => {
    const writer = openHistory(join(dir, 'h.jsonl'));
    for (const [i, event] of events.entries()) {
      writer.append(event);
      expect(await readHistory(writer.path)).toEqual(events.slice(0, i + 1));
    }
    expect(readFileSync(writer.path, 'utf8').split('\n')).toHaveLength(events.length + 1);
    expect(writer.events()).toEqual(events);
    writer.close();
    writer.close();
    expect(() => writer.append(events[0] as HistoryEvent)).toThrow(/closed/);
  });

  it('appends to an existing history rather than replacing it', async () => {
    const path = join(dir, 'h.jsonl');
    const first = openHistory(path);
    first.append(events[0] as HistoryEvent);
    first.close();
    const second = openHistory(path);
    second.append(events[1] as HistoryEvent);
    second.close();
    expect(await readHistory(path)).toEqual(events.slice(0, 2));
  });

  it('reads a history whose last line was cut short, leaving that line out', async () => {
    const path = join(dir, 'h.jsonl');
    const writer = openHistory(path);
    writer.append(events[0] as HistoryEvent);
    writer.append(events[1] as HistoryEvent);
    appendFileSync(path, JSON.stringify(events[2]).slice(0, 25));
    const read = await readHistoryDetailed(path);
    expect(read.events).toEqual(events.slice(0, 2));
    expect(read.truncated).toBe(true);
    writer.close();
  });

  it('rejects a corrupt line in the middle with its line number', async () => {
    const path = join(dir, 'h.jsonl');
    appendFileSync(path, `${JSON.stringify(events[0])}\nnot json\n${JSON.stringify(events[1])}\n`);
    const error = await readHistory(path).catch((e: unknown) => e);
    expect(isChaosError(error) && error.message).toBe(`history ${path} line 2 is not a history event (not JSON)`);
  });

  it('names the fix when the file is missing', async () => {
    const error = await readHistory(join(dir, 'missing.jsonl')).catch((e: unknown) => e);
    expect(isChaosError(error) && error.hint).toContain('history-<architecture>.jsonl');
  });
});

describe('history writer in a process that dies', () => {
  it('leaves every event appended before a SIGKILL on disk', async () => {
    const { spawnSync } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const writerModule = fileURLToPath(new URL('../../../harness/observe/history-writer.ts', import.meta.url));
    const path = join(dir, 'history-p2p.jsonl');
    const script = join(dir, 'die.ts');
    writeFileSync(
      script,
      [
        `import { openHistory } from ${JSON.stringify(writerModule)};`,
        `const writer = openHistory(${JSON.stringify(path)});`,
        `for (const event of ${JSON.stringify(events)}) writer.append(event);`,
        `process.kill(process.pid, 'SIGKILL');`,
      ].join('\n'),
    );
    // Generous: starting tsx on a host busy with the end-to-end lane has taken over 8 s.
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 50_000 });
    expect(child.signal).toBe('SIGKILL');
    expect(await readHistory(path)).toEqual(events);
  }, 60_000);
});
