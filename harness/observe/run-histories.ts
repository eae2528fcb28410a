import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ChaosError, errorMessage } from '../errors.js';
import { ARCHITECTURES } from '../scenario/architecture-rules.js';
import type { Architecture } from '../scenario/types.js';
import type { EventOf, HistoryEvent } from './history-types.js';
import { readHistoryDetailed } from './history-writer.js';

/** One architecture's history as `chaos report` reads it back. */
export interface RunHistory {
  readonly architecture: Architecture;
  readonly file: string;
  /** Every complete event, in order. */
  readonly events: HistoryEvent[];
  /** The last line was torn (the harness was killed while writing it) and was left out: the run is incomplete. */
  readonly torn: boolean;
}

export interface RunHistories {
  readonly histories: readonly RunHistory[];
  /** The first run-start among them: the scenario and platform the run was judged with. */
  readonly start: EventOf<'run-start'>;
}

const HISTORY_FILE = /^history-(p2p|dedicated)\.jsonl$/;
const RUN_HINT = 'give the directory a `chaos run` wrote its reports to (its --out; by default reports/<scenario>-<timestamp>/)';

const refuse = (message: string, hint: string, cause?: unknown): ChaosError =>
  new ChaosError('INVALID_CONFIG', message, { hint, ...(cause === undefined ? {} : { cause }) });

/**
 * Reads every `history-<architecture>.jsonl` of a report directory. Anything that is not a run's
 * histories (a missing, empty or foreign directory, a file, lines that are not history events, a
 * history without its run-start) is refused with INVALID_CONFIG naming the problem and the fix.
 * A torn last line is left out and flagged: the run was killed and is judged incomplete.
 */
export async function readRunHistories(dir: string): Promise<RunHistories> {
  const info = await stat(dir).catch((error: unknown) => {
    throw (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? refuse(`report directory ${dir} does not exist`, `check the path; ${RUN_HINT}`)
      : refuse(`cannot read ${dir} (${errorMessage(error)})`, RUN_HINT, error);
  });
  if (!info.isDirectory()) {
    throw HISTORY_FILE.test(basename(dir))
      ? refuse(`${dir} is a history file, not a report directory`, `give the directory that holds it: chaos report ${dirname(dir)}`)
      : refuse(`${dir} is a file, not a report directory`, RUN_HINT);
  }
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    throw refuse(`cannot read ${dir} (${errorMessage(error)})`, RUN_HINT, error);
  }
  // In the order `chaos run` reports architectures (p2p, then dedicated), not the alphabet's.
  const files = ARCHITECTURES.map((architecture) => `history-${architecture}.jsonl`).filter((file) => entries.includes(file));
  if (files.length === 0) {
    if (entries.length === 0) throw refuse(`${dir} is empty: it holds no history-<architecture>.jsonl`, RUN_HINT);
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ` and ${entries.length - 5} more` : '');
    throw refuse(`${dir} is not a report directory: it holds no history-p2p.jsonl or history-dedicated.jsonl (found ${shown})`, RUN_HINT);
  }
  const histories: RunHistory[] = [];
  for (const name of files) {
    const architecture = name.replace(/^history-|\.jsonl$/g, '') as Architecture;
    const file = join(dir, name);
    const read = await readHistoryDetailed(file);
    if (read.events.length === 0) {
      throw refuse(
        `${file} is not a history: it holds no complete event${read.truncated ? ' (only a torn line)' : ''}`,
        'the run was cut off before it recorded its start, or the file is not one `chaos run` wrote; re-run the scenario',
      );
    }
    checkRunStart(file, architecture, read.events);
    histories.push({ architecture, file, events: read.events, torn: read.truncated });
  }
  const start = histories[0]?.events[0] as EventOf<'run-start'>;
  return { histories, start };
}

/** The first event is this architecture's run-start, carrying the scenario it was judged with. */
function checkRunStart(file: string, architecture: Architecture, events: readonly HistoryEvent[]): void {
  const first = events[0] as Partial<EventOf<'run-start'>> | undefined;
  const fix = 'the history was edited, or written by something other than `chaos run`; re-run the scenario';
  if (first?.type !== 'run-start') {
    throw refuse(`${file} does not begin with a run-start event (its first event is ${JSON.stringify(first?.type)})`, fix);
  }
  if (first.architecture !== architecture) {
    throw refuse(`${file} holds the run-start of ${JSON.stringify(first.architecture)}, not of ${architecture}`, `rename the file after its architecture, or ${fix}`);
  }
  const definition = first.definition as unknown;
  const valid =
    typeof definition === 'object' &&
    definition !== null &&
    typeof (definition as { name?: unknown }).name === 'string' &&
    typeof (definition as { architectures?: unknown }).architectures === 'object' &&
    (definition as { architectures?: unknown }).architectures !== null &&
    typeof first.msPerScenarioHour === 'number';
  if (!valid) throw refuse(`${file} has a run-start without the scenario it ran (definition, time scale)`, fix);
}
