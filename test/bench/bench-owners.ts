import { ResourceOwner } from '../../harness/lifecycle/owner.js';

/** Every owner the bench holds right now, so an interrupt can release them all. */
const live = new Set<ResourceOwner>();

export function newOwner(): ResourceOwner {
  const owner = new ResourceOwner();
  live.add(owner);
  return owner;
}

/** Releases one owner; returns the failures as messages (never throws). */
export async function release(owner: ResourceOwner): Promise<string[]> {
  const failures = await owner.releaseAll();
  live.delete(owner);
  if (failures.length > 0) console.log(`  cleanup failures: ${failures.join('; ')}`);
  return failures;
}

export async function withOwner<T>(use: (owner: ResourceOwner) => Promise<T>): Promise<T> {
  const owner = newOwner();
  try {
    return await use(owner);
  } finally {
    await release(owner);
  }
}

export async function releaseEveryOwner(): Promise<void> {
  await Promise.all([...live].map((owner) => release(owner)));
}
