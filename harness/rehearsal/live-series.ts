import type { SampleEvent } from '../observe/sampler.js';

/** One point of the dashboard's charts, from one sample. */
export interface LivePoint {
  /** Seconds since the run started. */
  readonly t: number;
  readonly online: number;
  readonly clientsTotal: number;
  readonly supernodesServing: number;
  readonly supernodesTotal: number;
  /** Sessions held over session capacity of the serving supernodes (0-1+). */
  readonly sessionsOverCapacity: number | null;
  /** Mean and max offered load over capacity of the serving supernodes. */
  readonly loadMean: number;
  readonly loadMax: number;
  /** Lookups that succeeded since the previous sample, in percent; null when none were made. */
  readonly lookupSuccess: number | null;
  /** Offline messages stored and not yet fetched. */
  readonly offlineBacklog: number;
}

/** The dashboard's series: the latest points (a bounded window) and the point of each new sample. */
export class LiveSeries {
  private readonly points: LivePoint[] = [];
  private previous: { ok: number; failed: number } | undefined;

  constructor(private readonly keep = 900) {}

  push(sample: SampleEvent): LivePoint {
    const { totals } = sample;
    const ok = totals.lookupsOk - (this.previous?.ok ?? 0);
    const failed = totals.lookupsFailed - (this.previous?.failed ?? 0);
    this.previous = { ok: totals.lookupsOk, failed: totals.lookupsFailed };
    const made = ok + failed;
    const point: LivePoint = {
      t: Math.round(sample.t) / 1000,
      online: totals.clientsOnline,
      clientsTotal: totals.clientsTotal,
      supernodesServing: totals.supernodesServing,
      supernodesTotal: totals.supernodesTotal,
      sessionsOverCapacity: totals.capacitySessions > 0 ? totals.sessions / totals.capacitySessions : null,
      loadMean: totals.loadMean,
      loadMax: totals.loadMax,
      lookupSuccess: made > 0 ? (100 * ok) / made : null,
      offlineBacklog: totals.offlinePending,
    };
    this.points.push(point);
    if (this.points.length > this.keep) this.points.splice(0, this.points.length - this.keep);
    return point;
  }

  snapshot(): readonly LivePoint[] {
    return [...this.points];
  }

  latest(): LivePoint | undefined {
    return this.points.at(-1);
  }
}

/** `online 20/20 · supernodes 2/2 serving · load 0.03 (max 0.05) · lookups 100% · backlog 0` */
export function describePoint(point: LivePoint | undefined): string {
  if (point === undefined) return 'no sample yet';
  const lookups = point.lookupSuccess === null ? 'no lookups' : `lookups ${point.lookupSuccess.toFixed(1)}%`;
  return `online ${point.online}/${point.clientsTotal} · supernodes ${point.supernodesServing}/${point.supernodesTotal} serving · load ${point.loadMean.toFixed(2)} (max ${point.loadMax.toFixed(2)}) · ${lookups} · offline backlog ${point.offlineBacklog}`;
}
