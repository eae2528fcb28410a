import type { WebSocket } from 'ws';
import { supernodeInbound, type SupernodeInbound } from '../protocol/frames.js';
import { createFrameDecoder, decodeOrReject, sendError, sendFrame } from '../protocol/frame-codec.js';
import { CloseCode, ErrorCode, type ErrorCodeName } from '../protocol/error-codes.js';
import { supernodeSubject, verifyToken } from '../protocol/auth-token.js';
import { handleClientFrame } from './client-sessions.js';
import { handleOverlayFrame } from './overlay-links.js';
import type { Connection, SupernodeCore } from './supernode-core.js';

const decoder = createFrameDecoder(supernodeInbound);

type RegisterFrame = Extract<SupernodeInbound, { type: 'register' }>;
type OverlayHelloFrame = Extract<SupernodeInbound, { type: 'overlay-hello' }>;

/** A new inbound connection: every attempt and every frame is offered load; frames go to the conversation the connection holds. */
export function acceptConnection(core: SupernodeCore, socket: WebSocket): void {
  const connection: Connection = { socket, openedAt: core.clock.now(), kind: 'new', userId: '', lastHeartbeat: 0 };
  core.connections.add(connection);
  // A connection attempt is offered load too, whether or not it ends in a session. What another
  // supernode sends (opening an overlay link, flooding a lookup) is mesh upkeep, not offered load:
  // counting it would make a lookup cost as many requests as there are supernodes.
  core.counters.inc('connectionsOffered');
  let attemptCounted = false;
  const countAttempt = (): void => {
    if (attemptCounted) return;
    attemptCounted = true;
    core.meter.recordRequest();
  };
  socket.on('message', (data) => {
    core.counters.inc('requests');
    const frame = decodeOrReject(socket, decoder, data, () => core.counters.inc('badFrames'));
    if (connection.kind === 'overlay' || (connection.kind === 'new' && frame?.type === 'overlay-hello')) {
      attemptCounted = true;
    } else {
      countAttempt();
      core.meter.recordRequest();
    }
    if (frame === undefined) return;
    if (core.state === 'standby' || core.state === 'shutting-down') {
      sendError(socket, ErrorCode.notReady, `supernode is ${core.state}`, 'requestId' in frame ? frame.requestId : undefined);
      return;
    }
    const work =
      connection.kind === 'client'
        ? handleClientFrame(core, connection, frame)
        : connection.kind === 'overlay'
          ? handleOverlayFrame(core, connection, frame)
          : Promise.resolve(handleNewFrame(core, connection, frame));
    work.catch((error: unknown) => {
      console.error(`[${core.name}] frame handling failed: ${String(error)}`);
      sendError(socket, ErrorCode.internal, 'internal error');
    });
  });
  socket.on('close', () => {
    countAttempt();
    core.connections.delete(connection);
    if (connection.kind === 'client' && core.sessions.get(connection.userId) === connection) core.sessions.delete(connection.userId);
  });
}

/** Before it is anything: a client registers, or another supernode says hello. */
function handleNewFrame(core: SupernodeCore, connection: Connection, frame: SupernodeInbound): Promise<void> | undefined {
  switch (frame.type) {
    case 'register':
      return register(core, connection, frame);
    case 'overlay-hello':
      overlayHello(core, connection, frame);
      return undefined;
    default:
      sendError(connection.socket, ErrorCode.notRegistered, `send register (or overlay-hello) before ${frame.type}`, 'requestId' in frame ? frame.requestId : undefined);
      return undefined;
  }
}

/** Turns a registration away: the client hears why and tries elsewhere (or later). */
function refuse(core: SupernodeCore, socket: WebSocket, code: ErrorCodeName, message: string, closeCode: number, closeReason: string): void {
  core.counters.inc('registrationsRejected');
  sendError(socket, code, message);
  socket.close(closeCode, closeReason);
}

/**
 * Admission: serving, the right token, a free slot and (with `refuse-while-overloaded`) load under
 * the threshold; with a start-up cache, the client's state too. A newer session replaces an older one.
 */
async function register(core: SupernodeCore, connection: Connection, frame: RegisterFrame): Promise<void> {
  const { config, counters, sessions } = core;
  const socket = connection.socket;
  if (core.state !== 'serving') {
    refuse(core, socket, ErrorCode.notReady, `supernode is ${core.state}`, CloseCode.tryAgainLater, 'not ready');
    return;
  }
  if (!verifyToken(config.secret, frame.userId, frame.token)) {
    refuse(core, socket, ErrorCode.unauthorized, `wrong token for ${frame.userId}`, CloseCode.policy, 'unauthorized');
    return;
  }
  if (sessions.get(frame.userId) === undefined && sessions.size >= config.capacity.sessions) {
    refuse(core, socket, ErrorCode.busy, `supernode is full (${config.capacity.sessions} sessions)`, CloseCode.tryAgainLater, 'busy');
    return;
  }
  if (sessions.get(frame.userId) === undefined && config.admission === 'refuse-while-overloaded' && core.loadNow() > config.overloadThreshold) {
    counters.inc('registrationsRefusedOverloaded');
    refuse(core, socket, ErrorCode.busy, `supernode is overloaded (load over the last second ${core.loadNow().toFixed(2)})`, CloseCode.tryAgainLater, 'overloaded');
    return;
  }
  if (core.startup !== undefined && !(await stateRead(core, socket, frame))) return;
  const previous = sessions.get(frame.userId);
  if (previous !== undefined) previous.socket.close(CloseCode.policy, 'replaced by a newer session');
  connection.kind = 'client';
  connection.userId = frame.userId;
  connection.lastHeartbeat = core.clock.now();
  sessions.set(frame.userId, connection);
  counters.inc('registrations');
  sendFrame(socket, { type: 'registered', supernode: core.name });
}

/** With a start-up cache: whether the client's state was read and the client still waits for its answer. */
async function stateRead(core: SupernodeCore, socket: WebSocket, frame: RegisterFrame): Promise<boolean> {
  const state = await core.startup?.stateOf(frame.userId, frame.token);
  if (state === undefined) {
    refuse(core, socket, ErrorCode.timeout, 'start-up query failed: an offline store erred or did not answer in time', CloseCode.tryAgainLater, 'start-up query failed');
    return false;
  }
  // A client that gave up while its state was read is gone: no session for it (the cache keeps the state).
  return socket.readyState === socket.OPEN && core.state === 'serving';
}

function overlayHello(core: SupernodeCore, connection: Connection, frame: OverlayHelloFrame): void {
  const socket = connection.socket;
  if (!verifyToken(core.config.secret, supernodeSubject(frame.name), frame.token)) {
    sendError(socket, ErrorCode.unauthorized, `wrong token for supernode ${frame.name}`);
    socket.close(CloseCode.policy, 'unauthorized');
    return;
  }
  connection.kind = 'overlay';
  connection.userId = frame.name;
  sendFrame(socket, { type: 'overlay-welcome', name: core.name });
}
