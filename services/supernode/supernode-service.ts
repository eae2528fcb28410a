import type { WebSocket } from 'ws';
import type { ServiceEnvironment } from '../common/service-env.js';
import { parseRoleConfig } from '../common/service-env.js';
import { createMetricsRegistry, startControlServer } from '../common/control-server.js';
import type { RunningService } from '../common/running-service.js';
import type { ProcessHooks } from '../common/process-hooks.js';
import { systemClock, type Clock } from '../common/clock.js';
import { StatusCounters, StatusGauges } from '../common/status-metrics.js';
import { PendingRequests } from '../common/timeout-map.js';
import { closeWs, listenWs, listeningPort } from '../common/ws-server.js';
import { nodeStatus } from '../common/node-status.js';
import { stopControlServer } from '../common/stop-control-server.js';
import { NodeExitCode } from '../protocol/exit-codes.js';
import type { SupernodeStatus } from '../protocol/status.js';
import { supernodeInbound, type LoginToSupernode, type SupernodeInbound } from '../protocol/frames.js';
import { createFrameDecoder, decodeOrReject, sendError, sendFrame } from '../protocol/frame-codec.js';
import { CloseCode, ErrorCode } from '../protocol/error-codes.js';
import { authToken, supernodeSubject, verifyToken } from '../protocol/auth-token.js';
import { supernodeConfigSchema } from './supernode-config.js';
import { LoadMeter, OverloadGuard } from './overload-guard.js';
import { OverlayNetwork } from './overlay-network.js';
import { LoginLink } from './login-link.js';
import { EventLoopLag } from '../common/event-loop-lag.js';
import { startEmbeddedClient, type EmbeddedClient } from './embedded-client.js';

const decoder = createFrameDecoder(supernodeInbound);
const counterNames = [
  'lookupsServed',
  'overlayLookupsServed',
  'registrations',
  'registrationsRejected',
  'registrationsRefusedOverloaded',
  'selfProtectShutdowns',
  'requests',
  'badFrames',
  'sessionsExpired',
  'imsDeliveredLocal',
  'imsForwarded',
  'imsUndeliverable',
  'connectionsOffered',
] as const;

type SupernodeState = SupernodeStatus['state'];

interface Connection {
  readonly socket: WebSocket;
  readonly openedAt: number;
  kind: 'new' | 'client' | 'overlay';
  userId: string;
  lastHeartbeat: number;
}

export interface RunningSupernode extends RunningService {
  readonly port: number;
  status(): SupernodeStatus;
  readonly state: SupernodeState;
  readonly embedded: EmbeddedClient | undefined;
}

/** A supernode: client sessions, presence, overlay lookups and IM forwarding, capacity and self-protection. */
export async function startSupernodeService(env: ServiceEnvironment, hooks: ProcessHooks, clock: Clock = systemClock): Promise<RunningSupernode> {
  const config = parseRoleConfig('supernode', supernodeConfigSchema, env.config);
  const startedAt = Date.now();
  const registry = createMetricsRegistry({ node: env.name, role: env.role });
  const counters = new StatusCounters(registry, 'chaos_supernode', counterNames);
  const meter = new LoadMeter(clock, config.capacity, config.loadWindowMs);
  const guard = new OverloadGuard(clock, config.overloadThreshold, config.overloadGraceMs);
  const lag = new EventLoopLag();
  const ownToken = authToken(config.secret, supernodeSubject(env.name));
  const overlay = new OverlayNetwork({ selfName: env.name, token: ownToken, timeoutMs: config.overlayTimeoutMs, clock });
  const sessions = new Map<string, Connection>();
  const connections = new Set<Connection>();
  const imAcks = new PendingRequests<true>();
  let state: SupernodeState = config.mode === 'peer' && config.standby ? 'standby' : 'joining';
  let registeredWithLogin = false;
  let rejoinTimer: NodeJS.Timeout | undefined;

  const becomeJoining = (): void => {
    state = 'joining';
    console.log(`[${env.name}] joining: serving in ${config.rejoinDelayMs} ms`);
    rejoinTimer = setTimeout(() => {
      if (state !== 'joining') return;
      state = 'serving';
      console.log(`[${env.name}] serving`);
    }, config.rejoinDelayMs);
  };

  const registerWithLogin = (): void => {
    loginLink.send({
      type: 'sn-register',
      name: env.name,
      token: ownToken,
      clientAddress: config.clientAddress,
      overlayAddress: config.overlayAddress,
      mode: config.mode,
      capacity: { sessions: config.capacity.sessions, requestsPerSecond: config.capacity.requestsPerSecond },
      state,
    });
  };
  const helloLogin = (): void => {
    loginLink.send({
      type: 'peer-hello',
      name: env.name,
      token: ownToken,
      publicAddress: config.publicAddress,
      bandwidthKbps: config.bandwidthKbps,
      uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
    });
  };
  const onLoginFrame = (frame: LoginToSupernode): void => {
    switch (frame.type) {
      case 'sn-registered':
        registeredWithLogin = true;
        overlay.setPeers(frame.peers);
        return;
      case 'sn-peers':
        overlay.setPeers(frame.peers);
        return;
      case 'promote':
        if (state !== 'standby') return;
        console.log(`[${env.name}] promoted to supernode by login`);
        becomeJoining();
        registerWithLogin();
        return;
      case 'error':
        if (frame.code === ErrorCode.notRegistered) registeredWithLogin = false;
        console.error(`[${env.name}] login says ${frame.code}: ${frame.message}`);
        return;
    }
  };
  const loginLink = new LoginLink(config.loginAddress, config.overlayTimeoutMs * 2, {
    onOpen: () => {
      registeredWithLogin = false;
      if (state === 'standby') helloLogin();
      else if (state !== 'shutting-down') registerWithLogin();
    },
    onFrame: onLoginFrame,
  });

  const load = (): number => meter.load(sessions.size);

  const deliverLocal = async (to: string, im: { messageId: string; from: string; body: string }): Promise<boolean> => {
    const session = sessions.get(to);
    if (session === undefined || !sendFrame(session.socket, { type: 'im', ...im })) return false;
    const acked = await imAcks.wait(`${to}\n${im.messageId}`, config.imAckTimeoutMs);
    return acked === true;
  };

  const handleClientFrame = async (connection: Connection, frame: SupernodeInbound): Promise<void> => {
    const socket = connection.socket;
    switch (frame.type) {
      case 'heartbeat':
        connection.lastHeartbeat = clock.now();
        sendFrame(socket, { type: 'heartbeat-ack', seq: frame.seq });
        return;
      case 'lookup': {
        counters.inc('lookupsServed');
        if (sessions.has(frame.userId)) {
          sendFrame(socket, { type: 'lookup-result', requestId: frame.requestId, found: true, supernode: env.name, complete: true });
          return;
        }
        const outcome = await overlay.lookup(frame.userId);
        sendFrame(socket, {
          type: 'lookup-result',
          requestId: frame.requestId,
          found: outcome.found !== undefined,
          ...(outcome.found === undefined ? {} : { supernode: outcome.found }),
          complete: outcome.complete,
        });
        return;
      }
      case 'send-im': {
        const im = { messageId: frame.messageId, from: connection.userId, body: frame.body };
        let delivered: boolean;
        let reason: 'offline' | 'unreachable' = 'offline';
        if (sessions.has(frame.to)) {
          delivered = await deliverLocal(frame.to, im);
          if (delivered) counters.inc('imsDeliveredLocal');
        } else {
          const outcome = await overlay.lookup(frame.to);
          delivered = outcome.found !== undefined && (await overlay.deliver(outcome.found, { ...im, to: frame.to }));
          if (outcome.found !== undefined || !outcome.complete) reason = 'unreachable';
          if (delivered) counters.inc('imsForwarded');
        }
        if (delivered) {
          sendFrame(socket, { type: 'im-accepted', messageId: frame.messageId, via: 'direct' });
        } else {
          counters.inc('imsUndeliverable');
          sendFrame(socket, { type: 'im-undeliverable', messageId: frame.messageId, reason });
        }
        return;
      }
      case 'im-ack':
        imAcks.resolve(`${connection.userId}\n${frame.messageId}`, true);
        return;
      default:
        sendError(socket, ErrorCode.badFrame, `${frame.type} is not allowed on a client session`);
    }
  };

  const handleOverlayFrame = async (connection: Connection, frame: SupernodeInbound): Promise<void> => {
    const socket = connection.socket;
    switch (frame.type) {
      case 'overlay-lookup':
        counters.inc('overlayLookupsServed');
        sendFrame(socket, { type: 'overlay-lookup-result', requestId: frame.requestId, found: state === 'serving' && sessions.has(frame.userId) });
        return;
      case 'overlay-deliver': {
        const delivered = await deliverLocal(frame.to, { messageId: frame.messageId, from: frame.from, body: frame.body });
        if (delivered) counters.inc('imsDeliveredLocal');
        sendFrame(socket, { type: 'overlay-deliver-result', requestId: frame.requestId, delivered });
        return;
      }
      default:
        sendError(socket, ErrorCode.badFrame, `${frame.type} is not allowed on an overlay link`, 'requestId' in frame ? frame.requestId : undefined);
    }
  };

  const handleNewFrame = (connection: Connection, frame: SupernodeInbound): void => {
    const socket = connection.socket;
    switch (frame.type) {
      case 'register': {
        if (state !== 'serving') {
          counters.inc('registrationsRejected');
          sendError(socket, ErrorCode.notReady, `supernode is ${state}`);
          socket.close(CloseCode.tryAgainLater, 'not ready');
          return;
        }
        if (!verifyToken(config.secret, frame.userId, frame.token)) {
          counters.inc('registrationsRejected');
          sendError(socket, ErrorCode.unauthorized, `wrong token for ${frame.userId}`);
          socket.close(CloseCode.policy, 'unauthorized');
          return;
        }
        const previous = sessions.get(frame.userId);
        if (previous === undefined && sessions.size >= config.capacity.sessions) {
          counters.inc('registrationsRejected');
          sendError(socket, ErrorCode.busy, `supernode is full (${config.capacity.sessions} sessions)`);
          socket.close(CloseCode.tryAgainLater, 'busy');
          return;
        }
        if (previous === undefined && config.admission === 'refuse-while-overloaded' && load() > config.overloadThreshold) {
          counters.inc('registrationsRejected');
          counters.inc('registrationsRefusedOverloaded');
          sendError(socket, ErrorCode.busy, `supernode is overloaded (load ${load().toFixed(2)})`);
          socket.close(CloseCode.tryAgainLater, 'overloaded');
          return;
        }
        if (previous !== undefined) previous.socket.close(CloseCode.policy, 'replaced by a newer session');
        connection.kind = 'client';
        connection.userId = frame.userId;
        connection.lastHeartbeat = clock.now();
        sessions.set(frame.userId, connection);
        counters.inc('registrations');
        sendFrame(socket, { type: 'registered', supernode: env.name });
        return;
      }
      case 'overlay-hello':
        if (!verifyToken(config.secret, supernodeSubject(frame.name), frame.token)) {
          sendError(socket, ErrorCode.unauthorized, `wrong token for supernode ${frame.name}`);
          socket.close(CloseCode.policy, 'unauthorized');
          return;
        }
        connection.kind = 'overlay';
        connection.userId = frame.name;
        sendFrame(socket, { type: 'overlay-welcome', name: env.name });
        return;
      default:
        sendError(socket, ErrorCode.notRegistered, `send register (or overlay-hello) before ${frame.type}`, 'requestId' in frame ? frame.requestId : undefined);
    }
  };

  const wss = await listenWs(env.bindHost, env.servicePort, (socket) => {
    const connection: Connection = { socket, openedAt: clock.now(), kind: 'new', userId: '', lastHeartbeat: 0 };
    connections.add(connection);
    // A connection attempt is offered load too, whether or not it ends in a session.
    meter.recordRequest();
    counters.inc('connectionsOffered');
    socket.on('message', (data) => {
      meter.recordRequest();
      counters.inc('requests');
      const frame = decodeOrReject(socket, decoder, data, () => counters.inc('badFrames'));
      if (frame === undefined) return;
      if (state === 'standby' || state === 'shutting-down') {
        sendError(socket, ErrorCode.notReady, `supernode is ${state}`, 'requestId' in frame ? frame.requestId : undefined);
        return;
      }
      const work =
        connection.kind === 'client'
          ? handleClientFrame(connection, frame)
          : connection.kind === 'overlay'
            ? handleOverlayFrame(connection, frame)
            : Promise.resolve(handleNewFrame(connection, frame));
      work.catch((error: unknown) => {
        console.error(`[${env.name}] frame handling failed: ${String(error)}`);
        sendError(socket, ErrorCode.internal, 'internal error');
      });
    });
    socket.on('close', () => {
      connections.delete(connection);
      if (connection.kind === 'client' && sessions.get(connection.userId) === connection) sessions.delete(connection.userId);
    });
  });

  const shutDownForProtection = (reason: string): void => {
    state = 'shutting-down';
    counters.inc('selfProtectShutdowns');
    console.error(`[${env.name}] self-protection: ${reason}; shutting down (exit ${NodeExitCode.selfProtection})`);
    loginLink.send({ type: 'sn-heartbeat', load: load(), sessions: sessions.size, state });
    for (const socket of wss.clients) socket.close(CloseCode.tryAgainLater, 'supernode overloaded: self-protection');
    setTimeout(() => hooks.exit(NodeExitCode.selfProtection, `self-protection: ${reason}`), 100);
  };

  const loadTimer = setInterval(() => {
    if (state !== 'joining' && state !== 'serving') return;
    const verdict = guard.observe(load());
    if (verdict.trip) shutDownForProtection(verdict.reason);
  }, config.loadCheckMs);

  const sweepTimer = setInterval(() => {
    const now = clock.now();
    for (const connection of connections) {
      if (connection.kind === 'client' && now - connection.lastHeartbeat > config.sessionTimeoutMs) {
        counters.inc('sessionsExpired');
        connection.socket.close(CloseCode.goingAway, 'heartbeat timeout');
        if (sessions.get(connection.userId) === connection) sessions.delete(connection.userId);
      } else if (connection.kind === 'new' && now - connection.openedAt > config.registerTimeoutMs) {
        connection.socket.close(CloseCode.policy, 'no register in time');
      }
    }
  }, Math.min(500, config.sessionTimeoutMs / 2));

  const loginTimer = setInterval(() => {
    if (!loginLink.connected || state === 'shutting-down') return;
    if (state === 'standby') helloLogin();
    else if (!registeredWithLogin) registerWithLogin();
    else loginLink.send({ type: 'sn-heartbeat', load: load(), sessions: sessions.size, state });
  }, config.loginHeartbeatMs);

  if (state === 'joining') becomeJoining();
  loginLink.start();
  const embedded =
    config.client === undefined
      ? undefined
      : startEmbeddedClient(config.client, env.name, registry, clock, (reason) => {
          console.error(`[${env.name}] client software crashed: ${reason} (exit ${NodeExitCode.clientBugCrash})`);
          hooks.exit(NodeExitCode.clientBugCrash, `client crash: ${reason}`);
        });

  const gauges = new StatusGauges(registry, 'chaos_supernode', {
    sessions: () => sessions.size,
    capacitySessions: () => config.capacity.sessions,
    requestRate: () => meter.requestRate(),
    capacityRequestRate: () => config.capacity.requestsPerSecond,
    load,
    serving: () => (state === 'serving' ? 1 : 0),
    overlayPeers: () => overlay.size,
    connections: () => connections.size,
    embeddedClientOnline: () => (embedded?.client.state === 'online' ? 1 : 0),
    eventLoopLagP99Seconds: () => lag.p99Ms / 1_000,
  });
  const status = (): SupernodeStatus => ({
    ...nodeStatus({ role: 'supernode', name: env.name, ready: state === 'serving', startedAt, counters: counters.snapshot(), gauges: gauges.snapshot() }),
    role: 'supernode',
    mode: config.mode,
    state,
    ...(config.client === undefined ? {} : { clientVersion: config.client.clientVersion }),
  });
  const control = await startControlServer({ host: env.bindHost, port: env.controlPort, registry, status, ...(embedded === undefined ? {} : { ledger: (after: number) => embedded.ledger.document(env.name, after) }) });

  return {
    port: listeningPort(wss),
    status,
    get state() {
      return state;
    },
    embedded,
    async close() {
      state = 'shutting-down';
      clearInterval(loadTimer);
      clearInterval(sweepTimer);
      clearInterval(loginTimer);
      lag.stop();
      if (rejoinTimer !== undefined) clearTimeout(rejoinTimer);
      embedded?.stop();
      imAcks.failAll();
      overlay.close();
      loginLink.close();
      await closeWs(wss, 'supernode shutting down');
      await stopControlServer(control);
    },
  };
}
