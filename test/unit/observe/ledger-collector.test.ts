import { describe, expect, it } from 'vitest';
import type { NodeObservation } from '../../../harness/observe/history-types.js';
import { createLedgerCollector, type LedgerEvent } from '../../../harness/observe/ledger-collector.js';
import type { SampledNode } from '../../../harness/observe/sample-aggregator.js';
import { createSampler } from '../../../harness/observe/sampler.js';
import { createManualClock } from '../helpers/manual-clock.js';
import { MessageLedger, pendingLedgerDocument } from '../../../services/common/message-ledger.js';

type Tick = Parameters<ReturnType<typeof createLedgerCollector>['collect']>[0];

const up = (role: NodeObservation['role']) => ({ role, up: true });
const down = (role: NodeObservation['role']) => ({ role, up: false });

/** A fake network of ledgers behind `fetchLedger`, recording every request. */
function fakeNodes() {
  const journals = new Map<string, MessageLedger>();
  const pending = new Map<string, string[]>();
  const requests: string[] = [];
  const fetchLedger = (node: SampledNode, after: number): Promise<unknown> => {
    requests.push(`${node.name}?after=${after}`);
    const list = pending.get(node.name);
    if (list !== undefined) return Promise.resolve(pendingLedgerDocument(node.name, 1, [...list]));
    const journal = journals.get(node.name);
    return journal === undefined ? Promise.reject(new Error('404')) : Promise.resolve(journal.document(node.name, after));
  };
  return { journals, pending, requests, fetchLedger };
}

function collectorOver(fake: ReturnType<typeof fakeNodes>, now = () => 100) {
  const events: LedgerEvent[] = [];
  const collector = createLedgerCollector({ fetchLedger: fake.fetchLedger, clock: createManualClock(), timeoutMs: 1_000, now, onEvent: (event) => events.push(event) });
  return { collector, events };
}

describe('ledger collector', () => {
  it('pulls deltas per node with its own cursor, and writes only nodes that changed', async () => {
    const fake = fakeNodes();
    const fleetA = new MessageLedger(1);
    const fleetB = new MessageLedger(1);
    fake.journals.set('fleet-a', fleetA).set('fleet-b', fleetB);
    let t = 100;
    const { collector, events } = collectorOver(fake, () => t);
    const tick: Tick = { nodes: { 'fleet-a': up('client-fleet'), 'fleet-b': up('client-fleet'), login: up('login') } };

    fleetA.record('accepted', 'm1');
    fleetB.record('received', 'm1');
    fleetB.record('duplicate', 'm1');
    await collector.collect(tick);
    t = 600;
    fleetA.record('accepted', 'm2');
    await collector.collect(tick);
    t = 1_100;
    await collector.collect(tick);

    expect(events).toEqual([
      { t: 100, type: 'ledger', node: 'fleet-a', accepted: ['m1'], received: [], duplicates: [] },
      { t: 100, type: 'ledger', node: 'fleet-b', accepted: [], received: ['m1'], duplicates: ['m1'] },
      { t: 600, type: 'ledger', node: 'fleet-a', accepted: ['m2'], received: [], duplicates: [] },
    ]);
    expect(fake.requests).toEqual(['fleet-a?after=0', 'fleet-b?after=0', 'fleet-a?after=1', 'fleet-b?after=2', 'fleet-a?after=2', 'fleet-b?after=2']);
  });

  it('skips nodes that did not answer /status this tick and keeps their cursor', async () => {
    const fake = fakeNodes();
    const peer = new MessageLedger(1);
    fake.journals.set('sn-peer', peer);
    const { collector, events } = collectorOver(fake);
    peer.record('accepted', 'p1');
    await collector.collect({ nodes: { 'sn-peer': down('supernode') } });
    expect(fake.requests).toEqual([]);
    await collector.collect({ nodes: { 'sn-peer': up('supernode'), 'sn-dedicated': up('supernode') } });
    expect(events.map((event) => [event.node, event.accepted])).toEqual([['sn-peer', ['p1']]]);
    // A dedicated supernode has no ledger (404): nothing written, no harm.
    expect(fake.requests).toEqual(['sn-peer?after=0', 'sn-dedicated?after=0']);
  });

  it('reads a restarted node from its start when its seq goes backwards', async () => {
    const fake = fakeNodes();
    fake.journals.set('fleet-a', new MessageLedger(1));
    fake.journals.get('fleet-a')?.record('accepted', 'old-1');
    fake.journals.get('fleet-a')?.record('accepted', 'old-2');
    fake.journals.get('fleet-a')?.record('accepted', 'old-3');
    const { collector, events } = collectorOver(fake);
    const tick: Tick = { nodes: { 'fleet-a': up('client-fleet') } };
    await collector.collect(tick);
    // Same startedAt (a clock that did not move), but the journal starts over: seq 1 < cursor 3.
    const next = new MessageLedger(1);
    next.record('accepted', 'new-1');
    fake.journals.set('fleet-a', next);
    await collector.collect(tick);
    expect(events.map((event) => event.accepted)).toEqual([['old-1', 'old-2', 'old-3'], ['new-1']]);
    expect(fake.requests).toEqual(['fleet-a?after=0', 'fleet-a?after=3', 'fleet-a?after=0']);
  });

  it('reads a restarted node from its start when its startedAt changes, even when its seq is already past the cursor', async () => {
    const fake = fakeNodes();
    const first = new MessageLedger(1);
    first.record('accepted', 'old-1');
    fake.journals.set('sn-peer', first);
    const { collector, events } = collectorOver(fake);
    const tick: Tick = { nodes: { 'sn-peer': up('supernode') } };
    await collector.collect(tick);
    const second = new MessageLedger(2);
    for (const id of ['new-1', 'new-2', 'new-3']) second.record('accepted', id);
    fake.journals.set('sn-peer', second);
    await collector.collect(tick);
    second.record('accepted', 'new-4');
    await collector.collect(tick);
    expect(events.map((event) => event.accepted)).toEqual([['old-1'], ['new-1', 'new-2', 'new-3'], ['new-4']]);
    expect(fake.requests).toEqual(['sn-peer?after=0', 'sn-peer?after=1', 'sn-peer?after=0', 'sn-peer?after=3']);
  });

  it('reads offline-messages first and writes its pending list only when it changed', async () => {
    const fake = fakeNodes();
    fake.journals.set('fleet-a', new MessageLedger(1));
    fake.pending.set('om-0', []);
    let t = 100;
    const { collector, events } = collectorOver(fake, () => t);
    const tick: Tick = { nodes: { 'fleet-a': up('client-fleet'), 'om-0': up('offline-messages') } };
    await collector.collect(tick);
    t = 200;
    fake.pending.set('om-0', ['m1', 'm2']);
    await collector.collect(tick);
    t = 300;
    await collector.collect(tick);
    t = 400;
    fake.pending.set('om-0', ['m2']);
    fake.journals.get('fleet-a')?.record('received', 'm1');
    await collector.collect(tick);
    expect(events).toEqual([
      { t: 100, type: 'ledger', node: 'om-0', accepted: [], received: [], duplicates: [], pending: [] },
      { t: 200, type: 'ledger', node: 'om-0', accepted: [], received: [], duplicates: [], pending: ['m1', 'm2'] },
      { t: 400, type: 'ledger', node: 'om-0', accepted: [], received: [], duplicates: [], pending: ['m2'] },
      { t: 400, type: 'ledger', node: 'fleet-a', accepted: [], received: ['m1'], duplicates: [] },
    ]);
    expect(fake.requests.filter((_, index) => index % 2 === 0).every((request) => request.startsWith('om-0'))).toBe(true);
  });

  it('gives up on a node slower than the timeout without holding the tick', async () => {
    const clock = createManualClock();
    const events: LedgerEvent[] = [];
    const collector = createLedgerCollector({
      fetchLedger: (_node, _after, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(undefined))),
      clock,
      timeoutMs: 300,
      now: () => clock.now(),
      onEvent: (event) => events.push(event),
    });
    const pulled = collector.collect({ nodes: { 'fleet-a': up('client-fleet') } });
    await clock.advance(300);
    expect(await pulled).toEqual([]);
    expect(events).toEqual([]);
  });

  it('is pulled by the sampler after a sample, beside the ticks, with the run time of the pull', async () => {
    const clock = createManualClock(1_000);
    const journal = new MessageLedger(1);
    journal.record('accepted', 'm1');
    const written: string[] = [];
    const sampler = createSampler({
      nodes: () => [{ name: 'fleet-a', role: 'client-fleet' }],
      fetchStatus: () => Promise.resolve({ role: 'client-fleet', ready: true, uptimeSeconds: 1, counters: {}, gauges: { clientsTotal: 1, clientsOnline: 1 } }),
      clock,
      sampleEveryMs: 500,
      origin: 400,
      onSample: (sample) => written.push(`sample@${sample.t}`),
      ledger: {
        fetch: (node, after) => Promise.resolve(journal.document(node.name, after)),
        onEvent: (event) => written.push(`ledger@${event.t}:${event.accepted.join(',')}`),
      },
    });
    const pullDone = () => new Promise((resolve) => setImmediate(resolve));
    await sampler.sampleOnce();
    await pullDone();
    journal.record('accepted', 'm2');
    await sampler.sampleOnce();
    await pullDone();
    await sampler.sampleOnce();
    await sampler.stop();
    expect(written).toEqual(['sample@600', 'ledger@600:m1', 'sample@600', 'ledger@600:m2', 'sample@600']);
  });
});
