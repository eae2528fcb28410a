import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, parseLedgerAfter, startControlServer } from '../../../services/common/control-server.js';
import { MessageLedger, pendingLedgerDocument } from '../../../services/common/message-ledger.js';
import { stopControlServer } from '../../../services/common/stop-control-server.js';

describe('message ledger', () => {
  it('numbers entries 1, 2, 3, ... and hands out those after a sequence number', () => {
    const ledger = new MessageLedger(1_000);
    expect(ledger.seq).toBe(0);
    expect(ledger.since(0)).toEqual([]);
    ledger.record('accepted', 'm1');
    ledger.record('received', 'm2');
    ledger.record('duplicate', 'm2');
    expect(ledger.seq).toBe(3);
    expect(ledger.since(0).map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(ledger.since(1)).toEqual([
      { seq: 2, kind: 'received', messageId: 'm2' },
      { seq: 3, kind: 'duplicate', messageId: 'm2' },
    ]);
    expect(ledger.since(3)).toEqual([]);
    // A cursor ahead of the journal (a previous life's) gets nothing, never an error.
    expect(ledger.since(99)).toEqual([]);
  });

  it('serves a document split by kind, with the latest seq as the next cursor', () => {
    const ledger = new MessageLedger(1_000);
    ledger.record('accepted', 'a1');
    ledger.record('received', 'r1');
    ledger.record('accepted', 'a2');
    ledger.record('duplicate', 'r1');
    expect(ledger.document('fleet-0', 0)).toEqual({ node: 'fleet-0', seq: 4, startedAt: 1_000, accepted: ['a1', 'a2'], received: ['r1'], duplicates: ['r1'] });
    expect(ledger.document('fleet-0', 2)).toEqual({ node: 'fleet-0', seq: 4, startedAt: 1_000, accepted: ['a2'], received: [], duplicates: ['r1'] });
    expect(ledger.document('fleet-0', 4)).toMatchObject({ seq: 4, accepted: [], received: [], duplicates: [] });
  });

  it('keeps entries after they are read (a restarted reader may ask again) but holds at most its capacity', () => {
    const ledger = new MessageLedger(0, 3);
    for (let i = 1; i <= 5; i += 1) ledger.record('accepted', `m${i}`);
    expect(ledger.size).toBe(3);
    expect(ledger.since(0).map((entry) => entry.messageId)).toEqual(['m3', 'm4', 'm5']);
    expect(ledger.droppedAfter(0)).toBe(2);
    expect(ledger.droppedAfter(1)).toBe(1);
    expect(ledger.droppedAfter(2)).toBe(0);
    expect(ledger.document('n', 0)).toMatchObject({ seq: 5, accepted: ['m3', 'm4', 'm5'], dropped: 2 });
    expect(ledger.document('n', 4)).toEqual({ node: 'n', seq: 5, startedAt: 0, accepted: ['m5'], received: [], duplicates: [] });
    expect(() => new MessageLedger(0, 0)).toThrow(RangeError);
  });

  it('drops in amortised constant time over many entries', () => {
    const ledger = new MessageLedger(0, 10);
    for (let i = 1; i <= 5_000; i += 1) ledger.record('received', `m${i}`);
    expect(ledger.size).toBe(10);
    expect(ledger.since(4_995).map((entry) => entry.messageId)).toEqual(['m4996', 'm4997', 'm4998', 'm4999', 'm5000']);
  });

  it('offline-messages answers its full pending list', () => {
    expect(pendingLedgerDocument('om-0', 5, ['x', 'y'])).toEqual({ node: 'om-0', seq: 0, startedAt: 5, accepted: [], received: [], duplicates: [], pending: ['x', 'y'] });
  });
});

describe('GET /ledger', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server !== undefined) await stopControlServer(server);
    server = undefined;
  });

  const start = async (withLedger: boolean): Promise<string> => {
    const ledger = new MessageLedger(7);
    ledger.record('accepted', 'm1');
    ledger.record('received', 'm2');
    server = await startControlServer({
      host: '127.0.0.1',
      port: 0,
      registry: createMetricsRegistry({ node: 'n' }),
      status: () => ({ ok: true }),
      ...(withLedger ? { ledger: (after: number) => ledger.document('fleet-1', after) } : {}),
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return `http://127.0.0.1:${address.port}`;
  };

  it('answers the entries after `after` (0 when absent)', async () => {
    const url = await start(true);
    expect(await (await fetch(`${url}/ledger?after=1`)).json()).toEqual({ node: 'fleet-1', seq: 2, startedAt: 7, accepted: [], received: ['m2'], duplicates: [] });
    expect(await (await fetch(`${url}/ledger`)).json()).toMatchObject({ accepted: ['m1'], received: ['m2'] });
  });

  it('refuses an `after` that is not a non-negative integer with 400 and a message', async () => {
    const url = await start(true);
    for (const bad of ['-1', '1.5', 'abc', '', '1e3', '1&after=2']) {
      const response = await fetch(`${url}/ledger?after=${bad}`);
      expect(response.status, bad).toBe(400);
      expect(await response.text()).toMatch(/after must/);
    }
  });

  it('is 404 on a node without a ledger', async () => {
    const url = await start(false);
    expect((await fetch(`${url}/ledger?after=0`)).status).toBe(404);
    expect((await fetch(`${url}/status`)).status).toBe(200);
  });

  it('parses `after` strictly', () => {
    expect(parseLedgerAfter(new URLSearchParams(''))).toBe(0);
    expect(parseLedgerAfter(new URLSearchParams('after=0'))).toBe(0);
    expect(parseLedgerAfter(new URLSearchParams('after=42'))).toBe(42);
    expect(parseLedgerAfter(new URLSearchParams('after=+1'))).toHaveProperty('problem');
  });
});
