import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { systemClock } from '../../../services/common/clock.js';
import { sendFrame } from '../../../services/protocol/frame-codec.js';
import { dialOfflineShards, type StartupShards } from '../../../services/supernode/offline-shards.js';
import { freeLoopbackPort } from '../../../harness/platform/free-port.js';
import { waitFor } from './local-network.js';

interface SlowStore {
  readonly address: string;
  /** Handshakes begun: one per dial. */
  readonly dials: () => number;
  readonly links: () => number;
  readonly close: () => Promise<void>;
}

/** A store whose WebSocket handshake takes `handshakeMs`, answering every query with an empty page. */
async function slowHandshakeStore(handshakeMs: number): Promise<SlowStore> {
  const port = await freeLoopbackPort();
  let dials = 0;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port,
    verifyClient: (_info, done) => {
      dials += 1;
      setTimeout(() => done(true), handshakeMs);
    },
  });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const { requestId } = JSON.parse(String(data)) as { requestId: string };
      sendFrame(socket, { type: 'messages', requestId, items: [], more: false });
    });
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  return {
    address: `127.0.0.1:${port}`,
    dials: () => dials,
    links: () => wss.clients.size,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

const queryWithin = (shards: StartupShards, ms: number) => shards.query(0, 'u1', 'token', systemClock.now() + ms);

describe("a supernode's links to the offline stores", () => {
  let store: SlowStore | undefined;
  let shards: StartupShards | undefined;
  afterEach(async () => {
    shards?.close();
    await store?.close();
    store = undefined;
    shards = undefined;
  });

  it('dials every store as it starts, before any query', async () => {
    store = await slowHandshakeStore(0);
    const linked = store;
    shards = dialOfflineShards([linked.address], systemClock);
    await waitFor(() => linked.links() === 1, 2_000, 'the link to the store');
    expect(linked.dials()).toBe(1);
  });

  it('keeps dialling after a query gives up on a slow handshake, and the next queries use that one link', async () => {
    store = await slowHandshakeStore(400);
    const slow = store;
    const links = dialOfflineShards([slow.address], systemClock);
    shards = links;
    // Each query waits 50 ms; the handshake takes 400. A dial bound to a query's deadline would never finish.
    for (let attempt = 0; attempt < 3; attempt += 1) expect(await queryWithin(links, 50)).toBeUndefined();
    await waitFor(() => slow.links() === 1, 2_000, 'the handshake to finish');
    expect(await queryWithin(links, 1_000)).toMatchObject({ type: 'messages', items: [] });
    expect(await queryWithin(links, 1_000)).toMatchObject({ type: 'messages' });
    expect(slow.dials()).toBe(1);
  });

  it('answers nothing for a store that refuses the connection, within the query deadline', async () => {
    const refused = `127.0.0.1:${await freeLoopbackPort()}`;
    shards = dialOfflineShards([refused], systemClock);
    const started = systemClock.now();
    expect(await queryWithin(shards, 300)).toBeUndefined();
    expect(systemClock.now() - started).toBeLessThan(2_000);
  });
});
