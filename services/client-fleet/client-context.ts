import type { Clock } from '../common/clock.js';
import type { LatencyRecorder } from '../common/latency-window.js';
import type { LedgerRecorder } from '../common/message-ledger.js';
import type { Random } from '../common/seeded-random.js';
import type { TaskScheduler } from '../common/task-scheduler.js';
import type { ClientBehaviour } from './client-settings.js';
import type { StartupThrottle } from './startup-throttle.js';

export const clientCounterNames = [
  'lookupsOk',
  'lookupsFailed',
  'crashes',
  'restarts',
  'imsSent',
  'imsAccepted',
  'imsAcceptedDirect',
  'imsAcceptedOffline',
  'imsFailed',
  'imsReceived',
  'imsDuplicate',
  'reconnectAttempts',
  'registrations',
  'registrationsRejected',
  'sessionsLost',
  'heartbeatTimeouts',
  'logins',
  'loginFailures',
  'hostCacheFallbacks',
  'offlineFetches',
  'offlineFetchFailures',
  'delayedReplies',
  /** full re-syncs of the inbox after an error answer (`inboxErrors` policy `full-resync`) */
  'inboxResyncs',
  /** a fleet's clients whose machine a reboot wave restarted */
  'reboots',
] as const;
export type ClientCounterName = (typeof clientCounterNames)[number];

export interface ClientStats {
  inc(name: ClientCounterName, by?: number): void;
  readonly heartbeatRtt: LatencyRecorder;
  readonly lookupLatency: LatencyRecorder;
  readonly offlineReply: LatencyRecorder;
}

export interface ClientIdentity {
  readonly userId: string;
  readonly clientVersion: string;
  readonly vulnerable: boolean;
  /** This client's own random stream. */
  readonly random: Random;
}

/** What a virtual client shares with the others in its process. */
export interface ClientContext {
  readonly behaviour: ClientBehaviour;
  readonly scheduler: TaskScheduler;
  readonly clock: Clock;
  readonly stats: ClientStats;
  /** A random contact other than `self`, or undefined when there is none. */
  readonly pickContact: (random: Random, self: string) => string | undefined;
  readonly newMessageId: () => string;
  /** The process's message-id journal: ids accepted (sender side), received first and again (recipient side). */
  readonly ledger: LedgerRecorder;
  /** The client just died of the 2010 bug (its sockets are already gone). */
  readonly onCrash: (userId: string, reason: string) => void;
  /** A fleet's `startupThrottle`: registrations wait for their slot; absent, each goes at once. */
  readonly startupThrottle?: StartupThrottle;
}
