import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { MessageStore } from '../../../services/offline-messages/message-store.js';
import { seededShareDrop } from '../../../services/offline-messages/message-drop.js';
import { offlineMessagesConfigSchema } from '../../../services/offline-messages/offline-messages-config.js';

const message = (i: number) => ({ messageId: `m-${i}`, from: 'u1', to: `u${2 + (i % 5)}`, body: 'hi' });
const ids = Array.from({ length: 2_000 }, (_, i) => i);

/** Stores every message; returns the outcomes and the store. */
function storeAll(drops?: ReturnType<typeof seededShareDrop>) {
  const store = new MessageStore(1_000_000, drops);
  const outcomes = ids.map((i) => store.store(message(i)));
  return { store, outcomes };
}

describe('offline store drop defect', () => {
  it('answers stored for every message but holds only the share it did not drop', () => {
    const { store, outcomes } = storeAll(seededShareDrop(0.3, 42));
    expect(outcomes.every((outcome) => outcome === 'stored')).toBe(true);
    expect(store.dropped / ids.length).toBeGreaterThan(0.25);
    expect(store.dropped / ids.length).toBeLessThan(0.35);
    expect(store.pending).toBe(ids.length - store.dropped);
    const held = new Set(store.pendingIds());
    const fetched = ['u2', 'u3', 'u4', 'u5', 'u6'].flatMap((user) => store.fetch(user, 10_000).items.map((m) => m.messageId));
    expect(new Set(fetched)).toEqual(held);
    const dropped = ids.map((i) => `m-${i}`).filter((id) => !held.has(id));
    expect(store.ack('u2', dropped)).toBe(0);
    expect(store.delivered).toBe(0);
  });

  it('drops the same ids for the same seed, other ids for another seed, and a retry of a dropped id again', () => {
    const first = storeAll(seededShareDrop(0.3, 42)).store.pendingIds();
    expect(storeAll(seededShareDrop(0.3, 42)).store.pendingIds()).toEqual(first);
    expect(storeAll(seededShareDrop(0.3, 43)).store.pendingIds()).not.toEqual(first);
    const drops = seededShareDrop(0.3, 42);
    const droppedId = ids.map((i) => `m-${i}`).find((id) => drops(id));
    const store = new MessageStore(10, drops);
    const retried = { ...message(0), messageId: droppedId ?? '' };
    expect([store.store(retried), store.store(retried)]).toEqual(['stored', 'stored']);
    expect(store.pending).toBe(0);
  });

  it('drops nothing with a share of 0 or without a drop test', () => {
    expect(storeAll(seededShareDrop(0, 42)).store.pending).toBe(ids.length);
    const { store } = storeAll();
    expect(store.pending).toBe(ids.length);
    expect(store.dropped).toBe(0);
  });

  it('takes the share and its seed from the config, 0 by default', () => {
    expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, { secret: 'secret-123' })).toMatchObject({ dropShare: 0, seed: 1 });
    expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, { secret: 'secret-123', dropShare: 0.2, seed: 9 })).toMatchObject({ dropShare: 0.2, seed: 9 });
    expect(() => parseRoleConfig('offline-messages', offlineMessagesConfigSchema, { secret: 'secret-123', dropShare: 1.5 })).toThrow(/dropShare/);
  });
});
