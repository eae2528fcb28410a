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

/**
 * Assigns `count` items to keys in proportion to the weights, exactly (largest remainder),
 * then shuffles the assignment with `unit()`. Used where the share matters more than the draw:
 * "70% of peers run the buggy version" must hold for 16 peers, not just on average.
 */
export function proportionalAssignment(
  weights: Readonly<Record<string, number>>,
  count: number,
  unit: () => number,
): string[] {
  const entries = Object.entries(weights).filter(([, weight]) => weight > 0);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (entries.length === 0 || total <= 0) throw new Error('proportionalAssignment needs at least one positive weight');
  const exact = entries.map(([key, weight]) => ({ key, share: (weight / total) * count }));
  const assigned = exact.map(({ key, share }) => ({ key, n: Math.floor(share), rest: share - Math.floor(share) }));
  let missing = count - assigned.reduce((sum, a) => sum + a.n, 0);
  for (const entry of [...assigned].sort((a, b) => b.rest - a.rest)) {
    if (missing <= 0) break;
    entry.n += 1;
    missing -= 1;
  }
  const result = assigned.flatMap(({ key, n }) => Array.from({ length: n }, () => key));
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(unit() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}
