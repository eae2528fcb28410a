import type { HistoryEvent, NodeObservation } from '../observe/history-types.js';
import { predictColdCache, type ColdCachePrediction } from './cold-cache-prediction.js';
import { predictDirectoryLoad, type DirectoryPrediction } from './directory-prediction.js';
import { predictInboxLoop, type InboxLoopPrediction } from './inbox-loop-prediction.js';
import { phaseWindow, runStartOf, samplesOf, steadyBaseline, type SampleEvent } from './history-series.js';
import { predictOfferedLoad, type LoadPrediction } from './load-prediction.js';

/** What the supernodes were offered, measured from the history, beside what the arithmetic predicted. */
export interface OfferedLoad {
  readonly predicted: LoadPrediction | null;
  /** Login's directory arithmetic; absent when the topology gives login no directory. */
  readonly predictedDirectory?: DirectoryPrediction;
  /** The offline store's arithmetic; absent when the topology gives the store no query capacity. */
  readonly predictedInboxLoop?: InboxLoopPrediction;
  /** The start-up cache's arithmetic; absent when the supernodes keep no start-up cache. */
  readonly predictedColdCache?: ColdCachePrediction;
  /** The longest queue any offline-message server held during the timeline (requests); absent when none was sampled. */
  readonly deepestStoreQueue?: number;
  /** Mean offered requests/s per serving supernode over the steady-state hold. */
  readonly steadyRequestsPerSupernode: number | null;
  /**
   * Highest mean offered requests/s per supernode of the architecture's own kind (serving, joining or
   * shutting down; remedy supernodes of another capacity left out) during the timeline.
   */
  readonly peakRequestsPerSupernode: number | null;
  /** The same over the supernodes' request capacity. */
  readonly peakLoad: number | null;
  /** The highest offered load over capacity of any one of those supernodes during the timeline (over its 5 s window). */
  readonly busiestLoad: number | null;
  /** Real ms (from run start) of that peak. */
  readonly peakAt: number | null;
  /** Peak over steady, per supernode: what one surviving supernode faced. */
  readonly surgeFactor: number | null;
  /** Peak over steady of the whole network's offered rate. */
  readonly networkSurgeFactor: number | null;
  /** What bounds the storm on this machine. */
  readonly limit: string;
}

export function measureOfferedLoad(events: readonly HistoryEvent[]): OfferedLoad {
  const start = runStartOf(events);
  const predicted = start === undefined ? null : (predictOfferedLoad(start.definition, start.architecture) ?? null);
  const predictedDirectory = start === undefined ? undefined : predictDirectoryLoad(start.definition, start.architecture);
  const predictedInboxLoop = start === undefined ? undefined : predictInboxLoop(start.definition, start.architecture);
  const predictedColdCache = start === undefined ? undefined : predictColdCache(start.definition, start.architecture);
  const limit = stormLimit(predicted);
  const baseline = steadyBaseline(events);
  const samples = samplesOf(events);
  const steadySamples = samples.filter((s) => s.t >= baseline.from && s.t <= baseline.to);
  const steadyPer = mean(steadySamples.map((s) => perSupernode(s, (n) => n.state === 'serving')).filter(isNumber));
  const steadyTotal = mean(steadySamples.map(totalOffered));
  const window = phaseWindow(events, 'timeline');
  const timeline = window === undefined ? [] : samples.filter((s) => s.t >= window.from && s.t <= window.to);
  // The architecture's own supernodes: mega-supernodes added as a remedy have another capacity, and
  // averaging them in would hide the storm they were added to absorb.
  const ownCapacity = predicted?.capacityRequestsPerSecond;
  const ownInNetwork = (node: NodeObservation): boolean => inNetwork(node) && (ownCapacity === undefined || node.capacityRequestRate === ownCapacity);
  let peak: { rate: number; load: number; t: number } | undefined;
  let peakTotal = 0;
  let busiest: number | undefined;
  for (const sample of timeline) {
    peakTotal = Math.max(peakTotal, totalOffered(sample));
    for (const node of ownNodes(sample, ownInNetwork)) busiest = Math.max(busiest ?? 0, (node.requestRate ?? 0) / Math.max(1e-9, node.capacityRequestRate ?? Number.POSITIVE_INFINITY));
    const rate = perSupernode(sample, ownInNetwork);
    const load = perSupernode(sample, ownInNetwork, (n) => (n.requestRate ?? 0) / Math.max(1e-9, n.capacityRequestRate ?? Number.POSITIVE_INFINITY));
    if (rate !== undefined && load !== undefined && (peak === undefined || rate > peak.rate)) peak = { rate, load, t: sample.t };
  }
  return {
    predicted,
    ...(predictedDirectory === undefined ? {} : { predictedDirectory }),
    ...(predictedInboxLoop === undefined ? {} : { predictedInboxLoop }),
    ...(predictedColdCache === undefined ? {} : { predictedColdCache }),
    ...deepestStoreQueue(timeline),
    steadyRequestsPerSupernode: steadyPer ?? null,
    peakRequestsPerSupernode: peak?.rate ?? null,
    peakLoad: peak?.load ?? null,
    busiestLoad: busiest ?? null,
    peakAt: peak?.t ?? null,
    surgeFactor: peak === undefined || steadyPer === undefined || steadyPer <= 0 ? null : peak.rate / steadyPer,
    networkSurgeFactor: steadyTotal === undefined || steadyTotal <= 0 || timeline.length === 0 ? null : peakTotal / steadyTotal,
    limit,
  };
}

const inNetwork = (node: NodeObservation): boolean => node.state === 'serving' || node.state === 'joining' || node.state === 'shutting-down';

function ownNodes(sample: SampleEvent, include: (node: NodeObservation) => boolean): NodeObservation[] {
  return Object.values(sample.nodes).filter((n) => n.role === 'supernode' && n.up && n.requestRate !== undefined && include(n));
}

function perSupernode(sample: SampleEvent, include: (node: NodeObservation) => boolean, value: (node: NodeObservation) => number = (n) => n.requestRate ?? 0): number | undefined {
  return mean(ownNodes(sample, include).map(value));
}

function totalOffered(sample: SampleEvent): number {
  return Object.values(sample.nodes).reduce((sum, n) => sum + (n.role === 'supernode' && n.up ? (n.requestRate ?? 0) : 0), 0);
}

function stormLimit(predicted: LoadPrediction | null): string {
  if (predicted === null) return 'no prediction: the history names no architecture of its scenario';
  const attemptsPerSecond = (predicted.clients * predicted.attemptRequestsPerSecond) / 2;
  return (
    `the storm is bounded by ${predicted.clients} clients (one connection each) retrying ${predicted.attemptRequestsPerSecond / 2} times a second: ` +
    `at most ${Math.round(attemptsPerSecond)} connection attempts/s for the whole network, which is what two cores hold beside the supernodes; ` +
    `2010's ~100x came from millions of clients, each opening many connections`
  );
}

const isNumber = (value: number | undefined): value is number => value !== undefined;

function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function deepestStoreQueue(timeline: readonly SampleEvent[]): { deepestStoreQueue?: number } {
  const depths = timeline.flatMap((sample) => Object.values(sample.nodes).flatMap((node) => (node.role === 'offline-messages' && node.queueDepth !== undefined ? [node.queueDepth] : [])));
  return depths.length === 0 ? {} : { deepestStoreQueue: Math.max(...depths) };
}
