import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { imageNamesFrom } from '../../harness/config/images.js';
import { findOnPath } from '../../harness/platform/find-on-path.js';
import { defaultServicesBundle } from '../../harness/platform/local-platform.js';
import type { PlatformKind } from '../../harness/platform/platform.js';
import { runProvisioning } from '../../harness/provision/run-provisioning.js';
import { attempt, limitsOf, notChosen, skipped, type BenchResults, type Outcome } from './bench-results.js';
import { releaseEveryOwner, withOwner } from './bench-owners.js';
import { renderFaultLatency, renderFleetCapacity, renderHarnessCpu, renderHopOverhead, renderLimits, renderTopology } from './bench-tables.js';
import { measureFaultLatency, type FaultLatencyResult } from './fault-latency.js';
import { measureFleetCapacity, type FleetCapacityResult } from './fleet-capacity.js';
import { measureHarnessCpu, type HarnessCpuResult } from './harness-cpu.js';
import { measureHopOverhead, type HopOverheadResult } from './hop-overhead.js';
import { currentLoadAverage, machineFacts, type MachineFacts } from './machine-facts.js';
import { deployProbeNetwork } from './probe-network.js';
import { rounded } from './stats.js';
import { measureTopologyTiming, topologyShape, type TopologyCell } from './topology-timing.js';

/** `npm run bench`: the harness's own limits, measured on this machine; bench/results.json. About 15 minutes on 2 cores. */

const defaultResultsFile = fileURLToPath(new URL('../../bench/results.json', import.meta.url));
const measurementNames = ['fleet', 'topology', 'faults', 'hop', 'cpu'] as const;
type MeasurementName = (typeof measurementNames)[number];
const budgetSeconds = { fleetCapacity: 240, topologyLocal: 100, topologyDocker: 200 };
const topologySizes = [2, 8, 32];
const topologyRepetitions = 3;
/** The bench measures the platforms a machine has without setup of its own (not swarm). */
type BenchedPlatform = Exclude<PlatformKind, 'swarm'>;
const faultRepetitions: Record<BenchedPlatform, number> = { local: 30, docker: 20 };

/** What the bench needs to start at all; anything else missing becomes a limit in the results. */
function cannotStart(): string | undefined {
  if (!existsSync(defaultServicesBundle)) return `the services bundle ${defaultServicesBundle} is missing; run \`npm run build\` (npm run bench does)`;
  if (findOnPath('toxiproxy-server') === undefined) return 'toxiproxy-server is not on PATH; run `npm run setup`';
  return undefined;
}

interface ProbeOutcomes {
  readonly hop: Outcome<HopOverheadResult>;
  readonly faults: Outcome<FaultLatencyResult>;
}

/** Hop overhead (local only) and fault latency, on one small network per platform. */
async function onProbeNetwork(kind: BenchedPlatform, chosen: (name: MeasurementName) => boolean): Promise<ProbeOutcomes> {
  if (!chosen('hop') && !chosen('faults')) return { hop: notChosen(), faults: notChosen() };
  return withOwner(async (owner) => {
    const probe = await attempt(`deploying a probe network (${kind})`, () => deployProbeNetwork(kind, owner));
    if (probe.status !== 'measured') return { hop: probe, faults: probe };
    const hop: Outcome<HopOverheadResult> =
      !chosen('hop') ? notChosen() : kind === 'local' ? await attempt('(4) Toxiproxy hop overhead (local)', () => measureHopOverhead(probe.result)) : skipped('local platform only');
    const faults = chosen('faults') ? await attempt(`(3) fault latency (${kind})`, () => measureFaultLatency(probe.result, faultRepetitions[kind])) : notChosen<FaultLatencyResult>();
    return { hop, faults };
  });
}

/** The Docker images the measurements start, as `chaos images --offline` leaves them; undefined when ready. */
async function dockerNotReady(facts: MachineFacts, lines: string[]): Promise<string | undefined> {
  if (facts.dockerEngine === undefined) return 'no Docker engine answers; start dockerd (npm run setup)';
  const { exitCode } = await runProvisioning(imageNamesFrom(), { offline: true, skipEngine: true, rebuild: false, scope: 'images' }, { out: (line) => lines.push(line), progress: () => undefined });
  return exitCode === 0 ? undefined : `the images are not ready: ${lines.join(' / ')}`;
}

async function measureAll(facts: MachineFacts, began: number, chosen: (name: MeasurementName) => boolean): Promise<BenchResults> {
  const local = await onProbeNetwork('local', chosen);
  const fleetCapacity = chosen('fleet')
    ? await attempt('(1) fleet capacity search (local)', () => withOwner((owner) => measureFleetCapacity(owner, budgetSeconds.fleetCapacity * 1_000)))
    : notChosen<FleetCapacityResult>();
  const topologyLocal = chosen('topology')
    ? await attempt('(2) topology start and teardown (local)', () => measureTopologyTiming('local', topologySizes, topologyRepetitions, budgetSeconds.topologyLocal * 1_000))
    : notChosen<TopologyCell[]>();
  const dockerImages: string[] = [];
  const dockerProblem = chosen('topology') || chosen('faults') ? await dockerNotReady(facts, dockerImages) : undefined;
  const topologyDocker: Outcome<TopologyCell[]> = !chosen('topology')
    ? notChosen()
    : dockerProblem !== undefined
      ? skipped(dockerProblem)
      : await attempt('(2) topology start and teardown (docker)', () => measureTopologyTiming('docker', topologySizes, topologyRepetitions, budgetSeconds.topologyDocker * 1_000));
  const docker: ProbeOutcomes = dockerProblem !== undefined ? { hop: skipped(dockerProblem), faults: skipped(dockerProblem) } : await onProbeNetwork('docker', (name) => name === 'faults' && chosen(name));
  const harnessCpu = chosen('cpu') ? await attempt('(5) harness CPU during skype-2010 (local)', () => measureHarnessCpu()) : notChosen<HarnessCpuResult>();
  const [one] = facts.loadAverageAtStart;
  const measurements = {
    command: 'npm run bench',
    machine: facts,
    loadAverageAtEnd: currentLoadAverage(),
    ...(one > facts.cores ? { busyMachineNote: `1-minute load average ${one} at the start, above the ${facts.cores} cores: other work was running, figures may be pessimistic` } : {}),
    durationSeconds: rounded((performance.now() - began) / 1_000, 0),
    settings: { budgetSeconds, topologySizes, topologyRepetitions, faultRepetitions },
    dockerImages,
    fleetCapacity,
    topology: { shape: topologyShape, local: topologyLocal, docker: topologyDocker },
    faultLatency: { local: local.faults, docker: docker.faults },
    hopOverhead: local.hop,
    harnessCpu,
  };
  return { ...measurements, limits: limitsOf(measurements) };
}

function print(results: BenchResults, resultsFile: string): void {
  const m = results.machine;
  console.log(`\n== npm run bench: ${m.cores} cores (${m.cpuModel}), load ${m.loadAverageAtStart.join(' ')} at start, node ${m.node}, commit ${m.commit.slice(0, 10)}, ${m.date}`);
  for (const render of [renderFleetCapacity, renderTopology, renderFaultLatency, renderHopOverhead, renderHarnessCpu]) console.log(render(results));
  console.log(renderLimits(results.limits));
  console.log(`\nbench took ${results.durationSeconds} s; figures in ${resultsFile}`);
}

interface BenchOptions {
  readonly chosen: (name: MeasurementName) => boolean;
  readonly resultsFile: string;
}

/** `--only fleet,cpu` runs some measurements (the rest are recorded as not chosen); `--out FILE` writes elsewhere. */
function parseOptions(argv: readonly string[]): BenchOptions | { readonly problem: string } {
  let values: { only?: string; out?: string };
  try {
    values = parseArgs({ args: [...argv], options: { only: { type: 'string' }, out: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    return { problem: `${error instanceof Error ? error.message : String(error)}; the options are --only ${measurementNames.join(',')} and --out FILE` };
  }
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !(measurementNames as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0) return { problem: `unknown measurement ${unknown.join(', ')} in --only; choose from ${measurementNames.join(', ')}` };
  return { chosen: (name) => only === undefined || only.includes(name), resultsFile: values.out ?? defaultResultsFile };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if ('problem' in options) {
    console.error(`the bench cannot start: ${options.problem}`);
    return 2;
  }
  const problem = cannotStart();
  if (problem !== undefined) {
    console.error(`the bench cannot start: ${problem}`);
    return 3;
  }
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    console.error('\ninterrupted: releasing everything the bench started');
    void releaseEveryOwner().then(() => process.exit(130));
  });
  const began = performance.now();
  const facts = await machineFacts();
  console.log(`machine: ${facts.cores} cores, load average ${facts.loadAverageAtStart.join(' ')}, node ${facts.node}, commit ${facts.commit.slice(0, 10)}`);
  const results = await measureAll(facts, began, options.chosen);
  if (interrupted) return 130;
  await mkdir(dirname(options.resultsFile), { recursive: true });
  await writeFile(options.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  print(results, options.resultsFile);
  return 0;
}

process.exit(await main());
