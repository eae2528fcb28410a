import type { ServiceEnvironment } from '../common/service-env.js';
import { parseRoleConfig } from '../common/service-env.js';
import { createMetricsRegistry, startControlServer } from '../common/control-server.js';
import type { RunningService } from '../common/running-service.js';
import { systemClock, type Clock } from '../common/clock.js';
import { createRandom, deriveSeed, pickWeighted } from '../common/seeded-random.js';
import { StatusCounters, StatusGauges } from '../common/status-metrics.js';
import { LatencyRecorder } from '../common/latency-window.js';
import { TaskScheduler } from '../common/task-scheduler.js';
import { MessageLedger } from '../common/message-ledger.js';
import { DeliveryMeter } from '../common/delivery-meter.js';
import { EventLoopLag } from '../common/event-loop-lag.js';
import { nodeStatus } from '../common/node-status.js';
import { stopControlServer } from '../common/stop-control-server.js';
import type { NodeStatusBase } from '../protocol/status.js';
import { clientCounterNames, type ClientContext, type ClientStats } from './client-context.js';
import { clientFleetConfigSchema } from './client-fleet-config.js';
import { contactPicker, userIdOf } from './contacts.js';
import { isVulnerable } from './bug-trigger.js';
import { drawRestartDelay } from './restart-delay.js';
import { startRebootWave } from './reboot-wave.js';
import { StartupThrottle } from './startup-throttle.js';
import { VirtualClient } from './virtual-client.js';

export interface RunningFleet extends RunningService {
  status(): NodeStatusBase;
  readonly clients: readonly VirtualClient[];
}

/** Many virtual clients in one process, sharing one scheduler, one metrics registry and one seed. */
export async function startClientFleetService(env: ServiceEnvironment, clock: Clock = systemClock): Promise<RunningFleet> {
  const config = parseRoleConfig('client-fleet', clientFleetConfigSchema, env.config);
  const startedAt = Date.now();
  const registry = createMetricsRegistry({ node: env.name, role: env.role });
  const counters = new StatusCounters(registry, 'chaos_fleet', clientCounterNames);
  const stats: ClientStats = {
    inc: (name, by) => counters.inc(name, by),
    heartbeatRtt: new LatencyRecorder(registry, 'chaos_fleet_heartbeat_rtt_seconds', 'Heartbeat round trip (seconds)'),
    lookupLatency: new LatencyRecorder(registry, 'chaos_fleet_lookup_latency_seconds', 'Lookup latency (seconds)'),
    offlineReply: new LatencyRecorder(registry, 'chaos_fleet_offline_reply_seconds', 'Offline-messages reply time (seconds)'),
  };
  const delivery = new DeliveryMeter();
  const lag = new EventLoopLag();
  const scheduler = new TaskScheduler(clock, (error) => console.error(`[${env.name}] client task failed: ${String(error)}`), delivery);
  const restartRandom = createRandom(deriveSeed(config.seed, `restart:${env.name}`));
  const messagePrefix = `${env.name}-${Date.now().toString(36)}-`;
  let messageCounter = 0;
  const ledger = new MessageLedger();
  let stopping = false;
  const byUser = new Map<string, VirtualClient>();

  const context: ClientContext = {
    behaviour: config,
    scheduler,
    clock,
    stats,
    pickContact: contactPicker(config.userIdPrefix, config.contacts),
    newMessageId: () => `${messagePrefix}${(messageCounter += 1)}`,
    ledger,
    ...(config.startupThrottle === undefined ? {} : { startupThrottle: new StartupThrottle(config.startupThrottle.perSecond, clock) }),
    onCrash: (userId) => {
      if (stopping) return;
      scheduler.after(drawRestartDelay(config.restartDelay, restartRandom), () => {
        const client = byUser.get(userId);
        if (stopping || client?.state !== 'crashed') return;
        counters.inc('restarts');
        client.start();
      });
    },
  };

  const clients: VirtualClient[] = [];
  for (let index = 0; index < config.users.count; index += 1) {
    const userId = userIdOf(config.userIdPrefix, config.users.first + index);
    const clientVersion = pickWeighted(createRandom(deriveSeed(config.seed, `version:${userId}`)), config.versionMix);
    const client = new VirtualClient(
      {
        userId,
        clientVersion,
        vulnerable: isVulnerable(config.seed, userId, config.crashProbability),
        random: createRandom(deriveSeed(config.seed, `client:${userId}`)),
      },
      context,
    );
    clients.push(client);
    byUser.set(userId, client);
    scheduler.after((config.startSpreadMs * index) / config.users.count, () => {
      if (!stopping) client.start();
    });
  }

  const countState = (state: VirtualClient['state']): number => clients.reduce((sum, client) => sum + (client.state === state ? 1 : 0), 0);
  const gauges = new StatusGauges(registry, 'chaos_fleet', {
    clientsTotal: () => clients.length,
    clientsOnline: () => clients.reduce((sum, client) => sum + (client.usable ? 1 : 0), 0),
    clientsResyncing: () => clients.reduce((sum, client) => sum + (client.resyncing ? 1 : 0), 0),
    clientsCrashed: () => countState('crashed'),
    clientsRehoming: () => clients.reduce((sum, client) => sum + (client.rehoming ? 1 : 0), 0),
    clientsConnecting: () => countState('connecting'),
    clientsLoggingIn: () => countState('logging-in'),
    clientsBuggyVersion: () => clients.filter((client) => client.identity.clientVersion === config.buggyVersion).length,
    clientsVulnerable: () => clients.filter((client) => client.identity.clientVersion === config.buggyVersion && client.identity.vulnerable).length,
    scheduledTasks: () => scheduler.size,
    attemptsScheduled: () => delivery.scheduled,
    attemptsMade: () => delivery.made,
    eventLoopLagP99Seconds: () => lag.p99Ms / 1_000,
    eventLoopLagMaxSeconds: () => lag.maxMs / 1_000,
  }, { cumulative: ['attemptsScheduled', 'attemptsMade'] });
  const status = (): NodeStatusBase =>
    nodeStatus({
      role: 'client-fleet',
      name: env.name,
      ready: true,
      startedAt,
      counters: counters.snapshot(),
      gauges: gauges.snapshot(),
      histograms: {
        heartbeatRtt: stats.heartbeatRtt.summary(),
        lookupLatency: stats.lookupLatency.summary(),
        offlineReply: stats.offlineReply.summary(),
      },
    });
  const rebootWave = { seed: config.seed, clients, scheduler, onReboot: () => counters.inc('reboots') };
  const control = await startControlServer({
    host: env.bindHost,
    port: env.controlPort,
    registry,
    status,
    ledger: (after) => ledger.document(env.name, after),
    commands: { '/reboot-wave': (body) => startRebootWave(rebootWave, body) },
  });

  return {
    clients,
    status,
    async close() {
      stopping = true;
      scheduler.stop();
      lag.stop();
      for (const client of clients) client.stop();
      await stopControlServer(control);
    },
  };
}
