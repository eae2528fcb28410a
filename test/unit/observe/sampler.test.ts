import { describe, expect, it } from 'vitest';
import { createCounterAccumulator } from '../../../harness/observe/counter-accumulator.js';
import { createSampleAggregator, type SampledNode } from '../../../harness/observe/sample-aggregator.js';
import { createSampler, type SampleEvent, type Sampler } from '../../../harness/observe/sampler.js';
import { readStatus } from '../../../harness/observe/status-reading.js';
import { createManualClock, type ManualClock } from '../helpers/manual-clock.js';

const supernodeStatus = (name: string, state: string, load: number, sessions: number, extra: Record<string, unknown> = {}) => ({
  role: 'supernode',
  name,
  ready: state === 'serving',
  uptimeSeconds: 100,
  mode: 'peer',
  state,
  counters: { lookupsServed: 5 },
  gauges: { load, sessions, capacitySessions: 50 },
  ...extra,
});
const fleetStatus = (online: number, counters: Record<string, number>, uptimeSeconds = 100) => ({
  role: 'client-fleet',
  name: 'fleet',
  ready: true,
  uptimeSeconds,
  counters,
  gauges: { clientsTotal: 100, clientsOnline: online },
});

const sn = (name: string): SampledNode => ({ name, role: 'supernode' });
const fleet = (name: string): SampledNode => ({ name, role: 'client-fleet' });

describe('readStatus', () => {
  it('reads what it can and ignores drift', () => {
    expect(readStatus({ ready: 'yes', counters: { a: 1, b: 'x', c: null }, gauges: 'none', state: 3, mode: 'hybrid', extra: {} })).toEqual({
      ready: false,
      counters: { a: 1 },
      gauges: {},
    });
    expect(readStatus('<html>')).toEqual({ ready: false, counters: {}, gauges: {} });
    expect(readStatus({ ready: true, uptimeSeconds: 4, state: 'serving', mode: 'dedicated' })).toEqual({
      ready: true,
      uptimeSeconds: 4,
      state: 'serving',
      mode: 'dedicated',
      counters: {},
      gauges: {},
    });
  });
});

describe('createCounterAccumulator', () => {
  it('stays monotonic across restarts by adding the value seen before a reset', () => {
    const counters = createCounterAccumulator();
    counters.update({ ok: 10 }, 50);
    counters.update({ ok: 25 }, 60);
    counters.update({ ok: 3 }, 61);
    expect(counters.value('ok')).toBe(28);
    counters.update({ ok: 40 }, 2);
    expect(counters.value('ok')).toBe(68);
    counters.update({}, 1);
    counters.update({ ok: 1 }, 3);
    expect(counters.value('ok')).toBe(69);
    expect(counters.value('missing')).toBe(0);
  });
});

describe('createSampleAggregator', () => {
  it('builds cluster totals: clients from fleets, serving and joined supernodes, load over serving', () => {
    const aggregator = createSampleAggregator();
    const { totals, nodes } = aggregator.aggregate(
      [
        { node: sn('sn-0'), status: supernodeStatus('sn-0', 'serving', 0.5, 25) },
        { node: sn('sn-1'), status: supernodeStatus('sn-1', 'serving', 0.9, 45) },
        { node: sn('sn-2'), status: supernodeStatus('sn-2', 'joining', 0, 0) },
        { node: sn('sn-3'), status: supernodeStatus('sn-3', 'standby', 0, 0) },
        { node: fleet('fleet-0'), status: fleetStatus(80, { lookupsOk: 10, lookupsFailed: 1, imsAccepted: 5, imsReceived: 4, crashes: 2, restarts: 1 }) },
        { node: fleet('fleet-1'), status: fleetStatus(90, { lookupsOk: 5 }) },
        { node: { name: 'om-0', role: 'offline-messages' }, status: { ready: true, counters: {}, gauges: { pending: 7, queueDepth: 12 } } },
        { node: { name: 'login', role: 'login' }, status: undefined },
      ],
      0,
    );
    expect(totals).toEqual({
      clientsTotal: 200,
      clientsOnline: 170,
      clientsCrashed: 0,
      clientsRehoming: 0,
      clientsResyncing: 0,
      supernodesTotal: 3,
      supernodesServing: 2,
      sessions: 70,
      capacitySessions: 100,
      offlinePending: 7,
      loadMean: 0.7,
      loadMax: 0.9,
      lookupsOk: 15,
      lookupsFailed: 1,
      imsAccepted: 5,
      imsReceived: 4,
      imsDuplicate: 0,
      clientCrashes: 2,
      clientRestarts: 1,
    });
    expect(nodes['sn-1']).toEqual({ role: 'supernode', up: true, ready: true, state: 'serving', mode: 'peer', load: 0.9, sessions: 45, capacitySessions: 50 });
    expect(nodes['login']).toEqual({ role: 'login', up: false, ready: false });
    expect(nodes['fleet-0']).toEqual({ role: 'client-fleet', up: true, ready: true });
    expect(nodes['om-0']).toEqual({ role: 'offline-messages', up: true, ready: true, queueDepth: 12 });
  });

  it('counts a down supernode that had joined, and keeps a silent fleet\'s counters', () => {
    const aggregator = createSampleAggregator();
    aggregator.aggregate(
      [
        { node: sn('sn-0'), status: supernodeStatus('sn-0', 'serving', 0.5, 25) },
        { node: sn('sn-1'), status: supernodeStatus('sn-1', 'standby', 0, 0) },
        { node: fleet('fleet-0'), status: fleetStatus(80, { lookupsOk: 10 }) },
      ],
      0,
    );
    const { totals } = aggregator.aggregate(
      [
        { node: sn('sn-0'), status: undefined },
        { node: sn('sn-1'), status: undefined },
        { node: fleet('fleet-0'), status: undefined },
      ],
      500,
    );
    expect([totals.supernodesTotal, totals.supernodesServing, totals.loadMean]).toEqual([1, 0, 0]);
    expect([totals.clientsTotal, totals.lookupsOk]).toEqual([100, 10]);
  });

  it('carries a silent fleet\'s online count for the stale limit, then marks the sample\'s online count unknown', () => {
    const aggregator = createSampleAggregator({ fleetStaleMs: 2_000 });
    const tick = (now: number, status: unknown) => aggregator.aggregate([{ node: fleet('fleet-0'), status }], now).totals;
    expect(tick(0, fleetStatus(80, {}))).toMatchObject({ clientsOnline: 80 });
    expect(tick(0, fleetStatus(80, {})).fleetsCarried).toBeUndefined();
    expect(tick(1_500, undefined)).toMatchObject({ clientsOnline: 80, fleetsCarried: 1 });
    expect(tick(2_000, undefined)).toMatchObject({ clientsOnline: 80, fleetsCarried: 1 });
    // Never read as "everyone went offline": the count is unknown, and the verdict skips the sample.
    expect(tick(2_500, undefined)).toMatchObject({ clientsTotal: 100, fleetsUnread: 1 });
    expect(tick(2_500, undefined).fleetsCarried).toBeUndefined();
    expect(tick(3_000, fleetStatus(60, {}))).toMatchObject({ clientsOnline: 60 });
  });

  it('keeps fleet counters monotonic when a fleet restarts', () => {
    const aggregator = createSampleAggregator();
    const tick = (ok: number, uptime: number) => aggregator.aggregate([{ node: fleet('f'), status: fleetStatus(1, { lookupsOk: ok }, uptime) }], uptime * 1_000).totals.lookupsOk;
    expect([tick(100, 10), tick(150, 11), tick(20, 1), tick(60, 2)]).toEqual([100, 150, 170, 210]);
  });
});

/** Runs the sampler for `runMs` of manual time, then stops it, giving its work in flight `drainMs` to end. */
async function runFor(sampler: Sampler, clock: ManualClock, runMs: number, drainMs: number): Promise<void> {
  sampler.start();
  await clock.advance(runMs);
  const stopped = sampler.stop();
  await clock.advance(drainMs);
  await stopped;
}

describe('createSampler', () => {
  it('samples on a fixed tick, treats a slow or failing node as down, and stamps run time', async () => {
    const clock = createManualClock(1_000);
    const samples: SampleEvent[] = [];
    const sampler = createSampler({
      nodes: () => [sn('sn-0'), sn('sn-slow'), sn('sn-broken')],
      fetchStatus: (node, signal) => {
        if (node.name === 'sn-broken') return Promise.reject(new Error('ECONNREFUSED'));
        if (node.name === 'sn-slow') return new Promise((resolve) => signal.addEventListener('abort', () => resolve(supernodeStatus('x', 'serving', 1, 1))));
        return Promise.resolve(supernodeStatus('sn-0', 'serving', 0.4, 10));
      },
      clock,
      sampleEveryMs: 500,
      timeoutMs: 200,
      origin: 400,
      onSample: (event) => samples.push(event),
    });
    await runFor(sampler, clock, 1_250, 1_000);
    expect(samples.map((s) => s.t)).toEqual([800, 1_300, 1_800]);
    const first = samples[0];
    expect(first?.nodes['sn-slow']?.up).toBe(false);
    expect(first?.nodes['sn-broken']?.up).toBe(false);
    expect(first?.totals.supernodesServing).toBe(1);
    expect(clock.pendingSleeps()).toBe(0);
    expect(await sampler.probe()).toEqual({ supernodesAliveFraction: 1 });
  });

  it('pulls ledgers beside the ticks: a slow pull skips samples instead of delaying the next tick', async () => {
    const clock = createManualClock();
    const samples: SampleEvent[] = [];
    let pulls = 0;
    const sampler = createSampler({
      nodes: () => [fleet('f')],
      fetchStatus: async () => fleetStatus(100, {}),
      ledger: {
        fetch: async (_node, _after, signal) => {
          pulls += 1;
          await clock.sleep(1_200, signal);
          return { seq: pulls, accepted: [`m${pulls}`], received: [], duplicates: [] };
        },
        onEvent: () => undefined,
      },
      clock,
      sampleEveryMs: 500,
      timeoutMs: 2_000,
      origin: 0,
      onSample: (event) => samples.push(event),
    });
    await runFor(sampler, clock, 2_600, 2_000);
    const gaps = samples.slice(1).map((s, i) => s.t - samples[i]!.t);
    expect(gaps.every((gap) => gap === 500)).toBe(true);
    expect(samples.length).toBeGreaterThanOrEqual(6);
    expect(pulls).toBe(2);
    expect(samples.every((s) => s.readMs === 0)).toBe(true);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('offers the latest sample as probe values for the steady-state wait', async () => {
    const clock = createManualClock();
    let online = 50;
    let ok = 0;
    const sampler = createSampler({
      nodes: () => [fleet('f')],
      fetchStatus: async () => fleetStatus(online, { lookupsOk: (ok += 9), lookupsFailed: ok / 9 }),
      clock,
      sampleEveryMs: 500,
      origin: 0,
      onSample: () => undefined,
    });
    expect(await sampler.probe()).toEqual({});
    await sampler.sampleOnce();
    online = 95;
    await sampler.sampleOnce();
    expect(await sampler.probe()).toEqual({ onlineFraction: 0.95, lookupSuccess: 0.9 });
  });
});
