import type { Endpoint } from '../../harness/platform/platform.js';
import type { ProbeNetwork } from './probe-network.js';
import { registerClient, timedLookup } from './raw-client.js';
import { ratio, roundedSummary, rounded, summarize, type Summary } from './stats.js';

const blocks = 4;
const lookupsPerBlock = 100;
const warmup = 20;

export interface HopOverheadResult {
  readonly method: string;
  readonly direct: Summary | undefined;
  readonly proxied: Summary | undefined;
  /** proxied / direct at p50 and p99. */
  readonly ratioP50: number | undefined;
  readonly ratioP99: number | undefined;
  /** What one Toxiproxy hop adds at the median, in ms. */
  readonly addedP50Ms: number | undefined;
}

/** A lookup's round trip straight to the supernode and through the harness's Toxiproxy link, in alternating blocks. */
export async function measureHopOverhead(probe: ProbeNetwork): Promise<HopOverheadResult> {
  if (probe.direct === undefined) throw new Error('no direct path to the supernode on this platform');
  const direct: number[] = [];
  const proxied: number[] = [];
  for (let block = 0; block < blocks; block += 1) {
    direct.push(...(await lookupRtts(probe.direct, probe.secret, `bench-direct-${block}`)));
    proxied.push(...(await lookupRtts(probe.proxied, probe.secret, `bench-proxied-${block}`)));
  }
  const directSummary = summarize(direct);
  const proxiedSummary = summarize(proxied);
  const ratioP50 = ratio(proxiedSummary?.p50, directSummary?.p50);
  const ratioP99 = ratio(proxiedSummary?.p99, directSummary?.p99);
  return {
    method: `${blocks} alternating blocks of ${lookupsPerBlock} sequential lookups per path (after ${warmup} unmeasured), a raw WebSocket client looking itself up on its supernode (one hop), local platform`,
    direct: roundedSummary(directSummary),
    proxied: roundedSummary(proxiedSummary),
    ratioP50: ratioP50 === undefined ? undefined : rounded(ratioP50),
    ratioP99: ratioP99 === undefined ? undefined : rounded(ratioP99),
    addedP50Ms: directSummary === undefined || proxiedSummary === undefined ? undefined : rounded(proxiedSummary.p50 - directSummary.p50, 3),
  };
}

async function lookupRtts(endpoint: Endpoint, secret: string, userId: string): Promise<number[]> {
  const socket = await registerClient(endpoint, secret, userId);
  try {
    const rtts: number[] = [];
    for (let i = 0; i < warmup + lookupsPerBlock; i += 1) {
      const { sentAt, answeredAt } = await timedLookup(socket, userId);
      if (i >= warmup) rtts.push(answeredAt - sentAt);
    }
    return rtts;
  } finally {
    socket.terminate();
  }
}
