import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../harness/errors.js';
import { dockerApi } from '../../harness/platform/docker-engine.js';
import { RUN_LABEL, type Platform, type PlatformKind } from '../../harness/platform/platform.js';
import { deployServiceNetwork } from '../integration/helpers/service-network.js';
import { roomyDedicatedScenario } from './bench-scenario.js';
import { newOwner, release } from './bench-owners.js';
import { descendantsOf, readAllProcessTicks, readCommandLine } from './proc-stat.js';
import { roundedSummary, summarize, type Summary } from './stats.js';

export interface TopologyCell {
  readonly platform: PlatformKind;
  readonly supernodes: number;
  /** Nodes and Toxiproxy links in the topology. */
  readonly nodes: number;
  readonly links: number;
  /** From nothing to every supernode serving (platform, links, nodes). */
  readonly startMs: Summary | undefined;
  /** The part of the start that brings the platform up (Toxiproxy, and on Docker the network). */
  readonly platformUpMs: Summary | undefined;
  /** Releasing everything the run owns. */
  readonly teardownMs: Summary | undefined;
  /** Containers, networks or processes of the run still there after teardown, summed over the repetitions. */
  readonly leftBehind: number;
  readonly failures: readonly string[];
  /** What teardown could not release, over the repetitions. */
  readonly teardownFailures: readonly string[];
  /** Why this size was not measured, when it was not. */
  readonly skipped?: string;
}

interface Repetition {
  readonly platformUpMs: number;
  readonly startMs: number;
  readonly teardownMs: number;
  readonly leftBehind: number;
  readonly teardownFailures: readonly string[];
  readonly nodes: number;
  readonly links: number;
}

const clientsInTheFleet = 10;

/** login, offline-messages, `supernodes` dedicated supernodes (no rejoin delay) and one small fleet, every link through Toxiproxy. */
const scenarioWith = (supernodes: number) => roomyDedicatedScenario({ supernodes, fleets: 1, clientsPerFleet: clientsInTheFleet, sessions: 1_000 });

export const topologyShape = `login, offline-messages, N dedicated supernodes (rejoin delay 0) and one fleet of ${clientsInTheFleet} clients; start ends when every supernode serves`;

/**
 * Start and teardown of growing topologies on one platform: one repetition of every size first,
 * then more while the budget allows, up to `repetitions`. A size that fails to start is recorded,
 * and larger sizes are not tried.
 */
export async function measureTopologyTiming(kind: PlatformKind, sizes: readonly number[], repetitions: number, budgetMs: number): Promise<TopologyCell[]> {
  const deadline = performance.now() + budgetMs;
  const runs = new Map<number, Repetition[]>(sizes.map((size) => [size, []]));
  const failures = new Map<number, string[]>(sizes.map((size) => [size, []]));
  for (let round = 0; round < repetitions; round += 1) {
    for (const size of sizes) {
      if (failures.get(size)?.length !== 0) break;
      const previous = runs.get(size)?.at(-1);
      if (round > 0 && previous !== undefined && performance.now() + previous.startMs + previous.teardownMs > deadline) continue;
      try {
        const repetition = await deployOnce(kind, size);
        runs.get(size)?.push(repetition);
        console.log(`  ${kind}, ${size} supernodes: up in ${(repetition.startMs / 1_000).toFixed(1)} s, down in ${(repetition.teardownMs / 1_000).toFixed(1)} s`);
      } catch (error) {
        failures.get(size)?.push(errorMessage(error));
        console.log(`  ${kind}, ${size} supernodes: could not start (${errorMessage(error)})`);
      }
    }
  }
  return sizes.map((size) => cellOf(kind, size, runs.get(size) ?? [], failures.get(size) ?? []));
}

function cellOf(kind: PlatformKind, size: number, runs: readonly Repetition[], failures: readonly string[]): TopologyCell {
  const skipped = runs.length === 0 && failures.length === 0 ? { skipped: 'not tried: a smaller topology did not start' } : {};
  return {
    ...skipped,
    platform: kind,
    supernodes: size,
    nodes: runs[0]?.nodes ?? 3 + size,
    links: runs[0]?.links ?? 2 * (2 + size),
    startMs: roundedSummary(summarize(runs.map((run) => run.startMs))),
    platformUpMs: roundedSummary(summarize(runs.map((run) => run.platformUpMs))),
    teardownMs: roundedSummary(summarize(runs.map((run) => run.teardownMs))),
    leftBehind: runs.reduce((sum, run) => sum + run.leftBehind, 0),
    failures,
    teardownFailures: runs.flatMap((run) => run.teardownFailures),
  };
}

async function deployOnce(kind: PlatformKind, supernodes: number): Promise<Repetition> {
  const owner = newOwner();
  const began = performance.now();
  let platformUpAt = began;
  let platform: Platform | undefined;
  const started = await deployServiceNetwork({
    kind,
    owner,
    scenario: scenarioWith(supernodes),
    architecture: 'dedicated',
    onPlatformUp: (up) => {
      platformUpAt = performance.now();
      platform = up;
    },
  }).then(
    (net) => ({ startMs: performance.now() - began, nodes: net.topology.nodes().length, links: net.topology.links().length }),
    (error: unknown) => ({ error }),
  );
  const releasing = performance.now();
  const teardownFailures = await release(owner);
  const teardownMs = performance.now() - releasing;
  const leftBehind = platform === undefined ? 0 : await countLeftBehind(platform);
  if ('error' in started) throw started.error;
  return { platformUpMs: platformUpAt - began, teardownMs, teardownFailures, leftBehind, ...started };
}

/** What of the run is still there: labelled containers and networks on Docker, node and Toxiproxy processes locally. */
async function countLeftBehind(platform: Platform): Promise<number> {
  if (platform.kind === 'docker') {
    const api = await dockerApi();
    const filters = { label: [`${RUN_LABEL}=${platform.runId}`] };
    const [containers, networks] = await Promise.all([api.listContainers({ all: true, filters }), api.listNetworks({ filters })]);
    return containers.length + networks.length;
  }
  const mine = descendantsOf(process.pid, await readAllProcessTicks());
  const lines = await Promise.all(mine.map((child) => readCommandLine(child.pid)));
  return lines.filter((line) => line !== undefined && (line.includes(`--chaos-run=${platform.runId}`) || line.some((arg) => arg.endsWith('toxiproxy-server')))).length;
}
