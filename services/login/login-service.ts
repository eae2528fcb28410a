import type { WebSocket } from 'ws';
import type { ServiceEnvironment } from '../common/service-env.js';
import { parseRoleConfig } from '../common/service-env.js';
import { createMetricsRegistry, startControlServer } from '../common/control-server.js';
import type { RunningService } from '../common/running-service.js';
import { systemClock, type Clock } from '../common/clock.js';
import { createRandom } from '../common/seeded-random.js';
import { StatusCounters, StatusGauges } from '../common/status-metrics.js';
import { closeWs, listenWs, listeningPort } from '../common/ws-server.js';
import { nodeStatus } from '../common/node-status.js';
import { stopControlServer } from '../common/stop-control-server.js';
import type { NodeStatusBase } from '../protocol/status.js';
import { loginInbound, type LoginInbound } from '../protocol/frames.js';
import { createFrameDecoder, decodeOrReject, sendError, sendFrame } from '../protocol/frame-codec.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { supernodeSubject, verifyToken } from '../protocol/auth-token.js';
import { loginConfigSchema } from './login-config.js';
import { SupernodeDirectory } from './supernode-directory.js';
import { EventLoopLag } from '../common/event-loop-lag.js';

const decoder = createFrameDecoder(loginInbound);
const counterNames = ['frames', 'logins', 'loginsRejected', 'hostCacheRequests', 'promotions', 'supernodeRegistrations', 'badFrames'] as const;

type SessionKind = { kind: 'new' } | { kind: 'client'; userId: string } | { kind: 'supernode'; name: string } | { kind: 'standby'; name: string };

export interface RunningLogin extends RunningService {
  readonly port: number;
  status(): NodeStatusBase;
}

/** The login server: authenticates users, hands out host caches, tracks supernode liveness, promotes standby peers. */
export async function startLoginService(env: ServiceEnvironment, clock: Clock = systemClock): Promise<RunningLogin> {
  const config = parseRoleConfig('login', loginConfigSchema, env.config);
  const startedAt = Date.now();
  const random = createRandom(config.seed);
  const directory = new SupernodeDirectory(config);
  const standbySockets = new Map<string, WebSocket>();
  const registry = createMetricsRegistry({ node: env.name, role: env.role });
  const counters = new StatusCounters(registry, 'chaos_login', counterNames);
  const lag = new EventLoopLag();

  const handle = (socket: WebSocket, session: SessionKind, frame: LoginInbound): SessionKind => {
    const now = clock.now();
    switch (frame.type) {
      case 'login': {
        if (!verifyToken(config.secret, frame.userId, frame.token)) {
          counters.inc('loginsRejected');
          sendError(socket, ErrorCode.unauthorized, `wrong token for ${frame.userId}`);
          return session;
        }
        counters.inc('logins');
        sendFrame(socket, { type: 'login-ok', hostCache: directory.hostCacheFor(frame.userId, random, config.hostCacheSize, now) });
        return { kind: 'client', userId: frame.userId };
      }
      case 'host-cache-request': {
        if (session.kind !== 'client') {
          sendError(socket, ErrorCode.notRegistered, 'log in before asking for a host cache');
          return session;
        }
        counters.inc('hostCacheRequests');
        sendFrame(socket, { type: 'host-cache', entries: directory.hostCacheFor(session.userId, random, config.hostCacheSize, now) });
        return session;
      }
      case 'sn-register': {
        if (!verifyToken(config.secret, supernodeSubject(frame.name), frame.token)) {
          sendError(socket, ErrorCode.unauthorized, `wrong token for supernode ${frame.name}`);
          return session;
        }
        counters.inc('supernodeRegistrations');
        standbySockets.delete(frame.name);
        directory.register(
          { name: frame.name, clientAddress: frame.clientAddress, overlayAddress: frame.overlayAddress, mode: frame.mode, state: frame.state },
          now,
        );
        sendFrame(socket, { type: 'sn-registered', peers: directory.overlayPeers(now, frame.name) });
        return { kind: 'supernode', name: frame.name };
      }
      case 'sn-heartbeat': {
        if (session.kind !== 'supernode' || !directory.heartbeat(session.name, frame, now)) {
          sendError(socket, ErrorCode.notRegistered, 'send sn-register before sn-heartbeat');
          return session;
        }
        sendFrame(socket, { type: 'sn-peers', peers: directory.overlayPeers(now, session.name) });
        return session;
      }
      case 'peer-hello': {
        if (!verifyToken(config.secret, supernodeSubject(frame.name), frame.token)) {
          sendError(socket, ErrorCode.unauthorized, `wrong token for peer ${frame.name}`);
          return session;
        }
        directory.standbyHello(frame, now);
        standbySockets.set(frame.name, socket);
        return { kind: 'standby', name: frame.name };
      }
    }
  };

  const wss = await listenWs(env.bindHost, env.servicePort, (socket) => {
    let session: SessionKind = { kind: 'new' };
    socket.on('message', (data) => {
      counters.inc('frames');
      const frame = decodeOrReject(socket, decoder, data, () => counters.inc('badFrames'));
      if (frame !== undefined) session = handle(socket, session, frame);
    });
    socket.on('close', () => {
      if (session.kind === 'supernode') directory.lost(session.name);
      if (session.kind === 'standby' && standbySockets.get(session.name) === socket) {
        standbySockets.delete(session.name);
        directory.lost(session.name);
      }
    });
  });

  const promotionTimer = setInterval(() => {
    const now = clock.now();
    directory.prune(now);
    for (const name of directory.choosePromotions(now)) {
      const socket = standbySockets.get(name);
      if (socket === undefined || !sendFrame(socket, { type: 'promote' })) continue;
      counters.inc('promotions');
      console.log(`[${env.name}] promoting standby peer ${name}`);
    }
  }, config.promotionCheckMs);

  const gauges = new StatusGauges(registry, 'chaos_login', {
    liveSupernodes: () => directory.usable(clock.now()).length,
    registeredSupernodes: () => directory.liveCount(clock.now()),
    standbyPeers: () => directory.standbyCount(),
    connections: () => wss.clients.size,
    eventLoopLagP99Seconds: () => lag.p99Ms / 1_000,
  });
  const status = (): NodeStatusBase =>
    nodeStatus({ role: 'login', name: env.name, ready: true, startedAt, counters: counters.snapshot(), gauges: gauges.snapshot() });
  const control = await startControlServer({ host: env.bindHost, port: env.controlPort, registry, status });

  return {
    port: listeningPort(wss),
    status,
    async close() {
      clearInterval(promotionTimer);
      lag.stop();
      await closeWs(wss, 'login shutting down');
      await stopControlServer(control);
    },
  };
}
