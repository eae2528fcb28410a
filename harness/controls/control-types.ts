import type { Architecture, TargetKey } from '../scenario/types.js';
import type { CheckOutcome } from '../verdict/verdict-types.js';

/** caught: every target the control must break failed, on a harness that delivered its load. */
export type ControlOutcome = 'caught' | 'missed' | 'unknown';

/** One target a control must break, as one run of it judged it. */
export interface MustBreakResult {
  readonly key: TargetKey;
  /** The name of the target in the verdict, e.g. `recovery time`. */
  readonly name: string;
  /** What the target wanted, e.g. `<= 10h`; null when the verdict has no such target. */
  readonly wanted: string | null;
  readonly measured: number | string | null;
  /** `absent`: the verdict has no target of this name. */
  readonly outcome: CheckOutcome | 'absent';
}

/** One run of a control, judged. */
export interface ControlRunJudgement {
  readonly outcome: ControlOutcome;
  /** The sabotaged architecture's verdict; null when the run left none. */
  readonly verdict: CheckOutcome | null;
  readonly saturated: boolean;
  readonly targets: readonly MustBreakResult[];
  /** Why the run is caught, missed or unknown, in words. */
  readonly reason: string;
}

export interface ControlRunEntry extends ControlRunJudgement {
  readonly seed: number;
  /** Its own reports, relative to the report directory: `controls/<control>/run-<i>-seed-<seed>`. */
  readonly dir: string;
}

/** One negative control over its runs. */
export interface ControlSummary {
  readonly name: string;
  readonly architecture: Architecture;
  readonly sabotages: string;
  readonly set: Readonly<Record<string, unknown>>;
  readonly mustBreak: readonly TargetKey[];
  /** missed when any run missed; else unknown when any run (or a run not made) is unknown; else caught. */
  readonly outcome: ControlOutcome;
  /** Runs caught, of `requested`. */
  readonly caught: number;
  readonly requested: number;
  readonly runs: readonly ControlRunEntry[];
}

/** A control the command did not run, and why (its architecture was not selected with --arch). */
export interface SkippedControl {
  readonly name: string;
  readonly architecture: Architecture;
  readonly reason: string;
}

/** The `controls` section of report.json (a single run's or a repeat's). */
export interface ControlsSection {
  /** Runs asked of each control: the `--repeat` count. */
  readonly requested: number;
  /** The seeds of those runs: the real runs' seeds. */
  readonly seeds: readonly number[];
  /** Stopped early (Ctrl-C, an error, or a platform unfit for another run): runs not made count as unknown. */
  readonly stoppedEarly: boolean;
  readonly controls: readonly ControlSummary[];
  readonly skipped: readonly SkippedControl[];
}
