import pLimit from 'p-limit';
import type { Clock } from '../engine/clock.js';
import { createProbeTracker, type ProbeValues } from '../engine/probe-values.js';
import type { EventOf } from './history-types.js';
import { createLedgerCollector, type FetchLedger, type LedgerEvent } from './ledger-collector.js';
import { createSampleAggregator, type NodeStatusResult, type SampledNode } from './sample-aggregator.js';

export type SampleEvent = EventOf<'sample'>;

export interface SamplerOptions {
  /** The nodes to read on each tick (remedies add nodes while the run goes). */
  readonly nodes: () => readonly SampledNode[];
  /** Reads a node's `/status`; undefined (or a throw) means the node is down. Must honour the signal. */
  readonly fetchStatus: (node: SampledNode, signal: AbortSignal) => Promise<unknown>;
  readonly clock: Clock;
  readonly sampleEveryMs: number;
  /** A node slower than this counts as down on that tick (default: the sampling period, at most 2 s). */
  readonly timeoutMs?: number;
  /** Clock time the run started: events carry `t = clock.now() - origin`. */
  readonly origin: number;
  readonly onSample: (event: SampleEvent) => void;
  readonly onError?: (error: unknown) => void;
  readonly concurrency?: number;
  /** Also pull each node's message ledger after every sample (see ledger-collector.ts). */
  readonly ledger?: { readonly fetch: FetchLedger; readonly onEvent: (event: LedgerEvent) => void };
}

export interface Sampler {
  /** Reads every node once and emits (and returns) the sample. */
  sampleOnce(): Promise<SampleEvent>;
  /** Probe values of the latest sample (see createProbeTracker); empty before the first. */
  probe(): Promise<ProbeValues>;
  /** Samples on a fixed tick until stopped; a slow tick skips the ticks it overran. */
  start(): void;
  stop(): Promise<void>;
}

export function createSampler(options: SamplerOptions): Sampler {
  const { clock } = options;
  const aggregator = createSampleAggregator();
  // Every node at once: a tick costs one status round trip, not one per batch.
  const limit = pLimit(options.concurrency ?? 64);
  // At least a second: a busy Docker port proxy answers in hundreds of ms, and a read given up is a blind tick.
  const timeoutMs = options.timeoutMs ?? Math.max(1_000, Math.min(options.sampleEveryMs, 2_000));
  const stopper = new AbortController();
  const track = createProbeTracker();
  let latest: ProbeValues = {};
  let loop: Promise<void> | undefined;
  const ledger =
    options.ledger === undefined
      ? undefined
      : createLedgerCollector({ fetchLedger: options.ledger.fetch, onEvent: options.ledger.onEvent, clock, timeoutMs, now: () => clock.now() - options.origin });

  const read = async (node: SampledNode): Promise<NodeStatusResult> => {
    const controller = new AbortController();
    const timer = clock.sleep(timeoutMs, controller.signal).then(() => undefined);
    try {
      const status = await Promise.race([options.fetchStatus(node, controller.signal).catch(() => undefined), timer]);
      return { node, status };
    } finally {
      controller.abort();
    }
  };

  const sampleOnce = async (lagMs?: number): Promise<SampleEvent> => {
    const results = await Promise.all(options.nodes().map((node) => limit(() => read(node))));
    const t = clock.now() - options.origin;
    const { totals, nodes } = aggregator.aggregate(results, t);
    const event: SampleEvent = { t, type: 'sample', totals, nodes, ...(lagMs === undefined ? {} : { lagMs: Math.round(lagMs) }) };
    latest = track(totals);
    options.onSample(event);
    await ledger?.collect(event).catch((error: unknown) => options.onError?.(error));
    return event;
  };

  const run = async (): Promise<void> => {
    const start = clock.now();
    let tick = 0;
    while (!stopper.signal.aborted) {
      try {
        await sampleOnce(Math.max(0, clock.now() - (start + tick * options.sampleEveryMs)));
      } catch (error) {
        options.onError?.(error);
      }
      tick = Math.max(tick + 1, Math.ceil((clock.now() - start) / options.sampleEveryMs));
      const wait = start + tick * options.sampleEveryMs - clock.now();
      if (wait > 0) await clock.sleep(wait, stopper.signal);
    }
  };

  return {
    sampleOnce,
    probe: () => Promise.resolve(latest),
    start() {
      loop ??= run();
    },
    async stop() {
      stopper.abort();
      await loop;
    },
  };
}
