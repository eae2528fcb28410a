import type { WebSocket } from 'ws';
import type { ServiceEnvironment } from '../common/service-env.js';
import { parseRoleConfig } from '../common/service-env.js';
import { createMetricsRegistry, startControlServer } from '../common/control-server.js';
import type { RunningService } from '../common/running-service.js';
import type { ProcessHooks } from '../common/process-hooks.js';
import { systemClock, type Clock } from '../common/clock.js';
import { createRandom } from '../common/seeded-random.js';
import { StatusCounters, StatusGauges } from '../common/status-metrics.js';
import { closeWs, listenWs, listeningPort } from '../common/ws-server.js';
import { nodeStatus } from '../common/node-status.js';
import { stopControlServer } from '../common/stop-control-server.js';
import type { NodeStatusBase } from '../protocol/status.js';
import { loginInbound, registrationRequestId, type AnyFrame, type LoginInbound, type Outbound } from '../protocol/frames.js';
import { createFrameDecoder, decodeOrReject, sendError, sendFrame } from '../protocol/frame-codec.js';
import { CloseCode, ErrorCode, type ErrorCodeName } from '../protocol/error-codes.js';
import { supernodeSubject, verifyToken } from '../protocol/auth-token.js';
import { loginConfigSchema } from './login-config.js';
import { SupernodeDirectory } from './supernode-directory.js';
import { AnswerQueue, type Answer } from './answer-queue.js';
import { AnswerLatencyWindow } from './answer-latency.js';
import { EventLoopLag } from '../common/event-loop-lag.js';
import { LoginSelfProtection } from './login-self-protection.js';
import { readmissionForStart } from './staged-readmission.js';

const decoder = createFrameDecoder(loginInbound);
const counterNames = [
  'frames',
  'logins',
  'loginsRejected',
  'hostCacheRequests',
  'promotions',
  'supernodeRegistrations',
  'badFrames',
  'requestsRefused',
  /** logins let through, and turned away with `busy`, while a staged readmission admits only a share of the users */
  'loginsAdmittedByStage',
  'loginsRefusedByStage',
  /** self-protection: the directory refused requests for the grace period (then login exits 75) */
  'overloadShutdowns',
] as const;

type SessionKind = { kind: 'new' } | { kind: 'client'; userId: string } | { kind: 'supernode'; name: string } | { kind: 'standby'; name: string };

/** What one request did: the connection's session after it, its reply, and how many supernodes the reply names. */
interface Handled {
  readonly session: SessionKind;
  readonly reply?: Outbound<AnyFrame>;
  readonly listSize: number;
}

const refusal = (session: SessionKind, code: ErrorCodeName, message: string, requestId?: string): Handled => ({
  session,
  reply: { type: 'error', code, message, ...(requestId === undefined ? {} : { requestId }) },
  listSize: 0,
});

export interface RunningLogin extends RunningService {
  readonly port: number;
  status(): NodeStatusBase;
}

export interface LoginStart {
  /** The program starts again on a machine that ran it before (it ended itself): a staged readmission applies. */
  readonly restarted?: boolean;
  readonly clock?: Clock;
}

/**
 * The login server: authenticates users, hands out host caches, tracks supernode liveness, promotes
 * standby peers; with the tuning, shuts itself down under sustained overload and readmits users in steps.
 */
export async function startLoginService(env: ServiceEnvironment, hooks: ProcessHooks, start: LoginStart = {}): Promise<RunningLogin> {
  const clock = start.clock ?? systemClock;
  const config = parseRoleConfig('login', loginConfigSchema, env.config);
  const readmission = readmissionForStart(config.readmission, start.restarted === true, clock);
  const startedAt = Date.now();
  const random = createRandom(config.seed);
  const directory = new SupernodeDirectory(config);
  const standbySockets = new Map<string, WebSocket>();
  const registry = createMetricsRegistry({ node: env.name, role: env.role });
  const counters = new StatusCounters(registry, 'chaos_login', counterNames);
  const lag = new EventLoopLag();

  const handle = (socket: WebSocket, session: SessionKind, frame: LoginInbound): Handled => {
    const now = clock.now();
    switch (frame.type) {
      case 'login': {
        if (!verifyToken(config.secret, frame.userId, frame.token)) {
          counters.inc('loginsRejected');
          return refusal(session, ErrorCode.unauthorized, `wrong token for ${frame.userId}`);
        }
        counters.inc('logins');
        const hostCache = directory.hostCacheFor(frame.userId, random, config.hostCacheSize, now);
        return { session: { kind: 'client', userId: frame.userId }, reply: { type: 'login-ok', hostCache }, listSize: hostCache.length };
      }
      case 'host-cache-request': {
        if (session.kind !== 'client') return refusal(session, ErrorCode.notRegistered, 'log in before asking for a host cache');
        counters.inc('hostCacheRequests');
        const entries = directory.hostCacheFor(session.userId, random, config.hostCacheSize, now);
        return { session, reply: { type: 'host-cache', entries }, listSize: entries.length };
      }
      case 'sn-register': {
        const requestId = frame.attempt === undefined ? undefined : registrationRequestId(frame.attempt);
        if (!verifyToken(config.secret, supernodeSubject(frame.name), frame.token)) {
          return refusal(session, ErrorCode.unauthorized, `wrong token for supernode ${frame.name}`, requestId);
        }
        counters.inc('supernodeRegistrations');
        standbySockets.delete(frame.name);
        directory.register(
          {
            name: frame.name,
            clientAddress: frame.clientAddress,
            overlayAddress: frame.overlayAddress,
            mode: frame.mode,
            state: frame.state,
            capacitySessions: frame.capacity.sessions,
          },
          now,
        );
        const peers = directory.overlayPeers(now, frame.name);
        return {
          session: { kind: 'supernode', name: frame.name },
          reply: { type: 'sn-registered', peers, ...(frame.attempt === undefined ? {} : { attempt: frame.attempt }) },
          listSize: peers.length,
        };
      }
      case 'sn-heartbeat': {
        if (session.kind !== 'supernode' || !directory.heartbeat(session.name, frame, now)) {
          return refusal(session, ErrorCode.notRegistered, 'send sn-register before sn-heartbeat');
        }
        const peers = directory.overlayPeers(now, session.name);
        return { session, reply: { type: 'sn-peers', peers, ...(frame.seq === undefined ? {} : { seq: frame.seq }) }, listSize: peers.length };
      }
      case 'peer-hello': {
        if (!verifyToken(config.secret, supernodeSubject(frame.name), frame.token)) {
          return refusal(session, ErrorCode.unauthorized, `wrong token for peer ${frame.name}`);
        }
        directory.standbyHello(frame, now);
        standbySockets.set(frame.name, socket);
        return { session: { kind: 'standby', name: frame.name }, listSize: 0 };
      }
    }
  };

  const latency = new AnswerLatencyWindow(() => clock.now());
  const queue = config.directory === undefined ? undefined : new AnswerQueue(config.directory, clock, (ms) => latency.record(ms));
  const protection =
    config.overloadShutdown === undefined
      ? undefined
      : new LoginSelfProtection(config.overloadShutdown.graceMs, clock, {
          name: env.name,
          hooks,
          stop: () => {
            counters.inc('overloadShutdowns');
            queue?.stop();
            for (const socket of wss.clients) socket.close(CloseCode.tryAgainLater, 'login overloaded: self-protection');
          },
        });

  /** A staged readmission turns a user not yet admitted away before the directory does any work for them. */
  const heldBack = (frame: LoginInbound): boolean => {
    if (frame.type !== 'login') return false;
    const verdict = readmission.verdict(frame.userId);
    if (verdict === 'open') return false;
    counters.inc(verdict === 'admitted' ? 'loginsAdmittedByStage' : 'loginsRefusedByStage');
    return verdict === 'held-back';
  };

  const wss = await listenWs(env.bindHost, env.servicePort, (socket) => {
    let session: SessionKind = { kind: 'new' };
    const answer = (frame: LoginInbound): Answer => {
      const handled = handle(socket, session, frame);
      session = handled.session;
      return { listSize: handled.listSize, deliver: () => (handled.reply === undefined ? undefined : sendFrame(socket, handled.reply)) };
    };
    socket.on('message', (data) => {
      counters.inc('frames');
      const frame = decodeOrReject(socket, decoder, data, () => counters.inc('badFrames'));
      if (frame === undefined || protection?.shuttingDown === true) return;
      if (heldBack(frame)) {
        sendError(socket, ErrorCode.busy, `login is readmitting users in steps (${Math.round(readmission.admittedShare() * 100)}% so far); try again later`);
        return;
      }
      if (queue === undefined) {
        answer(frame).deliver();
        return;
      }
      // A queued request whose caller has gone by its turn is read and dropped: it changes and answers nothing.
      if (queue.submit(() => (socket.readyState === socket.OPEN ? answer(frame) : { listSize: 0, deliver: () => undefined }))) return;
      counters.inc('requestsRefused');
      const requestId = frame.type === 'sn-register' && frame.attempt !== undefined ? registrationRequestId(frame.attempt) : undefined;
      sendError(socket, ErrorCode.busy, `login is over capacity: ${queue.depth} requests already waiting; try again later`, requestId);
      protection?.refused();
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
    queueDepth: () => queue?.depth ?? 0,
    answerLatencyP99Seconds: () => latency.p99Ms / 1_000,
    admittedShare: () => readmission.admittedShare(),
  });
  const status = (): NodeStatusBase =>
    nodeStatus({ role: 'login', name: env.name, ready: true, startedAt, counters: counters.snapshot(), gauges: gauges.snapshot() });
  const control = await startControlServer({ host: env.bindHost, port: env.controlPort, registry, status });

  return {
    port: listeningPort(wss),
    status,
    async close() {
      clearInterval(promotionTimer);
      queue?.stop();
      lag.stop();
      await closeWs(wss, 'login shutting down');
      await stopControlServer(control);
    },
  };
}
