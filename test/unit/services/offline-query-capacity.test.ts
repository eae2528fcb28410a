import { afterEach, describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { offlineMessagesConfigSchema } from '../../../services/offline-messages/offline-messages-config.js';
import { startOfflineMessagesService, type RunningOfflineMessages } from '../../../services/offline-messages/offline-messages-service.js';
import { QueryCapacity, queryAdmission } from '../../../services/offline-messages/query-capacity.js';
import { authToken } from '../../../services/protocol/auth-token.js';
import { createManualClock } from '../helpers/manual-clock.js';
import { RawSocket } from './raw-socket.js';
import { secret, serviceEnv, waitFor } from './local-network.js';

const admitted = (capacity: { admit(): boolean }, queries: number) => Array.from({ length: queries }, () => capacity.admit()).filter(Boolean).length;

describe('an offline store query capacity', () => {
  it('answers up to its capacity in a second, refuses the rest without counting them, and answers again as the window drains', async () => {
    const clock = createManualClock(1_000);
    const capacity = new QueryCapacity(5, clock);
    expect(admitted(capacity, 8)).toBe(5);
    await clock.advance(500);
    expect(admitted(capacity, 100)).toBe(0);
    await clock.advance(600);
    expect(admitted(capacity, 8)).toBe(5);
    await clock.advance(1_100);
    expect(admitted(capacity, 3)).toBe(3);
  });

  it('answers every query without a capacity', () => {
    expect(admitted(queryAdmission(undefined, createManualClock()), 10_000)).toBe(10_000);
    expect(admitted(queryAdmission(3, createManualClock()), 10)).toBe(3);
  });

  it('is off by default in the service config and refuses a capacity that is not a whole number of at least 1', () => {
    expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, { secret }).queryCapacity).toBeUndefined();
    expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, { secret, queryCapacity: 40 }).queryCapacity).toBe(40);
    for (const queryCapacity of [0, 2.5, 2e6]) {
      expect(() => parseRoleConfig('offline-messages', offlineMessagesConfigSchema, { secret, queryCapacity })).toThrow(/queryCapacity/);
    }
  });
});

describe('the offline-messages service with a query capacity', () => {
  let service: RunningOfflineMessages | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  const fetch = (i: number) => ({ v: 1, type: 'fetch', requestId: `f${i}`, userId: 'u1', token: authToken(secret, 'u1') });

  it('answers the queries beyond its capacity with a busy error frame and counts answered and refused queries in /status', async () => {
    service = await startOfflineMessagesService(serviceEnv('offline-messages', 'offline', 0, { secret, queryCapacity: 3 }));
    const running = service;
    const socket = await RawSocket.open(running.port);
    for (let i = 0; i < 5; i += 1) socket.send(fetch(i));
    await waitFor(() => socket.replies.length === 5, 2_000, 'five answers');
    expect(socket.replies.filter((reply) => reply['type'] === 'messages')).toHaveLength(3);
    const errors = socket.replies.filter((reply) => reply['type'] === 'error');
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'busy', message: 'offline store over its query capacity (3 a second); try again later', requestId: expect.stringMatching(/^f\d$/) });
    }
    expect(running.status().counters).toMatchObject({ fetches: 3, fetchesOverCapacity: 2 });
    // The window drains: the store answers again.
    await new Promise((resolve) => setTimeout(resolve, 1_150));
    socket.send(fetch(9));
    expect(await socket.next((reply) => reply['requestId'] === 'f9')).toMatchObject({ type: 'messages' });
    expect(running.status().counters).toMatchObject({ fetches: 4, fetchesOverCapacity: 2 });
    socket.close();
  });

  it('answers every query, as before, without a capacity', async () => {
    service = await startOfflineMessagesService(serviceEnv('offline-messages', 'offline', 0, { secret }));
    const running = service;
    const socket = await RawSocket.open(running.port);
    for (let i = 0; i < 200; i += 1) socket.send(fetch(i));
    await waitFor(() => socket.replies.length === 200, 3_000, 'two hundred answers');
    expect(socket.replies.every((reply) => reply['type'] === 'messages')).toBe(true);
    expect(running.status().counters).toMatchObject({ fetches: 200, fetchesOverCapacity: 0 });
    socket.close();
  });
});
