import type { ClusterTotals } from '../observe/history-types.js';
import { lookupSuccessBetween } from '../observe/lookup-success.js';
import type { ProbeMetric } from '../scenario/types.js';

/** What the probes measure on one tick; a metric is absent when there is nothing to measure. */
export type ProbeValues = { readonly [K in ProbeMetric]?: number };

/**
 * Probe values from successive cluster totals: online clients over all clients, serving
 * supernodes over supernodes in the network, and lookup success since the previous tick
 * (carried over from the last tick that saw lookups).
 */
export function createProbeTracker(): (totals: ClusterTotals) => ProbeValues {
  let previous: ClusterTotals | undefined;
  let lastLookupSuccess: number | undefined;
  return (totals) => {
    if (previous !== undefined) lastLookupSuccess = lookupSuccessBetween(previous, totals) ?? lastLookupSuccess;
    previous = totals;
    const values: { -readonly [K in ProbeMetric]?: number } = {};
    if (totals.clientsTotal > 0) values.onlineFraction = totals.clientsOnline / totals.clientsTotal;
    if (totals.supernodesTotal > 0) values.supernodesAliveFraction = totals.supernodesServing / totals.supernodesTotal;
    if (lastLookupSuccess !== undefined) values.lookupSuccess = lastLookupSuccess;
    return values;
  };
}

export function describeProbeValues(values: ProbeValues): string {
  const parts = Object.entries(values).map(([metric, value]) => `${metric}=${value.toFixed(3)}`);
  return parts.length === 0 ? 'no probe values' : parts.join(', ');
}
