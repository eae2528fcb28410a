import { createRandom, deriveSeed } from '../common/seeded-random.js';

/** Whether a client is one of the buggy-version clients that crash: decided once per client from the seed. */
export function isVulnerable(seed: number, userId: string, crashProbability: number): boolean {
  return createRandom(deriveSeed(seed, `vulnerable:${userId}`)).chance(crashProbability);
}

export interface ReplyTiming {
  readonly clientVersion: string;
  readonly buggyVersion: string;
  readonly vulnerable: boolean;
  readonly elapsedMs: number;
  readonly thresholdMs: number;
}

/** The 2010 bug: a delayed offline-messages reply crashes a vulnerable client of the buggy version. */
export function crashesOnReply(timing: ReplyTiming): boolean {
  return timing.clientVersion === timing.buggyVersion && timing.vulnerable && timing.elapsedMs > timing.thresholdMs;
}
