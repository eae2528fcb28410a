import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../harness/engine/random.js';
import { interruptRun, readEvents, type InterruptCase, type InterruptSignal, type InterruptedRun, type Phase, type RunSetup, type Wrapper } from './helpers/interrupted-run.js';
import type { RunTrace } from './helpers/run-trace.js';
import { findLeftovers } from '../../harness/platform/leftovers.js';
import { smallDedicatedScenario } from './helpers/small-dedicated.js';
import { singleNodeSwarm, swarmTestsWanted, type SwarmForTest } from './helpers/single-node-swarm.js';
import { dockerApi } from '../../harness/platform/docker-engine.js';

/*
 * Cleanup under fire: `chaos run` interrupted at seeded moments in every phase, with SIGINT and SIGTERM
 * to its whole process group (as a terminal's Ctrl-C and a CI runner's cancel send them) and SIGKILL:
 * every phase x signal cell once per platform (on a swarm ten cells, every phase twice: opt-in with CHAOS_TEST_SWARM=1),
 * on a tiny topology, several runs side by side. A moment
 * is the phase's event appearing in the live history plus a seeded offset; rollback and teardown last a few hundred ms, too
 * short to aim into at random, so those cases signal as soon as their phase event appears (and a case
 * whose run ended before its signal reached it is played again).
 *
 * SIGINT/SIGTERM: exit 130, and when the command returns (npm included) nothing of the run remains
 * (asked of Docker, the OS and Toxiproxy, no retries), the history ends with its run-end and teardown,
 * and the reports are written. SIGKILL: what the run left is removed by `chaos doctor --clean` or by the
 * next run's start (alternately), asked the same way.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
type MatrixPlatform = RunSetup['platform'];
const seed = 20_101;
/** Every phase x signal cell once on local and Docker; ten of them on a swarm, whose runs are slower to start and stop. */
const casesPerPlatform: Record<MatrixPlatform, number> = { local: 15, docker: 15, swarm: 10 };
const phases: readonly Phase[] = ['deploying', 'steady-state', 'timeline', 'rollback', 'teardown'];
const signals: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM', 'SIGKILL'];
const wrappers: readonly Wrapper[] = ['npm run chaos', 'node'];
/** Offsets are drawn below these (ms): well inside each phase's usual length on that platform. */
const spread: Record<MatrixPlatform, Record<Phase, number>> = {
  local: { deploying: 1_000, 'steady-state': 500, timeline: 1_800, rollback: 0, teardown: 0 },
  docker: { deploying: 2_500, 'steady-state': 500, timeline: 1_800, rollback: 0, teardown: 0 },
  swarm: { deploying: 4_000, 'steady-state': 500, timeline: 1_800, rollback: 0, teardown: 0 },
};
const laneCount: Record<MatrixPlatform, number> = { local: 4, docker: 3, swarm: 2 };
const testTimeoutMs: Record<MatrixPlatform, number> = { local: 360_000, docker: 360_000, swarm: 900_000 };
/** The swarm's half is opt-in, as the swarm platform's own test (see helpers/single-node-swarm.ts). */
const platforms: readonly MatrixPlatform[] = swarmTestsWanted ? ['local', 'docker', 'swarm'] : ['local', 'docker'];

/**
 * One dedicated supernode, login, offline-messages, one fleet of 10; a 2 s timeline with a toxic and a
 * crash and its restart; the toxic is left for the rollback to heal (so the rollback has work to be
 * interrupted in).
 */
const tiny = smallDedicatedScenario({
  name: 'interrupt-tiny',
  description: 'A tiny dedicated topology for the interrupt matrix.',
  oneHour: '1s',
  seed: 11,
  supernodes: 1,
  clients: 10,
  availabilityFloor: 0,
  backoffCapMs: 2_000,
  rampUpMs: 500,
  steadyState: { hold: '0.5h', within: '30h' },
  sampleEveryMs: 500,
  duration: '2h',
  timeline: [
    {
      at: '0h',
      action: { do: 'inject', id: 'offline-delay', target: { links: { from: 'any', to: { group: 'offline-messages' } } }, toxic: { type: 'latency', attributes: { latency: 2_000 } } },
    },
    { at: '0.5h', action: { do: 'crash', id: 'box-lost', target: { nodes: { group: 'supernodes', count: 1 } }, restartAfter: { kind: 'fixed', value: '0.5h' } } },
  ],
});

type Cleanup = 'doctor --clean' | 'next run';
interface PlannedCase extends InterruptCase {
  readonly cleanup?: Cleanup;
}

interface Plan {
  /** Run side by side, each lane one case after another; a SIGKILL here is cleaned up by the lane's next run. */
  readonly lanes: readonly (readonly PlannedCase[])[];
  /** SIGKILLs run side by side after the lanes, then one `chaos doctor --clean` for all of them. */
  readonly killedForDoctor: readonly PlannedCase[];
}

/** `count` of the shuffled cells, as many of each phase as can be (every phase twice for ten), in their shuffled order. */
function fewerCells<T extends { readonly phase: Phase }>(cells: readonly T[], count: number): T[] {
  if (count >= cells.length) return [...cells];
  const perPhase = Math.ceil(count / phases.length);
  const taken = new Map<Phase, number>();
  const chosen = cells.filter((cell) => {
    const already = taken.get(cell.phase) ?? 0;
    if (already >= perPhase) return false;
    taken.set(cell.phase, already + 1);
    return true;
  });
  return chosen.slice(0, count);
}

/**
 * Every phase x signal cell once, the rest drawn at random, shuffled and dealt to lanes. A SIGKILL is
 * left to the next run of its lane when that run reaches its steady state (its platform has started,
 * cleaning up on the way), otherwise, and every other time, to the doctor.
 */
function plan(platform: MatrixPlatform): Plan {
  const random = createRandom(seed).fork(platform);
  const cells = phases.flatMap((phase) => signals.map((signal) => ({ phase, signal })));
  while (cells.length < casesPerPlatform[platform]) cells.push({ phase: random.pick(phases), signal: random.pick(signals) });
  for (let i = cells.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [cells[i], cells[j]] = [cells[j] as (typeof cells)[number], cells[i] as (typeof cells)[number]];
  }
  const cases: InterruptCase[] = fewerCells(cells, casesPerPlatform[platform]).map(({ phase, signal }, index) => ({
    index,
    phase,
    signal,
    // SIGTERM to the group through npm is what a CI runner's cancel does and what returned early before.
    wrapper: signal === 'SIGTERM' ? 'npm run chaos' : random.pick(wrappers),
    offsetMs: Math.round(random.next() * spread[platform][phase]),
  }));
  const killedForDoctor: PlannedCase[] = [];
  let kills = 0;
  const lanes = Array.from({ length: laneCount[platform] }, (_, lane) => {
    const dealt = cases.filter((c) => c.index % laneCount[platform] === lane);
    return dealt.flatMap((c, position): PlannedCase[] => {
      if (c.signal !== 'SIGKILL') return [c];
      const next = dealt[position + 1];
      if (next !== undefined && next.phase !== 'deploying' && next.signal !== 'SIGKILL' && kills++ % 2 === 0) return [{ ...c, cleanup: 'next run' }];
      killedForDoctor.push({ ...c, cleanup: 'doctor --clean' });
      return [];
    });
  });
  return { lanes, killedForDoctor };
}

interface Row {
  readonly planned: PlannedCase;
  readonly run: InterruptedRun;
  readonly leftBehind: number;
}

function problemsAfterInterrupt(run: InterruptedRun, signal: InterruptSignal): string[] {
  const problems: string[] = [];
  // After its reports the harness lets the signal go (it is done): dying of it is as good as 130 then.
  const interrupted = run.code === 130 || (run.landed === 'done' && run.exitSignal === signal);
  if (!interrupted && run.landed !== 'exited') problems.push(`exit ${run.code ?? run.exitSignal}, not 130`);
  if (run.groupAtExit.length > 0) problems.push(`the command returned while ${run.groupAtExit.length} process(es) of its group still ran`);
  const events = readEvents(run.out);
  const end = events.find((event) => event.type === 'run-end');
  if (end === undefined) problems.push('the history has no run-end');
  if (events.findLast((event) => event.type === 'phase')?.phase !== 'done') problems.push('the history does not end with teardown done');
  // Cut short before its timeline ended: marked interrupted. After (rollback, teardown) the measured run stands; the exit code says 130.
  if (['deploying', 'steady-state', 'timeline'].includes(run.landed) && end?.outcome !== 'interrupted') problems.push(`run-end outcome ${end?.outcome}, not interrupted`);
  for (const file of ['report.json', 'junit.xml', 'report.html']) if (!existsSync(join(run.out, file))) problems.push(`${file} not written`);
  // Reached after the timeline (rollback, teardown), the signal is marked: the history's interrupt event, report.json's interruptedDuring.
  const signalled = events.find((event) => event.type === 'interrupt');
  // Sent in the teardown, the signal may arrive once the history is closed: only there may it go unrecorded.
  if (['deploying', 'steady-state', 'timeline', 'rollback'].includes(run.landed) && signalled === undefined) problems.push('the history does not record the interrupt');
  const lateIn = end?.outcome !== 'interrupted' && (signalled?.phase === 'rollback' || signalled?.phase === 'teardown') ? signalled.phase : undefined;
  if (existsSync(join(run.out, 'report.json'))) {
    const report = JSON.parse(readFileSync(join(run.out, 'report.json'), 'utf8')) as { runs: { outcome?: string; interruptedDuring?: string }[] };
    if (report.runs[0]?.outcome !== end?.outcome) problems.push(`report.json says ${report.runs[0]?.outcome}, the history ${end?.outcome}`);
    if (report.runs[0]?.interruptedDuring !== lateIn) problems.push(`report.json says interrupted during ${report.runs[0]?.interruptedDuring ?? 'nothing'}, the history ${lateIn ?? 'nothing'}`);
  }
  return problems;
}

function teardownMs(out: string): number | undefined {
  const events = readEvents(out);
  const start = events.find((event) => event.type === 'phase' && event.phase === 'teardown')?.t;
  const done = events.find((event) => event.type === 'phase' && event.phase === 'done')?.t;
  return start === undefined || done === undefined ? undefined : done - start;
}

/** `chaos doctor --clean --json`: its exit code and how many leftovers it removed. */
function doctorClean(registry: string): Promise<{ readonly code: number | null; readonly removed: number | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli.ts', 'doctor', '--clean', '--json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, CHAOS_RUN_REGISTRY: registry },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // Bounded, so that a stuck doctor fails as itself (code null) instead of as the test's timeout.
    const stuck = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(stuck);
      let removed: number | undefined;
      try {
        removed = (JSON.parse(stdout) as { cleaned?: { removed?: number } }).cleaned?.removed;
      } catch {
        removed = undefined;
      }
      resolve({ code, removed });
    });
  });
}

async function expectNothingLeft(trace: RunTrace, what: string, failures: string[]): Promise<void> {
  const remains = await trace.remains({ records: false });
  if (remains.length > 0) failures.push(`${what}: ${remains.join('; ')}`);
}

async function runLane(setup: RunSetup, lane: readonly PlannedCase[], dir: string, rows: Row[], failures: string[]): Promise<void> {
  let killedBefore: { readonly trace: RunTrace; readonly index: number } | undefined;
  for (const planned of lane) {
    const row = await runCase(setup, planned, dir, failures);
    if (row !== undefined && killedBefore !== undefined) {
      await expectNothingLeft(killedBefore.trace, `case ${killedBefore.index} (SIGKILL) after the next run (case ${planned.index})`, failures);
    }
    killedBefore = row !== undefined && planned.cleanup === 'next run' ? { trace: row.run.trace, index: planned.index } : undefined;
    if (row !== undefined) rows.push(row);
  }
}

const describeCase = (planned: PlannedCase): string => `case ${planned.index} (${planned.signal} in ${planned.phase} +${planned.offsetMs} ms via ${planned.wrapper})`;

/**
 * Plays the case, and once more when it did not get to interrupt anything: the run ended before the
 * signal reached it (a teardown aimed at, on a starved machine), or it did not start because local runs
 * side by side raced for a loopback port (free between a node's hold being released and its bind).
 */
async function playOnce(setup: RunSetup, planned: PlannedCase, dir: string, label: string): Promise<InterruptedRun> {
  const again = (why: string): Promise<InterruptedRun> => {
    console.log(`${label}: ${why}; played again`);
    return interruptRun(setup, planned, join(dir, `case-${planned.index}-again`));
  };
  let run: InterruptedRun;
  try {
    run = await interruptRun(setup, planned, join(dir, `case-${planned.index}`));
  } catch (error) {
    if (!String(error).includes('EADDRINUSE')) throw error;
    return again(`the run did not start (${String(error).split('\n')[0]})`);
  }
  // In 'done' a live harness dies of the signal (it lets it go): exit 0 there means it had exited between the look and the signal.
  const endedFirst = run.landed === 'exited' || (run.landed === 'done' && run.code === 0 && run.exitSignal === null);
  return endedFirst || finishedUnaware(run) ? again('the run had ended before the signal') : run;
}

/**
 * Looked at in its teardown, a tiny run can be done and exiting with its verdict a few ms later, before
 * the signal arrives: it exits with that verdict's code, its history complete and without an interrupt.
 * Played once more only; a harness that ignored signals in its teardown would fail the replay.
 */
function finishedUnaware(run: InterruptedRun): boolean {
  if (run.landed !== 'teardown' || run.code === 130 || run.exitSignal !== null) return false;
  const events = readEvents(run.out);
  return !events.some((event) => event.type === 'interrupt') && events.findLast((event) => event.type === 'phase')?.phase === 'done';
}

/** Runs one case and checks what a SIGINT/SIGTERM must leave; undefined when the case could not be played. */
/** The cases being played now: named if the test runs out of time. */
const inFlight = new Set<string>();

async function runCase(setup: RunSetup, planned: PlannedCase, dir: string, failures: string[]): Promise<Row | undefined> {
  const label = describeCase(planned);
  inFlight.add(label);
  try {
    const run = await playOnce(setup, planned, dir, label);
    if (planned.signal === 'SIGKILL') {
      if (run.exitSignal !== 'SIGKILL') failures.push(`${label}: ended with ${run.code ?? run.exitSignal}, not SIGKILL`);
      // What the dead harness left is named by its run record and its labels, still there to read.
      await run.trace.observe();
      // Asked in this order because another lane's run starting meanwhile cleans earlier runs: what it
      // removes after the doctor's look is gone from both, never found remaining but unreported.
      const reported = (await findLeftovers()).filter((leftover) => run.trace.runIds.has(leftover.runId));
      const left = await run.trace.remains({ records: false });
      if (left.length > 0 && reported.length === 0) failures.push(`${label}: left ${left.join('; ')}, and chaos doctor reports none of it`);
      return { planned, run, leftBehind: left.length };
    }
    for (const problem of [...problemsAfterInterrupt(run, planned.signal), ...(await run.trace.remains())]) failures.push(`${label}, landed in ${run.landed}: ${problem}`);
    return { planned, run, leftBehind: 0 };
  } catch (error) {
    failures.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  } finally {
    inFlight.delete(label);
  }
}

/** The doctor's share: SIGKILLs side by side, then one `chaos doctor --clean`, which must remove what they left. */
async function killThenDoctor(setup: RunSetup, killed: readonly PlannedCase[], dir: string, rows: Row[], failures: string[]): Promise<void> {
  const played = (await Promise.all(killed.map((planned) => runCase(setup, planned, dir, failures)))).filter((row) => row !== undefined);
  const theirs = (await findLeftovers()).filter((leftover) => played.some((row) => row.run.trace.runIds.has(leftover.runId)));
  const doctor = await doctorClean(setup.registry);
  if (doctor.code !== 0) failures.push(`chaos doctor --clean exited ${doctor.code}`);
  // What it removed, not more precisely: a killed run's node may also die on its own meanwhile (its pipes to the harness broke).
  if (theirs.length > 0 && (doctor.removed ?? 0) === 0) failures.push(`chaos doctor --clean removed nothing, but the killed runs had left ${theirs.length}`);
  for (const row of played) await expectNothingLeft(row.run.trace, `${describeCase(row.planned)} after chaos doctor --clean`, failures);
  rows.push(...played);
}

function table(rows: readonly Row[]): string {
  const lines = rows
    .toSorted((a, b) => a.planned.index - b.planned.index)
    .map(({ planned, run, leftBehind }) =>
      [
        String(planned.index).padStart(2),
        planned.signal.padEnd(7),
        planned.wrapper.padEnd(13),
        `${planned.phase} +${planned.offsetMs}`.padEnd(18),
        run.landed.padEnd(12),
        String(run.code ?? run.exitSignal).padEnd(7),
        `${run.signalToExitMs}`.padStart(6),
        `${teardownMs(run.out) ?? '-'}`.padStart(6),
        planned.signal === 'SIGKILL' ? `${leftBehind} left, removed by ${planned.cleanup}` : '',
      ].join('  '),
    );
  return ['case signal   command        aimed at (ms)       landed in     exit    sig→exit teardown', ...lines].join('\n');
}

describe.each(platforms)('%s: chaos run interrupted at seeded moments', (platform) => {
  let dir: string;
  const registryBefore = process.env['CHAOS_RUN_REGISTRY'];
  let swarm: SwarmForTest | undefined;
  beforeAll(async () => {
    if (platform === 'swarm') swarm = await singleNodeSwarm(await dockerApi());
    dir = await mkdtemp(join(tmpdir(), `interrupt-${platform}-`));
    // The runs' registry, for them and for findLeftovers here: local leftovers are looked for among these runs only.
    process.env['CHAOS_RUN_REGISTRY'] = join(dir, 'registry');
  });
  afterAll(async () => {
    if (registryBefore === undefined) delete process.env['CHAOS_RUN_REGISTRY'];
    else process.env['CHAOS_RUN_REGISTRY'] = registryBefore;
    await rm(dir, { recursive: true, force: true });
    await swarm?.leave();
  });

  it(
    `${casesPerPlatform[platform]} interrupts: SIGINT/SIGTERM leave nothing and write the reports; SIGKILL leftovers go with the next run or chaos doctor --clean`,
    async () => {
      const scenarioFile = join(dir, 'interrupt-tiny.json');
      await writeFile(scenarioFile, JSON.stringify(tiny));
      const setup: RunSetup = { root, scenarioFile, platform, registry: join(dir, 'registry') };
      const { lanes, killedForDoctor } = plan(platform);
      const rows: Row[] = [];
      const failures: string[] = [];
      const lastWord = setTimeout(() => console.log(`${platform}: out of time while playing ${[...inFlight].join('; ') || 'no case (cleaning up)'}\n${table(rows)}\n${failures.join('\n')}`), testTimeoutMs[platform] - 10_000);
      try {
        await Promise.all(lanes.map((lane) => runLane(setup, lane, dir, rows, failures)));
        await killThenDoctor(setup, killedForDoctor, dir, rows, failures);
      } finally {
        clearTimeout(lastWord);
        console.log(`${platform}: seed ${seed}\n${table(rows)}`);
        // Whatever a failed case left is not left for the next test file.
        if (failures.length > 0) await doctorClean(setup.registry);
      }
      expect(failures).toEqual([]);
      expect(rows).toHaveLength(casesPerPlatform[platform]);
      const cleanups = new Set(rows.map((row) => row.planned.cleanup).filter((cleanup) => cleanup !== undefined));
      expect([...cleanups].sort()).toEqual(['doctor --clean', 'next run']);
      for (const row of rows) expect(await row.run.trace.remains({ records: false })).toEqual([]);
    },
    testTimeoutMs[platform],
  );
});
