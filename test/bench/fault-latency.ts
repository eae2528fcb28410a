import { performance } from 'node:perf_hooks';
import { openSocket, registerClient } from './raw-client.js';
import type { ProbeNetwork } from './probe-network.js';
import { ProbeStream } from './probe-stream.js';
import { roundedSummary, summarize, type Summary } from './stats.js';

/** The latency toxic's delay: long enough to tell a delayed reply from a normal one (~1 ms) at a glance. */
const toxicLatencyMs = 100;
const effectTimeoutMs = 5_000;

export type FaultKind = 'latency toxic added' | 'latency toxic removed' | 'link down' | 'link up';

export interface FaultLatencyRow {
  readonly fault: FaultKind;
  /** What counts as the first effect seen on the wire. */
  readonly effect: string;
  /** From the call to the first effect (ms). */
  readonly toEffect: Summary | undefined;
  /** From the call to its return (ms): Toxiproxy's API round trip. */
  readonly callReturned: Summary | undefined;
  /** Repetitions in which no effect was seen within the timeout. */
  readonly noEffect: number;
}

export interface FaultLatencyResult {
  readonly method: string;
  readonly repetitions: number;
  readonly rows: readonly FaultLatencyRow[];
}

interface Timing {
  readonly callMs: number;
  readonly effectMs: number | undefined;
}

/**
 * From the harness's call through its link layer to the first effect seen on the wire by a raw
 * client on that link, which sends a lookup every 2 ms: a latency toxic, its removal, the link
 * taken down and brought up.
 */
export async function measureFaultLatency(probe: ProbeNetwork, repetitions: number): Promise<FaultLatencyResult> {
  const timings: Record<FaultKind, Timing[]> = { 'latency toxic added': [], 'latency toxic removed': [], 'link down': [], 'link up': [] };
  for (let i = 0; i < repetitions; i += 1) {
    const stream = new ProbeStream(await registerClient(probe.proxied, probe.secret, `bench-fault-${i}`), `bench-fault-${i}`);
    try {
      await stream.firstAnswer(0, () => true, effectTimeoutMs);
      const [added, name] = await toxicAdded(probe, stream);
      timings['latency toxic added'].push(added);
      timings['latency toxic removed'].push(await toxicRemoved(probe, stream, name));
      timings['link down'].push(await linkDown(probe, stream));
    } finally {
      stream.stop();
    }
    timings['link up'].push(await linkUp(probe));
  }
  return {
    method: `a raw client on the harness's Toxiproxy link sends a lookup every 2 ms; latency toxic of ${toxicLatencyMs} ms (downstream); ${repetitions} repetitions`,
    repetitions,
    rows: [
      row('latency toxic added', `first reply delayed by at least ${toxicLatencyMs * 0.8} ms, less the ${toxicLatencyMs} ms it was held`, timings),
      row('latency toxic removed', `first reply answered in under ${toxicLatencyMs / 2} ms`, timings),
      row('link down', 'the client\'s open connection is closed', timings),
      row('link up', 'a new connection opens (tried every millisecond)', timings),
    ],
  };
}

function row(fault: FaultKind, effect: string, timings: Record<FaultKind, Timing[]>): FaultLatencyRow {
  const measured = timings[fault];
  const effects = measured.flatMap((timing) => (timing.effectMs === undefined ? [] : [timing.effectMs]));
  return {
    fault,
    effect,
    toEffect: roundedSummary(summarize(effects)),
    callReturned: roundedSummary(summarize(measured.map((timing) => timing.callMs))),
    noEffect: measured.length - effects.length,
  };
}

async function toxicAdded(probe: ProbeNetwork, stream: ProbeStream): Promise<[Timing, string]> {
  const calledAt = performance.now();
  const name = await probe.link.addToxic({ type: 'latency', attributes: { latency: toxicLatencyMs } });
  const callMs = performance.now() - calledAt;
  const delayed = await stream.firstAnswer(calledAt, (r) => r.answeredAt - r.sentAt >= toxicLatencyMs * 0.8, effectTimeoutMs);
  return [{ callMs, effectMs: delayed === undefined ? undefined : delayed.answeredAt - toxicLatencyMs - calledAt }, name];
}

async function toxicRemoved(probe: ProbeNetwork, stream: ProbeStream, name: string): Promise<Timing> {
  const calledAt = performance.now();
  await probe.link.removeToxic(name);
  const callMs = performance.now() - calledAt;
  const quick = await stream.firstAnswer(calledAt, (r) => r.answeredAt - r.sentAt < toxicLatencyMs / 2, effectTimeoutMs);
  return { callMs, effectMs: quick === undefined ? undefined : quick.answeredAt - calledAt };
}

async function linkDown(probe: ProbeNetwork, stream: ProbeStream): Promise<Timing> {
  const calledAt = performance.now();
  await probe.link.down();
  const callMs = performance.now() - calledAt;
  const closedAt = await stream.closed(effectTimeoutMs);
  return { callMs, effectMs: closedAt === undefined ? undefined : closedAt - calledAt };
}

async function linkUp(probe: ProbeNetwork): Promise<Timing> {
  const calledAt = performance.now();
  const call = probe.link.up().then(() => performance.now() - calledAt);
  const deadline = calledAt + effectTimeoutMs;
  let openedAt: number | undefined;
  while (openedAt === undefined && performance.now() < deadline) {
    const socket = await openSocket(probe.proxied, 1_000).catch(() => undefined);
    if (socket === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    openedAt = performance.now();
    socket.terminate();
  }
  return { callMs: await call, effectMs: openedAt === undefined ? undefined : openedAt - calledAt };
}
