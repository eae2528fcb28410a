import { sendError, sendFrame } from '../protocol/frame-codec.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { SupernodeInbound } from '../protocol/frames.js';
import { deliverLocal } from './client-sessions.js';
import type { Connection, SupernodeCore } from './supernode-core.js';

/** An overlay link from another supernode: lookups of users registered here, and IMs for them. */
export async function handleOverlayFrame(core: SupernodeCore, connection: Connection, frame: SupernodeInbound): Promise<void> {
  const socket = connection.socket;
  switch (frame.type) {
    case 'overlay-lookup':
      core.counters.inc('overlayLookupsServed');
      sendFrame(socket, { type: 'overlay-lookup-result', requestId: frame.requestId, found: core.state === 'serving' && core.sessions.has(frame.userId) });
      return;
    case 'overlay-deliver': {
      const delivered = await deliverLocal(core, frame.to, { messageId: frame.messageId, from: frame.from, body: frame.body });
      if (delivered) core.counters.inc('imsDeliveredLocal');
      sendFrame(socket, { type: 'overlay-deliver-result', requestId: frame.requestId, delivered });
      return;
    }
    default:
      sendError(socket, ErrorCode.badFrame, `${frame.type} is not allowed on an overlay link`, 'requestId' in frame ? frame.requestId : undefined);
  }
}
