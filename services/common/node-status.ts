import type { NodeStatusBase } from '../protocol/status.js';

/** Everything in the `/status` document but the uptime, which is derived from `startedAt`. */
export type StatusParts = Omit<NodeStatusBase, 'uptimeSeconds'> & { readonly startedAt: number };

/** The `/status` document in the shape the observer reads (services/protocol/status.ts). */
export function nodeStatus(parts: StatusParts): NodeStatusBase {
  return {
    role: parts.role,
    name: parts.name,
    ready: parts.ready,
    uptimeSeconds: Math.round((Date.now() - parts.startedAt) / 100) / 10,
    counters: parts.counters,
    gauges: parts.gauges,
    ...(parts.histograms === undefined ? {} : { histograms: parts.histograms }),
  };
}
