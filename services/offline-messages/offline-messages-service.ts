import { EventLoopLag } from '../common/event-loop-lag.js';
import { systemClock } from '../common/clock.js';
import type { WebSocket } from 'ws';
import type { ServiceEnvironment } from '../common/service-env.js';
import { parseRoleConfig } from '../common/service-env.js';
import { createMetricsRegistry, startControlServer } from '../common/control-server.js';
import type { RunningService } from '../common/running-service.js';
import { StatusCounters, StatusGauges } from '../common/status-metrics.js';
import { LatencyRecorder } from '../common/latency-window.js';
import { closeWs, listenWs, listeningPort } from '../common/ws-server.js';
import { nodeStatus } from '../common/node-status.js';
import { stopControlServer } from '../common/stop-control-server.js';
import { pendingLedgerDocument, type LedgerDocument } from '../common/message-ledger.js';
import type { NodeStatusBase } from '../protocol/status.js';
import { offlineInbound, type OfflineInbound } from '../protocol/frames.js';
import { createFrameDecoder, decodeOrReject, sendError, sendFrame } from '../protocol/frame-codec.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { verifyToken } from '../protocol/auth-token.js';
import { offlineMessagesConfigSchema } from './offline-messages-config.js';
import { MessageStore } from './message-store.js';
import { seededShareDrop } from './message-drop.js';
import { WorkerPool } from './worker-pool.js';
import { queryAdmission } from './query-capacity.js';

const decoder = createFrameDecoder(offlineInbound);

export interface RunningOfflineMessages extends RunningService {
  readonly port: number;
  status(): NodeStatusBase;
  /** The ids stored and not yet acknowledged, now. */
  pendingIds(): string[];
}

/** Stores IMs for offline users behind a bounded worker pool. */
export async function startOfflineMessagesService(env: ServiceEnvironment): Promise<RunningOfflineMessages> {
  const config = parseRoleConfig('offline-messages', offlineMessagesConfigSchema, env.config);
  const startedAt = Date.now();
  const store = new MessageStore(config.maxStoredMessages, seededShareDrop(config.dropShare, config.seed));
  const pool = new WorkerPool(config.workers, config.serviceTimeMs, config.maxQueue);
  const queries = queryAdmission(config.queryCapacity, systemClock);
  const registry = createMetricsRegistry({ node: env.name, role: env.role });
  const counters = new StatusCounters(registry, 'chaos_offline', ['requests', 'rejectedBusy', 'badFrames', 'unauthorized', 'fetches', 'fetchesOverCapacity', 'stored', 'delivered', 'duplicatesSuppressed'] as const);
  const responseTime = new LatencyRecorder(registry, 'chaos_offline_response_seconds', 'Time from request to reply, queueing included (seconds)');

  const serve = (socket: WebSocket, frame: OfflineInbound): void => {
    switch (frame.type) {
      case 'store': {
        const outcome = store.store(frame);
        if (outcome === 'stored') counters.inc('stored');
        if (outcome === 'duplicate') counters.inc('duplicatesSuppressed');
        if (outcome === 'full') sendError(socket, ErrorCode.busy, 'offline store is full', frame.requestId);
        else sendFrame(socket, { type: 'stored', requestId: frame.requestId, messageId: frame.messageId, duplicate: outcome === 'duplicate' });
        return;
      }
      case 'fetch': {
        if (!verifyToken(config.secret, frame.userId, frame.token)) {
          counters.inc('unauthorized');
          sendError(socket, ErrorCode.unauthorized, `wrong token for ${frame.userId}`, frame.requestId);
          return;
        }
        if (!queries.admit()) {
          counters.inc('fetchesOverCapacity');
          sendError(socket, ErrorCode.busy, `offline store over its query capacity (${config.queryCapacity} a second); try again later`, frame.requestId);
          return;
        }
        counters.inc('fetches');
        const { items, more } = store.fetch(frame.userId);
        sendFrame(socket, {
          type: 'messages',
          requestId: frame.requestId,
          items: items.map(({ messageId, from, body }) => ({ messageId, from, body })),
          more,
        });
        return;
      }
      case 'ack': {
        if (!verifyToken(config.secret, frame.userId, frame.token)) {
          counters.inc('unauthorized');
          sendError(socket, ErrorCode.unauthorized, `wrong token for ${frame.userId}`, frame.requestId);
          return;
        }
        const deleted = store.ack(frame.userId, frame.messageIds);
        counters.inc('delivered', deleted);
        sendFrame(socket, { type: 'acked', requestId: frame.requestId, deleted });
        return;
      }
    }
  };

  const wss = await listenWs(env.bindHost, env.servicePort, (socket) => {
    socket.on('message', (data) => {
      counters.inc('requests');
      const frame = decodeOrReject(socket, decoder, data, () => counters.inc('badFrames'));
      if (frame === undefined) return;
      const received = performance.now();
      const accepted = pool.submit(() => {
        if (socket.readyState !== socket.OPEN) return;
        serve(socket, frame);
        responseTime.record(performance.now() - received);
      });
      if (!accepted) {
        counters.inc('rejectedBusy');
        sendError(socket, ErrorCode.busy, 'request queue full', frame.requestId);
      }
    });
  });

  const lag = new EventLoopLag();
  const gauges = new StatusGauges(registry, 'chaos_offline', {
    pending: () => store.pending,
    queueDepth: () => pool.queueDepth,
    inService: () => pool.inService,
    connections: () => wss.clients.size,
    eventLoopLagP99Seconds: () => lag.p99Ms / 1_000,
  });
  const status = (): NodeStatusBase =>
    nodeStatus({
      role: 'offline-messages',
      name: env.name,
      ready: true,
      startedAt,
      counters: counters.snapshot(),
      gauges: gauges.snapshot(),
      histograms: { responseTime: responseTime.summary() },
    });
  // `/ledger` answers the full pending list whatever `after` says: the harness keeps the last one as the pending set.
  const ledger = (): LedgerDocument => pendingLedgerDocument(env.name, startedAt, store.pendingIds());
  const control = await startControlServer({ host: env.bindHost, port: env.controlPort, registry, status, ledger });

  return {
    port: listeningPort(wss),
    status,
    pendingIds: () => store.pendingIds(),
    async close() {
      pool.clear();
      lag.stop();
      await closeWs(wss, 'offline-messages shutting down');
      await stopControlServer(control);
    },
  };
}
