import { z } from 'zod';
import { architecture, commit, day, entriesWithUniqueIds, entryId, machine } from './entry-fields.js';

/** bench/library-runs.json: runs of the whole library (`chaos run --all`), one entry per run, as measured. */

const checkOutcome = z.enum(['pass', 'fail', 'unknown']);
const libraryVerdict = z.enum(['pass', 'fail', 'unknown', 'error', 'interrupted', 'not-run']);

const libraryArchitecture = z.strictObject({
  architecture,
  expectation: z.enum(['meets-targets', 'reproduces-outage']),
  verdict: checkOutcome,
  runs: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
});

const libraryControl = z.strictObject({
  name: z.string().min(1),
  architecture,
  outcome: z.enum(['caught', 'missed', 'unknown']),
  caught: z.number().int().nonnegative(),
  requested: z.number().int().positive(),
});

/** The scenario's own run (not its controls), from its slowest architecture's history: where its wall time went, in seconds. */
const libraryScenarioRun = z.strictObject({
  seconds: z.number().nonnegative(),
  deploySeconds: z.number().nonnegative(),
  steadyStateSeconds: z.number().nonnegative(),
  timelineSeconds: z.number().nonnegative(),
  teardownSeconds: z.number().nonnegative(),
});

const libraryScenario = z.strictObject({
  scenario: z.string().min(1),
  status: z.enum(['finished', 'interrupted', 'error', 'not-run']),
  verdict: libraryVerdict,
  /** Why it stopped with an error, was interrupted, or did not run. */
  reason: z.string().exactOptional(),
  seed: z.number().int().nullable(),
  architectures: z.array(libraryArchitecture),
  /** Each negative control run, with its outcome; empty without --controls. */
  controls: z.array(libraryControl),
  wallSeconds: z.number().nonnegative().nullable(),
  /** Absent when the run left no complete history beside its report (a run cut off, or one recorded before this was kept). */
  run: libraryScenarioRun.exactOptional(),
});
export type LibraryScenarioData = z.output<typeof libraryScenario>;

const entry = z.strictObject({
  id: entryId,
  command: z.string().min(1),
  machine,
  date: day,
  commit,
  conditions: z.string(),
  platform: z.string().min(1),
  startedAt: z.string().min(1),
  finishedAt: z.string().min(1),
  /** From the first scenario's start to the index written. */
  wallSeconds: z.number().nonnegative(),
  exitCode: z.number().int(),
  verdict: libraryVerdict,
  scenarios: z.array(libraryScenario).min(1),
});
export type LibraryRunEntry = z.output<typeof entry>;

export const libraryResultsSchema = z.strictObject({
  about: z.string(),
  entries: entriesWithUniqueIds(entry),
});
export type LibraryResultsData = z.output<typeof libraryResultsSchema>;
