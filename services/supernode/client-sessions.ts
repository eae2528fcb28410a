import type { WebSocket } from 'ws';
import { sendError, sendFrame } from '../protocol/frame-codec.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { SupernodeInbound } from '../protocol/frames.js';
import type { Connection, SupernodeCore } from './supernode-core.js';

type LookupFrame = Extract<SupernodeInbound, { type: 'lookup' }>;
type SendImFrame = Extract<SupernodeInbound, { type: 'send-im' }>;

/** Pushes an IM to a user registered here and waits for its `im-ack`; false when there is no such session or no ack in time. */
export async function deliverLocal(core: SupernodeCore, to: string, im: { messageId: string; from: string; body: string }): Promise<boolean> {
  const session = core.sessions.get(to);
  if (session === undefined || !sendFrame(session.socket, { type: 'im', ...im })) return false;
  const acked = await core.imAcks.wait(`${to}\n${im.messageId}`, core.config.imAckTimeoutMs);
  return acked === true;
}

/** A registered client's session: heartbeats, lookups (here, then across the overlay), IMs and their acks. */
export async function handleClientFrame(core: SupernodeCore, connection: Connection, frame: SupernodeInbound): Promise<void> {
  const socket = connection.socket;
  switch (frame.type) {
    case 'heartbeat':
      connection.lastHeartbeat = core.clock.now();
      sendFrame(socket, { type: 'heartbeat-ack', seq: frame.seq });
      return;
    case 'lookup':
      return lookup(core, socket, frame);
    case 'send-im':
      return sendIm(core, connection, frame);
    case 'im-ack':
      core.imAcks.resolve(`${connection.userId}\n${frame.messageId}`, true);
      return;
    default:
      sendError(socket, ErrorCode.badFrame, `${frame.type} is not allowed on a client session`);
  }
}

async function lookup(core: SupernodeCore, socket: WebSocket, frame: LookupFrame): Promise<void> {
  core.counters.inc('lookupsServed');
  if (core.sessions.has(frame.userId)) {
    sendFrame(socket, { type: 'lookup-result', requestId: frame.requestId, found: true, supernode: core.name, complete: true });
    return;
  }
  const outcome = await core.overlay.lookup(frame.userId);
  sendFrame(socket, {
    type: 'lookup-result',
    requestId: frame.requestId,
    found: outcome.found !== undefined,
    ...(outcome.found === undefined ? {} : { supernode: outcome.found }),
    complete: outcome.complete,
  });
}

/** Delivers here or through the supernode the overlay finds; the sender hears `im-accepted` or `im-undeliverable`. */
async function sendIm(core: SupernodeCore, connection: Connection, frame: SendImFrame): Promise<void> {
  const im = { messageId: frame.messageId, from: connection.userId, body: frame.body };
  let delivered: boolean;
  let reason: 'offline' | 'unreachable' = 'offline';
  if (core.sessions.has(frame.to)) {
    delivered = await deliverLocal(core, frame.to, im);
    if (delivered) core.counters.inc('imsDeliveredLocal');
  } else {
    const outcome = await core.overlay.lookup(frame.to);
    delivered = outcome.found !== undefined && (await core.overlay.deliver(outcome.found, { ...im, to: frame.to }));
    if (outcome.found !== undefined || !outcome.complete) reason = 'unreachable';
    if (delivered) core.counters.inc('imsForwarded');
  }
  if (delivered) {
    sendFrame(connection.socket, { type: 'im-accepted', messageId: frame.messageId, via: 'direct' });
  } else {
    core.counters.inc('imsUndeliverable');
    sendFrame(connection.socket, { type: 'im-undeliverable', messageId: frame.messageId, reason });
  }
}
