import { z } from 'zod';
import {
  addressField,
  bodyField,
  clientVersionField,
  countField,
  errorFrameSchema,
  frameSchema,
  hostEntrySchema,
  MAX_ACK_IDS,
  MAX_FETCH_ITEMS,
  MAX_HOST_CACHE,
  messageIdField,
  nodeNameField,
  overlayPeerSchema,
  rateField,
  requestIdField,
  supernodeModeField,
  supernodeStateField,
  tokenField,
  userIdField,
} from './frame-fields.js';

// client -> login
export const loginFrame = frameSchema('login', { userId: userIdField, token: tokenField, clientVersion: clientVersionField });
export const hostCacheRequestFrame = frameSchema('host-cache-request', {});
// supernode / standby peer -> login
export const snRegisterFrame = frameSchema('sn-register', {
  name: nodeNameField,
  token: tokenField,
  clientAddress: addressField,
  overlayAddress: addressField,
  mode: supernodeModeField,
  capacity: z.object({ sessions: countField, requestsPerSecond: rateField }),
  state: supernodeStateField,
  /** Numbers a supernode's registrations on one link; login echoes it, so a late answer to an abandoned one is told apart. */
  attempt: countField.optional(),
});
export const snHeartbeatFrame = frameSchema('sn-heartbeat', {
  load: z.number().min(0).max(1e6),
  sessions: countField,
  state: supernodeStateField,
  /** Numbers a supernode's heartbeats when it waits for each answer; login echoes it in its `sn-peers`. */
  seq: countField.optional(),
});
export const peerHelloFrame = frameSchema('peer-hello', {
  name: nodeNameField,
  token: tokenField,
  publicAddress: z.boolean(),
  bandwidthKbps: countField,
  uptimeSeconds: countField,
});
// login -> client
export const loginOkFrame = frameSchema('login-ok', { hostCache: z.array(hostEntrySchema).max(MAX_HOST_CACHE) });
export const hostCacheFrame = frameSchema('host-cache', { entries: z.array(hostEntrySchema).max(MAX_HOST_CACHE) });
// login -> supernode / standby peer
export const snRegisteredFrame = frameSchema('sn-registered', { peers: z.array(overlayPeerSchema).max(1024), attempt: countField.optional() });
/** The `requestId` of an error frame answering the `sn-register` of this attempt. */
export const registrationRequestId = (attempt: number): string => `sn-register-${attempt}`;
/** Login's answer to an `sn-heartbeat`: the membership list, with the heartbeat's `seq` when it carried one. */
export const snPeersFrame = frameSchema('sn-peers', { peers: z.array(overlayPeerSchema).max(1024), seq: countField.optional() });
export const promoteFrame = frameSchema('promote', {});

// client -> supernode
export const registerFrame = frameSchema('register', { userId: userIdField, token: tokenField, clientVersion: clientVersionField });
export const heartbeatFrame = frameSchema('heartbeat', { seq: countField });
export const lookupFrame = frameSchema('lookup', { requestId: requestIdField, userId: userIdField });
export const sendImFrame = frameSchema('send-im', { messageId: messageIdField, to: userIdField, body: bodyField });
export const imAckFrame = frameSchema('im-ack', { messageId: messageIdField });
// supernode -> client
export const registeredFrame = frameSchema('registered', { supernode: nodeNameField });
export const heartbeatAckFrame = frameSchema('heartbeat-ack', { seq: countField });
export const lookupResultFrame = frameSchema('lookup-result', {
  requestId: requestIdField,
  found: z.boolean(),
  supernode: nodeNameField.optional(),
  /** False when some overlay peers did not answer: a negative answer is then not authoritative. */
  complete: z.boolean(),
});
export const imFrame = frameSchema('im', { messageId: messageIdField, from: userIdField, body: bodyField });
export const imAcceptedFrame = frameSchema('im-accepted', { messageId: messageIdField, via: z.literal('direct') });
export const imUndeliverableFrame = frameSchema('im-undeliverable', { messageId: messageIdField, reason: z.enum(['offline', 'unreachable']) });

// supernode -> supernode (overlay), requests and replies
export const overlayHelloFrame = frameSchema('overlay-hello', { name: nodeNameField, token: tokenField });
export const overlayLookupFrame = frameSchema('overlay-lookup', { requestId: requestIdField, userId: userIdField });
export const overlayDeliverFrame = frameSchema('overlay-deliver', {
  requestId: requestIdField,
  messageId: messageIdField,
  from: userIdField,
  to: userIdField,
  body: bodyField,
});
export const overlayWelcomeFrame = frameSchema('overlay-welcome', { name: nodeNameField });
export const overlayLookupResultFrame = frameSchema('overlay-lookup-result', { requestId: requestIdField, found: z.boolean() });
export const overlayDeliverResultFrame = frameSchema('overlay-deliver-result', { requestId: requestIdField, delivered: z.boolean() });

// client -> offline-messages
export const storeFrame = frameSchema('store', {
  requestId: requestIdField,
  messageId: messageIdField,
  from: userIdField,
  to: userIdField,
  body: bodyField,
});
export const fetchFrame = frameSchema('fetch', { requestId: requestIdField, userId: userIdField, token: tokenField });
export const ackFrame = frameSchema('ack', {
  requestId: requestIdField,
  userId: userIdField,
  token: tokenField,
  messageIds: z.array(messageIdField).min(1).max(MAX_ACK_IDS),
});
// offline-messages -> client
export const offlineItemSchema = z.object({ messageId: messageIdField, from: userIdField, body: bodyField });
export const storedFrame = frameSchema('stored', { requestId: requestIdField, messageId: messageIdField, duplicate: z.boolean() });
export const messagesFrame = frameSchema('messages', {
  requestId: requestIdField,
  items: z.array(offlineItemSchema).max(MAX_FETCH_ITEMS),
  more: z.boolean(),
});
export const ackedFrame = frameSchema('acked', { requestId: requestIdField, deleted: countField });

/** What each server accepts and what each dialler accepts back. */
export const loginInbound = z.discriminatedUnion('type', [loginFrame, hostCacheRequestFrame, snRegisterFrame, snHeartbeatFrame, peerHelloFrame]);
export const loginToClient = z.discriminatedUnion('type', [loginOkFrame, hostCacheFrame, errorFrameSchema]);
export const loginToSupernode = z.discriminatedUnion('type', [snRegisteredFrame, snPeersFrame, promoteFrame, errorFrameSchema]);
export const supernodeInbound = z.discriminatedUnion('type', [
  registerFrame,
  heartbeatFrame,
  lookupFrame,
  sendImFrame,
  imAckFrame,
  overlayHelloFrame,
  overlayLookupFrame,
  overlayDeliverFrame,
]);
export const supernodeToClient = z.discriminatedUnion('type', [
  registeredFrame,
  heartbeatAckFrame,
  lookupResultFrame,
  imFrame,
  imAcceptedFrame,
  imUndeliverableFrame,
  errorFrameSchema,
]);
export const overlayReply = z.discriminatedUnion('type', [overlayWelcomeFrame, overlayLookupResultFrame, overlayDeliverResultFrame, errorFrameSchema]);
export const offlineInbound = z.discriminatedUnion('type', [storeFrame, fetchFrame, ackFrame]);
export const offlineToClient = z.discriminatedUnion('type', [storedFrame, messagesFrame, ackedFrame, errorFrameSchema]);

export type LoginInbound = z.infer<typeof loginInbound>;
export type LoginToClient = z.infer<typeof loginToClient>;
export type LoginToSupernode = z.infer<typeof loginToSupernode>;
export type SupernodeInbound = z.infer<typeof supernodeInbound>;
export type SupernodeToClient = z.infer<typeof supernodeToClient>;
export type OverlayReply = z.infer<typeof overlayReply>;
export type OfflineInbound = z.infer<typeof offlineInbound>;
export type OfflineToClient = z.infer<typeof offlineToClient>;
/** Any frame a party may send, without the envelope's version (added when encoding). */
export type Outbound<F extends { v: 1 }> = F extends unknown ? Omit<F, 'v'> : never;
export type AnyFrame = LoginInbound | LoginToClient | LoginToSupernode | SupernodeInbound | SupernodeToClient | OverlayReply | OfflineInbound | OfflineToClient;
