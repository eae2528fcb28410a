import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { containerCostRunSchema, containerCostsSchema, type ContainerCostRun, type ContainerCostsData } from '../../harness/docs/container-costs-data.js';
import { containerCostsTable } from '../../harness/docs/container-costs-table.js';
import { DataFileError } from '../../harness/docs/data-file.js';
import { OPTIONAL_DATA_FILES } from '../../harness/docs/doc-tables.js';
import { readOptionalDataFile } from '../../harness/docs/optional-data-file.js';
import { errorMessage, isChaosError } from '../../harness/errors.js';
import { historyFileName } from '../../harness/observe/history-writer.js';
import { dockerApi, type DockerApi } from '../../harness/platform/docker-engine.js';
import { loadScenario } from '../../harness/runner/scenario-catalog.js';
import type { ScenarioDefinition } from '../../harness/scenario/types.js';
import { MEMORY_MEASURE } from './container-cgroup.js';
import { BenchArgumentError, chaosRunArguments, type ChaosRunArguments } from './container-cost-args.js';
import { ContainerCostSampler } from './container-cost-sampler.js';
import { variedScenario, writeVariedScenario } from './container-cost-scenario.js';
import { phaseCosts } from './container-cost-summary.js';
import { appendRefusal, machineMismatch, withRun } from './container-costs-file.js';
import { unitCosts } from './container-unit-costs.js';
import { machineFacts, type MachineFacts } from './machine-facts.js';
import { phaseSpans, readHistoryEvents, readRunReport, runStartOf } from './run-output.js';
import { rounded } from './stats.js';

/**
 * `npm run bench:costs -- <chaos run arguments> [--set PATH=VALUE ...] [--append]`: runs one scenario
 * on the Docker platform as a child (`npx chaos run ...`), reads every container's cgroup every 2 s,
 * and writes what each supernode, each 1,000 clients, Toxiproxy, login and each offline-message
 * server cost, per phase of the run, to bench/container-costs.json: the file is replaced by this
 * run, or with --append the run is added to its runs (refused when they were measured on another
 * machine). With --set the named scenario is varied (paths as `chaos sweep --param` takes them),
 * validated, written as a JSON scenario file in --out, and that file is run. Exits 0 once written (a
 * failed or saturated run is written too, and says so), 1 when there is nothing to write, 2 for
 * arguments or --set values it refuses (before anything starts), 3 with no Docker engine, 130 on
 * Ctrl-C (nothing written).
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const samplePeriodMs = 2_000;
/** chaos run's exits with a verdict: pass, fail, unknown. */
const verdictExits = new Set([0, 1, 3]);

const shellWord = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

interface SampledRun {
  readonly exitCode: number | null;
  readonly stderrTail: string;
  readonly interrupted: boolean;
  readonly sampler: ContainerCostSampler;
  readonly samplerCpuSeconds: number;
}

/** Starts the run as a child and samples its containers until it exits; Ctrl-C is passed on, and the run heals and tears down before it exits. */
async function runSampled(args: readonly string[], api: DockerApi): Promise<SampledRun> {
  const child = spawn('npx', ['--no', '--', 'chaos', 'run', ...args], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    process.stderr.write(text);
    stderr = (stderr + text).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
    process.stderr.write('\ninterrupted: the run tears down, then the bench exits without writing\n');
    child.kill('SIGINT');
  };
  process.once('SIGINT', onInterrupt);

  // Without a pid npx did not start: its 'error' ends the run at once, and nothing is sampled.
  const sampler = new ContainerCostSampler(api, child.pid ?? Number.NaN);
  const cpuBefore = process.cpuUsage();
  let done = child.pid === undefined;
  void exited.then(() => (done = true));
  for (let due = Date.now(); !done; due = Math.max(due + samplePeriodMs, Date.now())) {
    await sampler.sample().catch((error: unknown) => process.stderr.write(`bench:costs: a sample failed: ${String(error)}\n`));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, Math.max(0, due + samplePeriodMs - Date.now())))]);
  }
  const exitCode = await exited;
  process.removeListener('SIGINT', onInterrupt);
  const cpu = process.cpuUsage(cpuBefore);
  return { exitCode, stderrTail: stderr.trim().split('\n').slice(-5).join('\n'), interrupted, sampler, samplerCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function methodOf(chaos: ChaosRunArguments): string {
  return (
    `\`chaos run\` as a child of the bench, ${chaos.architecture} on the Docker platform; every ${samplePeriodMs / 1_000} s the run's containers ` +
    `(found by their labels) and each one's cgroup: CPU time (cpuacct.usage, or cpu.stat usage_usec on cgroup v2) and memory (${MEMORY_MEASURE.v1}, or ${MEMORY_MEASURE.v2} on v2), ` +
    'and /proc/stat for the machine. CPU per container is each container\'s use over each interval (mean and p95 of those readings); ' +
    'memory per container is each container\'s at each sample (mean and max). Phases from the run\'s history; an interval counts in the phase its middle falls in. ' +
    'Supernode containers include the standby peers and any mega-supernodes the timeline adds. ' +
    'Per 1,000 clients is one fleet container\'s figure divided by its clients / 1,000: the fleet process\'s fixed cost is divided too, so with small fleets it is above the cost of 1,000 more clients; ' +
    'runs that differ only in clientsPerFleet (--set) give that cost apart from the fixed cost (docs/scale.md derives it from the runs)'
  );
}

function machineOf(facts: MachineFacts): ContainerCostRun['machine'] {
  return {
    cores: facts.cores,
    cpuModel: facts.cpuModel,
    memoryGiB: facts.memoryGiB,
    loadAverageAtStart: [...facts.loadAverageAtStart],
    node: facts.node,
    os: facts.os,
    commit: facts.commit,
    uncommittedFiles: facts.uncommittedFiles,
    date: facts.date,
    dockerEngine: facts.dockerEngine ?? null,
  };
}

interface Commands {
  /** `npm run bench:costs -- ...` as given (without --append). */
  readonly bench: string;
  /** `npx chaos run ...` as started. */
  readonly chaos: string;
}

/** The samples, with what the run's history and report say, as one entry of bench/container-costs.json holds them; or why there is nothing to price. */
async function costsOf(chaos: ChaosRunArguments, facts: MachineFacts, commands: Commands, run: SampledRun): Promise<ContainerCostRun | string> {
  // The run's working directory is the repository's, so a relative --out is relative to it.
  const outDir = resolve(repoRoot, chaos.outDir);
  const events = await readHistoryEvents(join(outDir, historyFileName(chaos.architecture)));
  const start = runStartOf(events);
  const topology = start?.definition.architectures[chaos.architecture]?.topology;
  if (topology === undefined) return `the run left no history with its topology in ${outDir}`;
  const phases = phaseCosts(run.sampler.samples(), phaseSpans(events));
  if (phases.length === 0) return `no phase of the run had two samples of its containers (${run.sampler.samples().length} samples, ${run.sampler.unreadReadings()} unread readings)`;
  const report = await readRunReport(outDir);
  const verdict = report?.runs.find((candidate) => candidate.architecture === chaos.architecture);
  return {
    command: commands.bench,
    chaosCommand: commands.chaos,
    set: structuredClone(chaos.set) as ContainerCostRun['set'],
    machine: machineOf(facts),
    method: methodOf(chaos),
    cgroup: { versions: run.sampler.cgroupVersions(), memory: run.sampler.cgroupVersions().map((version) => `${version}: ${MEMORY_MEASURE[version]}`).join('; ') },
    samplePeriodSeconds: samplePeriodMs / 1_000,
    run: {
      scenario: start?.scenario ?? report?.scenario ?? null,
      architecture: chaos.architecture,
      seed: start?.seed ?? report?.seed ?? null,
      runId: run.sampler.run() ?? null,
      exitCode: run.exitCode,
      outcome: verdict?.outcome ?? null,
      verdict: verdict?.verdict ?? null,
      saturated: verdict?.saturation?.saturated ?? null,
      saturationReasons: [...(verdict?.saturation?.reasons ?? [])],
      ...(run.exitCode !== null && verdictExits.has(run.exitCode) ? {} : { stderrTail: run.stderrTail }),
    },
    topology: {
      supernodes: topology.supernodes,
      standbyPeers: topology.standbyPeers,
      offlineMessageServers: topology.offlineMessageServers,
      fleets: topology.fleets,
      clientsPerFleet: topology.clientsPerFleet,
    },
    samples: run.sampler.samples().length,
    unreadReadings: run.sampler.unreadReadings(),
    samplerCpuSeconds: rounded(run.samplerCpuSeconds),
    phases,
    unitCosts: phases.map((phase) => ({ phase: phase.phase, units: unitCosts(phase, topology.clientsPerFleet) })),
  };
}

const refuse = (message: string): number => {
  process.stderr.write(`bench:costs: ${message}\n`);
  return 2;
};

/** The file's runs, to add one to; a file the docs would refuse is refused here, before the run. */
async function existingCosts(file: string): Promise<ContainerCostsData | undefined | string> {
  try {
    return await readOptionalDataFile(file, containerCostsSchema);
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    return `${error.message}\n--append adds to a file the docs can read: fix or remove ${OPTIONAL_DATA_FILES.containerCosts}, or drop --append to replace it`;
  }
}

/** With --set: the named scenario, varied and validated (before anything starts); undefined without --set. */
async function variedOf(chaos: ChaosRunArguments): Promise<ScenarioDefinition | undefined> {
  if (Object.keys(chaos.set).length === 0 || chaos.scenario === undefined) return undefined;
  return variedScenario(await loadScenario(chaos.scenario), chaos.set, chaos.architecture);
}

async function main(): Promise<number> {
  let chaos: ChaosRunArguments;
  let varied: ScenarioDefinition | undefined;
  try {
    chaos = chaosRunArguments(process.argv.slice(2));
    varied = await variedOf(chaos);
  } catch (error) {
    if (error instanceof BenchArgumentError) return refuse(error.message);
    if (isChaosError(error)) return refuse(error.describe());
    throw error;
  }
  const dataFile = join(repoRoot, OPTIONAL_DATA_FILES.containerCosts);
  const facts = await machineFacts();
  if (facts.dockerEngine === undefined) {
    process.stderr.write('bench:costs: no Docker engine answers; the bench reads the containers of a Docker run\n');
    return 3;
  }
  if (chaos.append) {
    const existing = await existingCosts(dataFile);
    if (typeof existing === 'string') return refuse(existing);
    const mismatch = existing === undefined ? undefined : machineMismatch(existing.runs, machineOf(facts));
    if (mismatch !== undefined) return refuse(appendRefusal(OPTIONAL_DATA_FILES.containerCosts, mismatch));
    if (existing === undefined) process.stdout.write(`bench:costs: --append: ${OPTIONAL_DATA_FILES.containerCosts} does not exist yet, this run is its first\n`);
  }
  const args = [...chaos.args];
  if (varied !== undefined && chaos.scenarioIndex !== undefined) {
    try {
      args[chaos.scenarioIndex] = await writeVariedScenario(resolve(repoRoot, chaos.outDir), varied);
    } catch (error) {
      return refuse(isChaosError(error) ? error.describe() : `cannot write the varied scenario in ${chaos.outDir} (${errorMessage(error)}): pass a writable --out`);
    }
  }
  const commands = { bench: `npm run bench:costs -- ${chaos.benchArgs.map(shellWord).join(' ')}`, chaos: `npx chaos run ${args.map(shellWord).join(' ')}` };
  process.stdout.write(`bench:costs: ${commands.chaos}\nmachine: ${facts.cores} cores, load average ${facts.loadAverageAtStart.join(' ')}, commit ${facts.commit.slice(0, 10)}\n`);
  const run = await runSampled(args, await dockerApi());
  if (run.interrupted) return 130;
  const costs = await costsOf(chaos, facts, commands, run);
  if (typeof costs === 'string') {
    process.stderr.write(`bench:costs: nothing written (the run exited ${run.exitCode ?? 'without a code'}): ${costs}\n`);
    return 1;
  }
  // Kept beside the run when it cannot go into bench/, where the docs would refuse it.
  const kept = join(resolve(repoRoot, chaos.outDir), 'container-costs-run.json');
  const keep = async (why: string): Promise<number> => {
    await writeFile(kept, `${JSON.stringify(costs, null, 2)}\n`, 'utf8');
    process.stderr.write(`bench:costs: ${why}; the run is kept in ${kept}\n`);
    return 1;
  };
  const checked = containerCostRunSchema.safeParse(costs);
  if (!checked.success) {
    return keep(`the measurement does not have the shape the docs read (${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')})`);
  }
  // Read again: the file may have changed while the run ran.
  const existing = chaos.append ? await existingCosts(dataFile) : undefined;
  if (typeof existing === 'string') return keep(existing);
  const update = withRun(existing, checked.data, chaos.append, OPTIONAL_DATA_FILES.containerCosts);
  if ('refused' in update) return keep(update.refused);
  const data = containerCostsSchema.parse(update.data);
  await writeFile(dataFile, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
  const what = update.appended ? `added run ${data.runs.length} to` : 'wrote';
  process.stdout.write(`\n${containerCostsTable(data)}\n\n${what} ${OPTIONAL_DATA_FILES.containerCosts}; \`npm run docs\` renders it into docs/scale.md\n`);
  return 0;
}

process.exit(await main());
