import pLimit from 'p-limit';
import type { Clock } from '../engine/clock.js';
import { createProbeTracker, type ProbeValues } from '../engine/probe-values.js';
import type { EventOf } from './history-types.js';
import { readWithin } from './read-within.js';
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
  /** A node slower than this counts as down on that tick (default: 80% of the sampling period, 0.5 s to 2 s). */
  readonly timeoutMs?: number;
  /** Clock time the run started: events carry `t = clock.now() - origin`. */
  readonly origin: number;
  readonly onSample: (event: SampleEvent) => void;
  readonly onError?: (error: unknown) => void;
  readonly concurrency?: number;
  /**
   * Also pull each node's message ledger after a sample (see ledger-collector.ts). Pulls run beside
   * the ticks, one at a time: a slow pull skips samples instead of holding the next tick up.
   */
  readonly ledger?: { readonly fetch: FetchLedger; readonly onEvent: (event: LedgerEvent) => void };
}

export interface Sampler {
  /** Reads every node once and emits (and returns) the sample. */
  sampleOnce(): Promise<SampleEvent>;
  /** Probe values of the latest sample (see createProbeTracker); empty before the first. */
  probe(): Promise<ProbeValues>;
  /** Samples on a fixed tick until stopped; a slow tick skips the ticks it overran. */
  start(): void;
  /** Stops sampling and waits for the tick and the ledger pull in flight. */
  stop(): Promise<void>;
}

export function createSampler(options: SamplerOptions): Sampler {
  const { clock } = options;
  const aggregator = createSampleAggregator();
  // Every node at once: a tick costs one status round trip, not one per batch.
  const limit = pLimit(options.concurrency ?? 64);
  // A tick must fit in its period (an overrun skips the next tick); at least half a second, since a
  // busy Docker port proxy answers in hundreds of ms and a read given up is a blind tick.
  const timeoutMs = options.timeoutMs ?? Math.max(500, Math.min(Math.round(options.sampleEveryMs * 0.8), 2_000));
  const stopper = new AbortController();
  const track = createProbeTracker();
  let latest: ProbeValues = {};
  let loop: Promise<void> | undefined;
  let ledgerPull: Promise<void> | undefined;
  const ledger =
    options.ledger === undefined
      ? undefined
      : createLedgerCollector({ fetchLedger: options.ledger.fetch, onEvent: options.ledger.onEvent, clock, timeoutMs, now: () => clock.now() - options.origin });

  const read = async (node: SampledNode): Promise<NodeStatusResult> => ({
    node,
    status: await readWithin(clock, timeoutMs, (signal) => options.fetchStatus(node, signal)),
  });

  const pullLedger = (event: SampleEvent): void => {
    if (ledger === undefined || ledgerPull !== undefined) return;
    ledgerPull = ledger
      .collect(event)
      .then(() => undefined)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        ledgerPull = undefined;
      });
  };

  const sampleOnce = async (lagMs?: number): Promise<SampleEvent> => {
    const began = clock.now();
    const results = await Promise.all(options.nodes().map((node) => limit(() => read(node))));
    const t = clock.now() - options.origin;
    const { totals, nodes } = aggregator.aggregate(results, t);
    const timing = { readMs: Math.round(clock.now() - began), ...(lagMs === undefined ? {} : { lagMs: Math.round(lagMs) }) };
    const event: SampleEvent = { t, type: 'sample', totals, nodes, ...timing };
    latest = track(totals);
    options.onSample(event);
    pullLedger(event);
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
      await ledgerPull;
    },
  };
}
