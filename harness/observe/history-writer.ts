import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError } from '../errors.js';
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

/** Reads a history; a truncated last line is left out, a corrupt line elsewhere is an error. */
export async function readHistoryDetailed(path: string): Promise<HistoryRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ChaosError('INVALID_CONFIG', `cannot read history ${path}`, { hint: 'point at a run directory holding history-<architecture>.jsonl', cause: error });
  }
  const lines = text.split('\n');
  const events: HistoryEvent[] = [];
  let truncated = false;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const event = parseEvent(line);
    if (event !== undefined) {
      events.push(event);
      return;
    }
    const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
    if (isLast) {
      truncated = true;
      return;
    }
    throw new ChaosError('INVALID_CONFIG', `history ${path} line ${index + 1} is not a history event`, {
      hint: 'the file was edited or corrupted; restore it or re-run the scenario',
    });
  });
  return { events, truncated };
}

export async function readHistory(path: string): Promise<HistoryEvent[]> {
  return (await readHistoryDetailed(path)).events;
}

function parseEvent(line: string): HistoryEvent | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return undefined;
    const { t, type } = value as { t?: unknown; type?: unknown };
    return typeof t === 'number' && typeof type === 'string' ? (value as HistoryEvent) : undefined;
  } catch {
    return undefined;
  }
}
