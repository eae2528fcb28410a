/** Picks a key of `weights` with probability proportional to its weight; `unit` is uniform in [0, 1). */
export function weightedPick(weights: Readonly<Record<string, number>>, unit: number): string {
  const entries = Object.entries(weights).filter(([, weight]) => weight > 0);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (entries.length === 0 || total <= 0) throw new Error('weightedPick needs at least one positive weight');
  let remaining = unit * total;
  for (const [key, weight] of entries) {
    remaining -= weight;
    if (remaining < 0) return key;
  }
  return entries[entries.length - 1]![0];
}

