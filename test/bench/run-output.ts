import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventOf, HistoryEvent } from '../../harness/observe/history-types.js';
import type { RunReport } from '../../harness/verdict/verdict-types.js';
import type { PhaseSpan } from './cpu-accounting.js';

/** What a finished `chaos run` left in its --out directory: the history of each architecture, and report.json. */

/** The run's report.json, or undefined when the run wrote none. */
export async function readRunReport(outDir: string): Promise<RunReport | undefined> {
  return readFile(join(outDir, 'report.json'), 'utf8').then((text) => JSON.parse(text) as RunReport, () => undefined);
}

/** Every event of a run's history file (JSON lines); unreadable lines are skipped, a missing file gives none. */
export async function readHistoryEvents(historyFile: string): Promise<HistoryEvent[]> {
  const text = await readFile(historyFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as HistoryEvent];
      } catch {
        return [];
      }
    });
}

export function runStartOf(events: readonly HistoryEvent[]): EventOf<'run-start'> | undefined {
  return events.find((event): event is EventOf<'run-start'> => event.type === 'run-start');
}

/** Each phase of the run, in epoch milliseconds: from its mark to the next one (the last to the history's last event). */
export function phaseSpans(events: readonly HistoryEvent[]): PhaseSpan[] {
  const start = runStartOf(events);
  if (start === undefined) return [];
  const origin = Date.parse(start.startedAt) - start.t;
  const marks = events.filter((event): event is EventOf<'phase'> => event.type === 'phase');
  const end = events.at(-1)?.t ?? 0;
  return marks.map((mark, i) => ({ phase: mark.phase, fromMs: origin + mark.t, toMs: origin + (marks[i + 1]?.t ?? end) }));
}
