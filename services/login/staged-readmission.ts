import type { Clock } from '../common/clock.js';
import { deriveSeed } from '../common/seeded-random.js';

export interface ReadmissionSteps {
  /** Share of the users admitted at the start and added at every step (0-1]. */
  readonly stepShare: number;
  /** Real milliseconds between steps. */
  readonly stepEveryMs: number;
  /** Stage the first start of login's machine too, not only a start after the program ended itself. */
  readonly atFirstStart: boolean;
}

/** What the stage says to one login: `open` once every user is admitted. */
export type StageVerdict = 'open' | 'admitted' | 'held-back';

/** Who may log in now. */
export interface Readmission {
  /** Share of the users admitted now (0-1]. */
  admittedShare(): number;
  verdict(userId: string): StageVerdict;
}

/** Shares within this of 1 count as every user: ten steps of 0.1 admit everyone despite rounding. */
const WHOLE = 1 - 1e-9;

/** A user's place in the readmission order, in [0, 1): a hash of the user id alone, so the same users come back first at every start and in every run. */
export function readmissionRank(userId: string): number {
  return deriveSeed(0, `readmission:${userId}`) / 2 ** 32;
}

/**
 * Users readmitted in steps after login starts: only those whose rank falls below the admitted
 * share may log in. The share is `stepShare` at the start and grows by `stepShare` every
 * `stepEveryMs` until it is 1.
 */
export class StagedReadmission implements Readmission {
  private readonly startedAt: number;

  constructor(
    private readonly steps: Pick<ReadmissionSteps, 'stepShare' | 'stepEveryMs'>,
    private readonly clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  admittedShare(): number {
    const stepsTaken = Math.floor((this.clock.now() - this.startedAt) / this.steps.stepEveryMs);
    const share = this.steps.stepShare * (stepsTaken + 1);
    return share >= WHOLE ? 1 : share;
  }

  verdict(userId: string): StageVerdict {
    const share = this.admittedShare();
    if (share === 1) return 'open';
    return readmissionRank(userId) < share ? 'admitted' : 'held-back';
  }
}

/** Login admits every user: no readmission configured, or a first start that is not staged. */
export const admitsEveryUser: Readmission = { admittedShare: () => 1, verdict: () => 'open' };

/** The readmission of one program start; `restarted` when the machine ran login before (the program ended itself and was started again). */
export function readmissionForStart(steps: ReadmissionSteps | undefined, restarted: boolean, clock: Clock): Readmission {
  if (steps === undefined || (!restarted && !steps.atFirstStart)) return admitsEveryUser;
  return new StagedReadmission(steps, clock);
}
