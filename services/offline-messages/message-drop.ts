import { deriveSeed } from '../common/seeded-random.js';

/** Whether the store silently drops a message, by its id. */
export type DropTest = (messageId: string) => boolean;

export const dropsNothing: DropTest = () => false;

/**
 * A defect: drops a seeded share of the message ids. The decision hangs on the id alone, so one seed
 * drops the same ids in every run, and a sender's retry of a dropped id is dropped again.
 */
export function seededShareDrop(share: number, seed: number): DropTest {
  if (share <= 0) return dropsNothing;
  return (messageId) => deriveSeed(seed, `drop:${messageId}`) / 2 ** 32 < share;
}
