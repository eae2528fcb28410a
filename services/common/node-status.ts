import type { LatencySummary, NodeStatusBase } from '../protocol/status.js';

export interface StatusParts {
  readonly role: NodeStatusBase['role'];
  readonly name: string;
  readonly ready: boolean;
  readonly startedAt: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly gauges: Readonly<Record<string, number>>;
  readonly histograms?: Readonly<Record<string, LatencySummary>>;
}

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
