import { StatusFields } from '../../services/protocol/status.js';
import { createCounterAccumulator, type CounterAccumulator } from './counter-accumulator.js';
import type { ClusterTotals, NodeObservation } from './history-types.js';
import { readStatus, type StatusReading } from './status-reading.js';

export interface SampledNode {
  readonly name: string;
  readonly role: NodeObservation['role'];
}

export interface NodeStatusResult {
  readonly node: SampledNode;
  /** The `/status` body, or undefined when the control port did not answer in time. */
  readonly status: unknown;
}

export interface AggregatedSample {
  readonly totals: ClusterTotals;
  readonly nodes: Readonly<Record<string, NodeObservation>>;
}

interface NodeMemory {
  readonly role: SampledNode['role'];
  readonly counters: CounterAccumulator;
  lastClientsTotal: number;
  lastClientsOnline: number;
  lastClientsCrashed: number;
  lastClientsRehoming: number;
  lastClientsResyncing: number;
  /** Run time of the last status that arrived. */
  lastReadAt: number;
  /** Whether the supernode was part of the network when last seen up. */
  joined: boolean;
}

const fleet = StatusFields.fleet;
const supernode = StatusFields.supernode;

export interface SampleAggregatorOptions {
  /**
   * A fleet busy with its clients can miss a status deadline; its last online count stands for
   * this long (real ms) before its clients count as offline. A fleet that is really gone reads 0
   * after that.
   */
  readonly fleetStaleMs?: number;
}

/** Builds node observations and cluster totals from each tick's statuses, remembering what it needs across ticks. */
export function createSampleAggregator(options: SampleAggregatorOptions = {}): {
  aggregate(results: readonly NodeStatusResult[], now: number): AggregatedSample;
} {
  const fleetStaleMs = options.fleetStaleMs ?? 2_000;
  const memory = new Map<string, NodeMemory>();
  const remember = (node: SampledNode): NodeMemory => {
    let entry = memory.get(node.name);
    if (entry === undefined) {
      entry = { role: node.role, counters: createCounterAccumulator(), lastClientsTotal: 0, lastClientsOnline: 0, lastClientsCrashed: 0, lastClientsRehoming: 0, lastClientsResyncing: 0, lastReadAt: Number.NEGATIVE_INFINITY, joined: false };
      memory.set(node.name, entry);
    }
    return entry;
  };

  return {
    aggregate(results, now) {
      let fleetsCarried = 0;
      let fleetsUnread = 0;
      const nodes: Record<string, NodeObservation> = {};
      const totals = {
        clientsTotal: 0,
        clientsOnline: 0,
        clientsCrashed: 0,
        clientsRehoming: 0,
        clientsResyncing: 0,
        supernodesTotal: 0,
        supernodesServing: 0,
        sessions: 0,
        capacitySessions: 0,
        offlinePending: 0,
      };
      const loads: number[] = [];

      for (const { node, status } of results) {
        const entry = remember(node);
        const reading = status === undefined ? undefined : readStatus(status);
        if (reading !== undefined) entry.counters.update(reading.counters, reading.uptimeSeconds);
        nodes[node.name] = observe(node, reading);

        if (node.role === 'client-fleet') {
          if (reading !== undefined) {
            entry.lastClientsTotal = reading.gauges[fleet.clientsTotal] ?? 0;
            entry.lastClientsOnline = reading.gauges[fleet.clientsOnline] ?? 0;
            entry.lastClientsCrashed = reading.gauges[fleet.clientsCrashed] ?? 0;
            entry.lastClientsRehoming = reading.gauges[fleet.clientsRehoming] ?? 0;
            entry.lastClientsResyncing = reading.gauges[fleet.clientsResyncing] ?? 0;
            entry.lastReadAt = now;
          } else if (now - entry.lastReadAt <= fleetStaleMs) {
            fleetsCarried += 1;
          } else {
            // Not read for too long: its clients are neither online nor offline as far as the harness knows.
            fleetsUnread += 1;
          }
          totals.clientsTotal += entry.lastClientsTotal;
          totals.clientsOnline += entry.lastClientsOnline;
          totals.clientsCrashed += entry.lastClientsCrashed;
          totals.clientsRehoming += entry.lastClientsRehoming;
          totals.clientsResyncing += entry.lastClientsResyncing;
        } else if (node.role === 'supernode') {
          if (reading !== undefined) entry.joined = reading.state === undefined ? reading.ready : reading.state !== 'standby';
          if (entry.joined) totals.supernodesTotal += 1;
          if (reading === undefined) continue;
          totals.sessions += reading.gauges[supernode.sessions] ?? 0;
          const serving = reading.state === undefined ? reading.ready : reading.state === 'serving';
          if (serving) {
            totals.supernodesServing += 1;
            totals.capacitySessions += reading.gauges[supernode.capacitySessions] ?? 0;
            loads.push(reading.gauges[supernode.load] ?? 0);
          }
        } else if (node.role === 'offline-messages') {
          totals.offlinePending += reading?.gauges[StatusFields.offlineMessages.pending] ?? 0;
        }
      }

      // Counters of every fleet ever seen count, also those gone from this tick's node list.
      const fleetSum = (counter: string): number =>
        [...memory.values()].filter((m) => m.role === 'client-fleet').reduce((sum, m) => sum + m.counters.value(counter), 0);
      return {
        nodes,
        totals: {
          ...totals,
          loadMean: loads.length === 0 ? 0 : loads.reduce((a, b) => a + b, 0) / loads.length,
          loadMax: loads.length === 0 ? 0 : Math.max(...loads),
          lookupsOk: fleetSum(fleet.lookupsOk),
          lookupsFailed: fleetSum(fleet.lookupsFailed),
          imsAccepted: fleetSum(fleet.imsAccepted),
          imsReceived: fleetSum(fleet.imsReceived),
          imsDuplicate: fleetSum(fleet.imsDuplicate),
          clientCrashes: fleetSum(fleet.crashes),
          clientRestarts: fleetSum(fleet.restarts),
          ...(fleetsCarried > 0 ? { fleetsCarried } : {}),
          ...(fleetsUnread > 0 ? { fleetsUnread } : {}),
        },
      };
    },
  };
}

function observe(node: SampledNode, reading: StatusReading | undefined): NodeObservation {
  if (reading === undefined) return { role: node.role, up: false, ready: false };
  const gauge = (name: string): { [key: string]: number } => {
    const value = reading.gauges[name];
    return value === undefined ? {} : { [name]: value };
  };
  const base = { role: node.role, up: true, ready: reading.ready, ...gauge(StatusFields.eventLoopLagP99Seconds) };
  if (node.role === 'client-fleet') return { ...base, ...gauge(fleet.attemptsScheduled), ...gauge(fleet.attemptsMade) };
  if (node.role === 'offline-messages') return { ...base, ...gauge(StatusFields.offlineMessages.queueDepth) };
  if (node.role !== 'supernode') return base;
  return {
    ...base,
    ...(reading.state === undefined ? {} : { state: reading.state }),
    ...(reading.mode === undefined ? {} : { mode: reading.mode }),
    ...gauge(supernode.load),
    ...gauge(supernode.sessions),
    ...gauge(supernode.capacitySessions),
    ...gauge(supernode.requestRate),
    ...gauge(supernode.capacityRequestRate),
  };
}
