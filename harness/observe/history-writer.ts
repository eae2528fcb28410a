import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError, errorMessage } from '../errors.js';
import type { Architecture } from '../scenario/types.js';
import type { HistoryEvent } from './history-types.js';

export const historyFileName = (architecture: Architecture): string => `history-${architecture}.jsonl`;

export interface HistoryWriter {
  readonly path: string;
  /** Writes the event to disk before returning, so an aborted run keeps every event recorded so far. */
  append(event: HistoryEvent): void;
  /** Every event appended, in order. */
  events(): readonly HistoryEvent[];
  close(): void;
}

/**
 * An append-only JSONL history. Each event is one synchronous write to a file opened for
 * appending: a SIGINT, an abort or a crash of the harness cannot lose an event already recorded.
 */
export function openHistory(path: string): HistoryWriter {
  let fd: number | undefined = openSync(path, 'a');
  const recorded: HistoryEvent[] = [];
  return {
    path,
    append(event) {
      if (fd === undefined) throw new Error(`history ${path} is closed; cannot append ${event.type}`);
      writeSync(fd, `${JSON.stringify(event)}\n`);
      recorded.push(event);
    },
    events: () => recorded,
    close() {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
    },
  };
}

export const openArchitectureHistory = (dir: string, architecture: Architecture): HistoryWriter => openHistory(join(dir, historyFileName(architecture)));

export interface HistoryRead {
  readonly events: HistoryEvent[];
  /** The last line was cut short (the run stopped mid-write) and was left out. */
  readonly truncated: boolean;
}

/**
 * Reads a history. A last line cut short (no newline after it, not JSON: the harness was killed in the
 * middle of writing it) is left out and reported as `truncated`; any other line that is not a history
 * event is an error naming its line.
 */
export async function readHistoryDetailed(path: string): Promise<HistoryRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ChaosError('INVALID_CONFIG', `cannot read history ${path} (${errorMessage(error)})`, { hint: 'point at a run directory holding history-<architecture>.jsonl', cause: error });
  }
  const lines = text.split('\n');
  const last = lines.findLastIndex((line) => line.trim() !== '');
  const events: HistoryEvent[] = [];
  let truncated = false;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const json = parseJson(line);
    const event = json.ok ? asEvent(json.value) : undefined;
    if (event !== undefined) {
      events.push(event);
      return;
    }
    if (index === last && !json.ok && !text.endsWith('\n')) {
      truncated = true;
      return;
    }
    throw new ChaosError('INVALID_CONFIG', `history ${path} line ${index + 1} is not a history event (${json.ok ? 'JSON of another shape' : 'not JSON'})`, {
      hint: 'the file was edited or corrupted, or is not a history `chaos run` wrote; restore it or re-run the scenario',
    });
  });
  return { events, truncated };
}

export async function readHistory(path: string): Promise<HistoryEvent[]> {
  return (await readHistoryDetailed(path)).events;
}

function parseJson(line: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch {
    return { ok: false };
  }
}

function asEvent(value: unknown): HistoryEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { t, type } = value as { t?: unknown; type?: unknown };
  return typeof t === 'number' && Number.isFinite(t) && typeof type === 'string' ? (value as HistoryEvent) : undefined;
}
