import { describe, expect, it } from 'vitest';
import type { EventOf, HistoryEvent } from '../../../harness/observe/history-types.js';
import { summarizeRun } from '../../../harness/verdict/judge-run.js';
import { measureMessagesLost } from '../../../harness/verdict/messages-lost.js';
import { messagesLostChecker } from '../../../harness/verdict/target-checks.js';
import { HistoryBuilder } from './history-builder.js';

type Ledger = EventOf<'ledger'>;

const ledger = (t: number, node: string, lists: Partial<Pick<Ledger, 'accepted' | 'received' | 'duplicates' | 'pending'>>): Ledger => ({
  t,
  type: 'ledger',
  node,
  accepted: lists.accepted ?? [],
  received: lists.received ?? [],
  duplicates: lists.duplicates ?? [],
  ...(lists.pending === undefined ? {} : { pending: lists.pending }),
});

/** A recorded run: steady state, samples to 20 s, the given ledger pulls, run-end at 20 s. */
function history(pulls: readonly Ledger[]): HistoryEvent[] {
  const events = new HistoryBuilder('p2p').steady().samples(10_000, 20_000, { online: 1_000 }).end(20_000).build();
  return [...events, ...pulls].sort((a, b) => a.t - b.t);
}

describe('messages lost, by message id', () => {
  it('passes when every accepted id was received or is still pending at the end', () => {
    const events = history([
      ledger(2_000, 'om-0', { pending: [] }),
      ledger(2_000, 'fleet-0', { accepted: ['f0-1', 'f0-2'], received: ['f1-1'] }),
      ledger(2_000, 'fleet-1', { accepted: ['f1-1'], received: ['f0-1'] }),
      ledger(2_000, 'sn-peer-3', { accepted: ['sn3-1'] }),
      ledger(2_500, 'om-0', { pending: ['f0-2', 'sn3-1'] }),
      ledger(3_000, 'om-0', { pending: ['sn3-1'] }),
      ledger(3_000, 'fleet-1', { received: ['f0-2'] }),
    ]);
    expect(measureMessagesLost(events)).toMatchObject({ lost: 0, missing: [], accepted: 4, received: 3, pending: 1, duplicates: 0, inFlight: [], unaccepted: 0 });
    expect(messagesLostChecker(0)(events)).toMatchObject({
      name: 'messages lost',
      measured: 0,
      outcome: 'pass',
      detail: 'accepted 4, received 3, pending offline 1, lost 0',
    });
  });

  it('fails on an accepted id neither received nor pending, and names it; no clamping against extra receipts', () => {
    const events = history([
      ledger(2_000, 'om-0', { pending: ['f0-3'] }),
      ledger(2_000, 'fleet-0', { accepted: ['f0-1', 'f0-2', 'f0-3'], received: ['x-1', 'x-2', 'x-3'] }),
      ledger(2_000, 'fleet-1', { received: ['f0-1'] }),
      // The peer crashed: nothing pulled after 2 s. Pending went empty later without f0-3 being received.
      ledger(4_000, 'om-0', { pending: [] }),
    ]);
    const measured = measureMessagesLost(events);
    expect(measured).toMatchObject({ lost: 2, missing: ['f0-2', 'f0-3'], accepted: 3, received: 4, pending: 0, unaccepted: 3 });
    const result = messagesLostChecker(0)(events);
    expect(result).toMatchObject({ measured: 2, outcome: 'fail' });
    expect(result.detail).toBe('accepted 3, received 4, pending offline 0, lost 2; missing: f0-2, f0-3; 3 received or pending without a recorded acceptance');
    expect(messagesLostChecker(2)(events).outcome).toBe('pass');
    expect(summarizeRun(events).messagesLost).toBe(2);
  });

  it('lists at most 10 missing ids and says how many more', () => {
    const ids = Array.from({ length: 13 }, (_, i) => `m-${i}`);
    const events = history([ledger(2_000, 'fleet-0', { accepted: ids }), ledger(2_500, 'fleet-1', { received: ['m-0'] })]);
    const result = messagesLostChecker(0)(events);
    expect(result.measured).toBe(12);
    expect(result.detail).toContain('missing: m-1, m-2, m-3, m-4, m-5, m-6, m-7, m-8, m-9, m-10, ... (2 more)');
  });

  it('lists ids received more than once, also across pulls and nodes', () => {
    const events = history([
      ledger(2_000, 'fleet-0', { accepted: ['a', 'b', 'c'] }),
      ledger(2_000, 'fleet-1', { received: ['a', 'b'], duplicates: ['a'] }),
      ledger(2_500, 'fleet-1', { duplicates: ['a'] }),
      // A fleet that restarted forgot what it had shown: c counted as received twice.
      ledger(2_500, 'fleet-2', { received: ['c'] }),
      ledger(3_000, 'fleet-2', { received: ['c'] }),
    ]);
    const measured = measureMessagesLost(events);
    expect(measured).toMatchObject({ lost: 0, duplicates: 2, duplicated: ['a', 'c'], extraDeliveries: 3 });
    expect(messagesLostChecker(0)(events)).toMatchObject({
      outcome: 'pass',
      detail: 'accepted 3, received 3, pending offline 0, lost 0; duplicated 2 (3 extra deliveries): a, c',
    });
  });

  it('takes the last pending list before run-end, each offline-messages node its own', () => {
    const events = history([
      ledger(2_000, 'fleet-0', { accepted: ['a', 'b'] }),
      ledger(2_000, 'om-0', { pending: ['a', 'b'] }),
      ledger(2_000, 'om-1', { pending: ['b'] }),
      ledger(3_000, 'om-0', { pending: ['a'] }),
    ]);
    expect(measureMessagesLost(events)).toMatchObject({ lost: 0, pending: 2 });
    const afterEnd: HistoryEvent[] = [...events, ledger(25_000, 'om-0', { pending: [] }), ledger(25_000, 'om-1', { pending: [] })];
    expect(measureMessagesLost(afterEnd)).toMatchObject({ lost: 0, pending: 2 });
  });

  it('leaves ids accepted in the very last pull and not yet seen arriving unjudged, and says so', () => {
    const events = history([
      ledger(2_000, 'om-0', { pending: [] }),
      ledger(2_000, 'fleet-0', { accepted: ['a'] }),
      ledger(19_500, 'fleet-0', { accepted: ['b', 'c'] }),
      ledger(19_500, 'fleet-1', { received: ['b'] }),
    ]);
    const measured = measureMessagesLost(events);
    expect(measured).toMatchObject({ lost: 1, missing: ['a'], inFlight: ['c'] });
    expect(messagesLostChecker(0)(events).detail).toBe('accepted 3, received 1, pending offline 0, lost 1; missing: a; 1 accepted in the last pull and still in flight, not judged');
  });

  it('is unknown on a history without a message ledger (recorded before ledgers existed)', () => {
    const old = new HistoryBuilder('dedicated').steady().samples(10_000, 12_000, { online: 1_000, accepted: 10, received: 10 }).end(12_000).build();
    expect(messagesLostChecker(0)(old)).toMatchObject({ measured: null, outcome: 'unknown', detail: expect.stringContaining('no message ledger') });
    // summarizeRun turns the throw into its "cannot be measured" value.
    expect(() => measureMessagesLost(old)).toThrow(/no message ledger/);
  });
});
