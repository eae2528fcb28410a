import type { Registry } from 'prom-client';
import type { ServiceEnvironment } from '../common/service-env.js';
import { parseRoleConfig } from '../common/service-env.js';
import { createMetricsRegistry, startControlServer } from '../common/control-server.js';
import type { RunningService } from '../common/running-service.js';
import type { ProcessHooks } from '../common/process-hooks.js';
import { systemClock, type Clock } from '../common/clock.js';
import { StatusGauges } from '../common/status-metrics.js';
import { closeWs, listenWs, listeningPort } from '../common/ws-server.js';
import { nodeStatus } from '../common/node-status.js';
import { stopControlServer } from '../common/stop-control-server.js';
import { EventLoopLag } from '../common/event-loop-lag.js';
import { NodeExitCode } from '../protocol/exit-codes.js';
import type { SupernodeStatus } from '../protocol/status.js';
import { supernodeConfigSchema } from './supernode-config.js';
import { OverloadGuard } from './overload-guard.js';
import { startEmbeddedClient, type EmbeddedClient } from './embedded-client.js';
import { SupernodeCore, type SupernodeState } from './supernode-core.js';
import { LoginConversation } from './login-conversation.js';
import { acceptConnection } from './new-connections.js';
import { startLoadCheck, startSweep } from './supernode-timers.js';
import { STARTUP_CACHE_WARMING_PATH, setStartupCacheWarming } from './startup-cache-command.js';

export interface RunningSupernode extends RunningService {
  readonly port: number;
  status(): SupernodeStatus;
  readonly state: SupernodeState;
  readonly embedded: EmbeddedClient | undefined;
}

/**
 * A supernode: client sessions, presence, overlay lookups and IM forwarding, capacity and
 * self-protection. Each conversation is its own module: new connections and admission
 * (new-connections.ts), client sessions (client-sessions.ts), overlay links (overlay-links.ts),
 * login (login-conversation.ts), timers and self-protection (supernode-timers.ts).
 */
export async function startSupernodeService(env: ServiceEnvironment, hooks: ProcessHooks, clock: Clock = systemClock): Promise<RunningSupernode> {
  const config = parseRoleConfig('supernode', supernodeConfigSchema, env.config);
  const startedAt = Date.now();
  const registry = createMetricsRegistry({ node: env.name, role: env.role });
  const core = new SupernodeCore(env.name, config, clock, registry);
  const guard = new OverloadGuard(clock, config.overloadThreshold, config.overloadGraceMs);
  const lag = new EventLoopLag();
  const login = new LoginConversation(core, startedAt);

  const wss = await listenWs(env.bindHost, env.servicePort, (socket) => acceptConnection(core, socket));
  const loadTimer = startLoadCheck({ core, guard, login, wss, hooks });
  const sweepTimer = startSweep(core);
  const stopHeartbeats = login.startHeartbeats();

  if (core.state === 'joining') core.becomeJoining();
  login.start();
  const embedded =
    config.client === undefined
      ? undefined
      : startEmbeddedClient(config.client, env.name, registry, clock, (reason) => {
          console.error(`[${env.name}] client software crashed: ${reason} (exit ${NodeExitCode.clientBugCrash})`);
          hooks.exit(NodeExitCode.clientBugCrash, `client crash: ${reason}`);
        });

  const gauges = supernodeGauges(registry, core, lag, embedded);
  const status = (): SupernodeStatus => ({
    ...nodeStatus({ role: 'supernode', name: env.name, ready: core.state === 'serving', startedAt, counters: core.counters.snapshot(), gauges: gauges.snapshot() }),
    role: 'supernode',
    mode: config.mode,
    state: core.state,
    ...(config.client === undefined ? {} : { clientVersion: config.client.clientVersion }),
  });
  const control = await startControlServer({
    host: env.bindHost,
    port: env.controlPort,
    registry,
    status,
    ...(embedded === undefined ? {} : { ledger: (after: number) => embedded.ledger.document(env.name, after) }),
    commands: { [STARTUP_CACHE_WARMING_PATH]: (body) => setStartupCacheWarming(core.startup, body) },
  });

  return {
    port: listeningPort(wss),
    status,
    get state() {
      return core.state;
    },
    embedded,
    async close() {
      core.state = 'shutting-down';
      clearInterval(loadTimer);
      clearInterval(sweepTimer);
      stopHeartbeats();
      lag.stop();
      core.stopJoining();
      embedded?.stop();
      core.imAcks.failAll();
      core.overlay.close();
      core.startup?.close();
      login.close();
      await closeWs(wss, 'supernode shutting down');
      await stopControlServer(control);
    },
  };
}

/** The supernode's gauges, read from live state for `/status` and `/metrics`. */
function supernodeGauges(registry: Registry, core: SupernodeCore, lag: EventLoopLag, embedded: EmbeddedClient | undefined) {
  const config = core.config;
  return new StatusGauges(registry, 'chaos_supernode', {
    sessions: () => core.sessions.size,
    capacitySessions: () => config.capacity.sessions,
    requestRate: () => core.meter.requestRate(),
    capacityRequestRate: () => config.capacity.requestsPerSecond,
    load: () => core.load(),
    serving: () => (core.state === 'serving' ? 1 : 0),
    overlayPeers: () => core.overlay.size,
    connections: () => core.connections.size,
    startupCacheEntries: () => core.startup?.size ?? 0,
    startupCacheWarming: () => (core.startup?.warming === true ? 1 : 0),
    embeddedClientOnline: () => (embedded?.client.usable === true ? 1 : 0),
    eventLoopLagP99Seconds: () => lag.p99Ms / 1_000,
  });
}
