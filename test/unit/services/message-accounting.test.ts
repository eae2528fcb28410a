import { describe, expect, it } from 'vitest';
import { MessageStore } from '../../../services/offline-messages/message-store.js';
import { WorkerPool } from '../../../services/offline-messages/worker-pool.js';
import { UserDisk } from '../../../services/client-fleet/user-disk.js';

const message = (id: string, to = 'u2') => ({ messageId: id, from: 'u1', to, body: `body ${id}` });

describe('offline message store', () => {
  it('stores idempotently by message id, also after the message was acknowledged', () => {
    const store = new MessageStore(100);
    expect(store.store(message('m1'))).toBe('stored');
    expect(store.store(message('m1'))).toBe('duplicate');
    expect(store.ack('u2', ['m1'])).toBe(1);
    expect(store.store(message('m1'))).toBe('duplicate');
    expect(store.fetch('u2').items).toEqual([]);
    expect({ stored: store.stored, delivered: store.delivered, dup: store.duplicatesSuppressed }).toEqual({ stored: 1, delivered: 1, dup: 2 });
  });

  it('hands out messages until they are acknowledged (at least once), in pages', () => {
    const store = new MessageStore(100);
    for (let i = 0; i < 15; i += 1) store.store(message(`m${i}`));
    const first = store.fetch('u2');
    expect(first.items).toHaveLength(12);
    expect(first.more).toBe(true);
    expect(store.fetch('u2').items.map((item) => item.messageId)).toEqual(first.items.map((item) => item.messageId));
    store.ack('u2', first.items.map((item) => item.messageId));
    const second = store.fetch('u2');
    expect(second.items.map((item) => item.messageId)).toEqual(['m12', 'm13', 'm14']);
    expect(second.more).toBe(false);
    expect(store.pending).toBe(3);
  });

  it('acknowledges only once, and only the recipient can delete its messages', () => {
    const store = new MessageStore(100);
    store.store(message('m1', 'u2'));
    store.store(message('m2', 'u3'));
    expect(store.ack('u3', ['m1'])).toBe(0);
    expect(store.ack('u2', ['m1', 'm1', 'unknown'])).toBe(1);
    expect(store.ack('u2', ['m1'])).toBe(0);
    expect(store.delivered).toBe(1);
    expect(store.pending).toBe(1);
  });

  it('refuses new messages when full', () => {
    const store = new MessageStore(2);
    store.store(message('a'));
    store.store(message('b'));
    expect(store.store(message('c'))).toBe('full');
  });
});

describe('recipient dedup', () => {
  it('counts a message delivered twice (direct, then from the offline store) once', () => {
    const disk = new UserDisk();
    expect(disk.remember('m1')).toBe(true);
    expect(disk.remember('m2')).toBe(true);
    expect(disk.remember('m1')).toBe(false);
    expect(disk.receivedCount).toBe(2);
  });
});

describe('worker pool', () => {
  it('serves at most `workers` jobs at once, so a burst queues up and waits', async () => {
    const pool = new WorkerPool(2, 20, 100);
    const started = performance.now();
    const finished: number[] = [];
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 6; i += 1) {
        pool.submit(() => {
          finished.push(performance.now() - started);
          if (finished.length === 6) resolve();
        });
      }
      expect(pool.queueDepth).toBe(4);
      expect(pool.inService).toBe(2);
    });
    // Three rounds of two: the last job waited about 3 service times.
    expect(finished[5]).toBeGreaterThanOrEqual(55);
  });

  it('refuses work beyond its queue bound', () => {
    const pool = new WorkerPool(1, 1_000, 2);
    expect(pool.submit(() => undefined)).toBe(true);
    expect(pool.submit(() => undefined)).toBe(true);
    expect(pool.submit(() => undefined)).toBe(true);
    expect(pool.submit(() => undefined)).toBe(false);
    pool.clear();
  });
});
