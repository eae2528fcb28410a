import { z } from 'zod';
import { architecture, commit, day, entriesWithUniqueIds, entryId, machine } from './entry-fields.js';

/** bench/negative-controls.json: the negative controls of `chaos run --controls`, one entry per scenario, as measured. */

const outcome = z.enum(['caught', 'missed', 'unknown']);

const controlRun = z.strictObject({
  seed: z.number().int(),
  outcome,
  /** Each target the control must break, by name, as this run measured it; null when it was not measured. */
  measured: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});
export type ControlRunData = z.output<typeof controlRun>;

const control = z
  .strictObject({
    name: z.string().min(1),
    architecture,
    sabotages: z.string(),
    /** The names of the targets, as the verdict writes them. */
    mustBreak: z.array(z.string()).min(1),
    runs: z.array(controlRun),
    caught: z.number().int().nonnegative(),
    requested: z.number().int().positive(),
    outcome,
  })
  .superRefine((value, context) => {
    if (value.caught > value.requested) context.addIssue({ code: 'custom', path: ['caught'], message: `${value.caught} caught of ${value.requested} runs` });
    value.runs.forEach((run, index) => {
      const names = Object.keys(run.measured);
      if (names.length !== value.mustBreak.length || value.mustBreak.some((name) => !names.includes(name))) {
        context.addIssue({ code: 'custom', path: ['runs', index, 'measured'], message: `measures ${names.join(', ') || 'nothing'}, not what the control must break: ${value.mustBreak.join(', ')}` });
      }
    });
  });
export type ControlData = z.output<typeof control>;

const entry = z.strictObject({
  id: entryId,
  scenario: z.string().min(1),
  command: z.string().min(1),
  machine,
  date: day,
  commit,
  conditions: z.string(),
  /** Runs asked of each control (`--repeat K`), on the seeds of the real runs. */
  requested: z.number().int().positive(),
  seeds: z.array(z.number().int()),
  stoppedEarly: z.boolean(),
  controls: z.array(control).min(1),
  /** Controls the command did not run (their architecture was not selected), and why. */
  skipped: z.array(z.strictObject({ name: z.string(), architecture, reason: z.string() })),
});
export type ControlsEntry = z.output<typeof entry>;

export const controlsResultsSchema = z.strictObject({
  about: z.string(),
  entries: entriesWithUniqueIds(entry),
});
export type ControlsResultsData = z.output<typeof controlsResultsSchema>;
