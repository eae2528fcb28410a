import type { ClusterTotals } from './history-types.js';

type LookupCounters = Pick<ClusterTotals, 'lookupsOk' | 'lookupsFailed'>;

/** ok / (ok + failed) between two readings of the lookup counters; undefined when no lookup happened in between. */
export function lookupSuccessBetween(from: LookupCounters, to: LookupCounters): number | undefined {
  const ok = to.lookupsOk - from.lookupsOk;
  const all = ok + to.lookupsFailed - from.lookupsFailed;
  return all > 0 ? ok / all : undefined;
}
