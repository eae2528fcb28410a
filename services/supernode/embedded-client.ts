import type { Registry } from 'prom-client';
import type { Clock } from '../common/clock.js';
import { LatencyRecorder } from '../common/latency-window.js';
import { MessageLedger } from '../common/message-ledger.js';
import { createRandom, deriveSeed } from '../common/seeded-random.js';
import { StatusCounters } from '../common/status-metrics.js';
import { TaskScheduler } from '../common/task-scheduler.js';
import { isVulnerable } from '../client-fleet/bug-trigger.js';
import { clientCounterNames, type ClientCounterName } from '../client-fleet/client-context.js';
import { contactPicker } from '../client-fleet/contacts.js';
import { VirtualClient } from '../client-fleet/virtual-client.js';
import type { EmbeddedClientConfig } from './supernode-config.js';

export interface EmbeddedClient {
  readonly client: VirtualClient;
  readonly counters: StatusCounters<ClientCounterName>;
  /**
   * Ids this peer's own client sent and had accepted (it receives none: fleets' contacts are
   * fleet users only). It lives in this process, so a crash (exit 70 or 75) takes with it what
   * the harness has not pulled yet: at most the last sampler tick's acceptances go unseen.
   */
  readonly ledger: MessageLedger;
  stop(): void;
}

/** The client software a peer supernode runs: one virtual client whose crash is the whole process's crash. */
export function startEmbeddedClient(
  config: EmbeddedClientConfig,
  nodeName: string,
  registry: Registry,
  clock: Clock,
  onCrash: (reason: string) => void,
): EmbeddedClient {
  const counters = new StatusCounters(registry, 'chaos_sn_client', clientCounterNames);
  const scheduler = new TaskScheduler(clock, (error) => console.error(`[${nodeName}] embedded client task failed: ${String(error)}`));
  let messageCounter = 0;
  const messagePrefix = `${nodeName}-${Date.now().toString(36)}-`;
  const ledger = new MessageLedger();
  const client = new VirtualClient(
    {
      userId: config.userId,
      clientVersion: config.clientVersion,
      vulnerable: config.vulnerable ?? isVulnerable(config.seed, config.userId, config.crashProbability),
      random: createRandom(deriveSeed(config.seed, `client:${config.userId}`)),
    },
    {
      behaviour: config,
      scheduler,
      clock,
      stats: {
        inc: (name, by) => counters.inc(name, by),
        heartbeatRtt: new LatencyRecorder(registry, 'chaos_sn_client_heartbeat_rtt_seconds', 'Embedded client heartbeat round trip (seconds)'),
        lookupLatency: new LatencyRecorder(registry, 'chaos_sn_client_lookup_latency_seconds', 'Embedded client lookup latency (seconds)'),
        offlineReply: new LatencyRecorder(registry, 'chaos_sn_client_offline_reply_seconds', 'Embedded client offline-messages reply time (seconds)'),
      },
      pickContact: contactPicker(config.userIdPrefix, config.contacts),
      newMessageId: () => `${messagePrefix}${(messageCounter += 1)}`,
      ledger,
      onCrash: (_userId, reason) => onCrash(reason),
    },
  );
  if (config.loginDelayMs > 0) scheduler.after(config.loginDelayMs, () => client.start());
  else client.start();
  return {
    client,
    counters,
    ledger,
    stop() {
      scheduler.stop();
      client.stop();
    },
  };
}
