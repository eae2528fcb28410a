import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../harness/observe/history-writer.js';
import { HARNESS_LABEL } from '../../harness/platform/labels.js';
import { pidAlive } from '../../harness/platform/process-identity.js';
import { readRunRecords } from '../../harness/platform/run-registry.js';
import { connectDocker } from '../../harness/provision/docker-client.js';
import { judgeAgainstRecording } from '../../harness/rehearsal/scenario-recorder.js';
import { loadScenario } from '../../harness/runner/scenario-catalog.js';
import type { PlatformKind } from '../../harness/platform/platform.js';
import type { ScenarioDefinition } from '../../harness/scenario/types.js';
import { actionsOf, type ReplayedAction } from './helpers/replay-actions.js';
import { smallDedicatedScenario } from './helpers/small-dedicated.js';

/*
 * Record and replay: a short rehearsal on each platform, driven over the terminal prompt (stdin),
 * recorded with --record; then `chaos run FILE` on the same platform and on the other one. The
 * replay's history holds the same actions (faults, remedies, the operator's marks) at the same
 * offsets from T0 within one sampler tick (each where its step began: how long the platform took to
 * carry it out is not part of the recording), and its verdict is the one the live session gets
 * against the recorded targets. After every process: nothing of it remains.
 */

const SAMPLE_MS = 1_000;

const small = smallDedicatedScenario({
  name: 'replay-small',
  description: 'A small dedicated topology for the record-and-replay integration test.',
  oneHour: '10s',
  seed: 11,
  supernodes: 2,
  clients: 20,
  availabilityFloor: 0.2,
  backoffCapMs: 1_000,
  rampUpMs: 1_000,
  steadyState: { hold: '0.2h', within: '6h' },
  sampleEveryMs: SAMPLE_MS,
  duration: '1h',
});

/** The operator's session: each command once the previous one answered, then a pause. */
const session: readonly { readonly line: string; readonly reply: string; readonly thenMs: number }[] = [
  { line: 'inject latency any->offline-messages latency=800 as slow', reply: 'inject slow in place', thenMs: 1_500 },
  { line: 'crash supernodes 1 restart=0.4h as box', reply: 'crash box in place', thenMs: 2_000 },
  { line: 'heal slow', reply: 'healed slow', thenMs: 1_000 },
  { line: 'mark replay parity', reply: 'marked: replay parity', thenMs: 5_000 },
];

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

interface Child {
  readonly process: ChildProcess;
  out(): string;
  err(): string;
  readonly exit: Promise<number | null>;
  /** Every run record seen in the registry while it ran (local runs write one): its processes and Toxiproxy API. */
  readonly records: Map<string, { pids: number[]; toxiproxyApi?: string }>;
}

function start(args: readonly string[], registry: string, stdin: 'pipe' | 'ignore'): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli.ts', ...args], {
    stdio: [stdin, 'pipe', 'pipe'],
    env: { ...process.env, CHAOS_RUN_REGISTRY: registry, FORCE_COLOR: '0' },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const records = new Map<string, { pids: number[]; toxiproxyApi?: string }>();
  const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  let running = true;
  void exit.then(() => (running = false));
  void (async () => {
    while (running) {
      for (const record of await readRunRecords(registry).catch(() => [])) records.set(record.runId, { pids: record.processes.map((p) => p.pid), ...(record.toxiproxyApi === undefined ? {} : { toxiproxyApi: record.toxiproxyApi }) });
      await sleep(250);
    }
  })();
  return { process: child, out: () => out, err: () => err, exit, records };
}

async function until(what: string, probe: () => boolean, child: Child, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (child.process.exitCode !== null) throw new Error(`the process ended (${child.process.exitCode}) before ${what}:\n${child.err().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${child.err().slice(-3000)}`);
    await sleep(100);
  }
}

/** Nothing the child created remains: no run record, no process of its runs, no container or network it labelled. */
async function assertNothingLeft(child: Child, registry: string): Promise<void> {
  expect(await readRunRecords(registry)).toEqual([]);
  for (const [runId, { pids, toxiproxyApi }] of child.records) {
    expect(pids.filter((pid) => pidAlive(pid)), `processes of ${runId}`).toEqual([]);
    // Its Toxiproxy is gone, and every proxy and toxic with it.
    if (toxiproxyApi !== undefined) await expect(fetch(`${toxiproxyApi}/proxies`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    expect(readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && cmdline(pid).includes(`--chaos-run=${runId}`)), `nodes of ${runId}`).toEqual([]);
  }
  const { api } = await connectDocker();
  const mine = (labels: Record<string, string> | undefined): boolean => labels?.[HARNESS_LABEL]?.startsWith(`${child.process.pid ?? 0}:`) === true;
  expect((await api.listContainers({ all: true })).filter((c) => mine(c.Labels)).map((c) => c.Names.join(','))).toEqual([]);
  expect((await api.listNetworks()).filter((n) => mine(n.Labels)).map((n) => n.Name)).toEqual([]);
}

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

interface Judged {
  readonly verdict: string;
  readonly targets: readonly { readonly name: string; readonly outcome: string }[];
}

interface Rehearsed {
  readonly platform: PlatformKind;
  readonly file: string;
  readonly recorded: ScenarioDefinition;
  readonly actions: readonly ReplayedAction[];
  readonly judged: Judged;
}

const SATURATION_TARGET = 'harness delivered the scenario load';

/**
 * The verdict on the system: every target but the harness's own. A run whose harness could not
 * deliver the load is `unknown` whatever its targets showed; on a machine busy with other work
 * that says nothing about the replay, so its targets are compared instead (and the test says so).
 */
function systemOutcomes(judged: Judged): string[] {
  return judged.targets.filter((target) => target.name !== SATURATION_TARGET).map((target) => `${target.name}: ${target.outcome}`);
}

const saturated = (judged: Judged): boolean => judged.targets.some((target) => target.name === SATURATION_TARGET);

const platforms: readonly PlatformKind[] = ['local', 'docker'];

describe('a recorded rehearsal replays with the same actions and verdict, on both platforms', () => {
  let dir: string;
  const rehearsed = new Map<PlatformKind, Rehearsed>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-replay-'));
    await writeFile(join(dir, 'small.json'), JSON.stringify(small));
  });

  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  // The two rehearsals side by side, then the three replays side by side: each mostly waits (on the
  // operator's pauses, on the scenario's timeline), and each suite runs after the one before it.
  describe('rehearsals', () => {
    it.concurrent.each(platforms)('rehearses on %s over the prompt and records the session', async (platform) => {
      const registry = join(dir, `registry-${platform}`);
      const file = join(dir, `recorded-${platform}.json`);
      const out = join(dir, `live-${platform}`);
      const args = ['rehearse', '--scenario', join(dir, 'small.json'), '--arch', 'dedicated', '--platform', platform, '--dead-man', '0', '--out', out, '--record', file];
      const child = start(args, registry, 'pipe');
      try {
        await until('the rehearsal URL', () => /^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/m.test(child.out()), child);
        for (const step of session) {
          child.process.stdin?.write(`${step.line}\n`);
          await until(`the reply to "${step.line}"`, () => child.out().includes(step.reply), child, 30_000);
          await sleep(step.thenMs);
        }
        child.process.stdin?.write('end\n');
        expect(await child.exit, child.err()).toBe(0);
        const page = /^(http:\/\/127\.0\.0\.1:\d+)\//m.exec(child.out())?.[1] ?? '';
        await expect(fetch(page, { signal: AbortSignal.timeout(2_000) }), 'the dashboard is closed').rejects.toThrow();
      } finally {
        if (child.process.exitCode === null) child.process.kill('SIGINT');
        await child.exit;
      }
      await assertNothingLeft(child, registry);

      const live = await readHistory(join(out, 'history-dedicated.jsonl'));
      const recorded = await loadScenario(file);
      expect(recorded.timeline.map((step) => step.action.do)).toEqual(['inject', 'crash', 'heal', 'mark']);
      const judged = judgeAgainstRecording(live, recorded);
      const verdict = judged.verdict;
      // The targets are proposed from this session's own figures, with margins: it meets every one.
      expect(systemOutcomes(judged).filter((outcome) => !outcome.endsWith(': pass'))).toEqual([]);
      expect(child.err()).toContain(`the session judged against the proposed targets: ${verdict}`);
      expect(recorded.description).toContain(`The rehearsal itself, judged against them: ${verdict}`);
      const actions = actionsOf(live, new Set(['replay parity']));
      expect(actions.map((a) => a.what.split(' on ')[0])).toEqual(['inject latency slow', 'inject crash box', 'heal toxic slow', 'mark replay parity']);
      rehearsed.set(platform, { platform, file, recorded, actions, judged });
    });
  });

  // Each recording replays on its own platform, and the local one on Docker too: both platforms
  // replay, and one recording crosses platforms (the fourth pairing would add CI time, not coverage).
  const replays = [
    { from: 'local', on: 'local' },
    { from: 'local', on: 'docker' },
    { from: 'docker', on: 'docker' },
  ] as const satisfies readonly { from: PlatformKind; on: PlatformKind }[];
  describe('replays', () => {
    it.concurrent.each(replays)('replays the $from session on $on: same actions at the same offsets, same verdict', async ({ from, on }) => {
      const source = rehearsed.get(from);
      if (source === undefined) throw new Error(`the ${from} rehearsal did not record a session`);
      const registry = join(dir, `registry-replay-${from}-${on}`);
      const out = join(dir, `replay-${from}-on-${on}`);
      const child = start(['run', source.file, '--platform', on, '--out', out, '--json'], registry, 'ignore');
      const code = await child.exit;
      await assertNothingLeft(child, registry);

      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { runs: { verdict: string; targets: { name: string; outcome: string; measured: unknown; target: string }[] }[] };
      const replayed = actionsOf(await readHistory(join(out, 'history-dedicated.jsonl')), new Set(['replay parity']));
      expect(replayed.map((a) => a.what)).toEqual(source.actions.map((a) => a.what));
      for (const [index, action] of replayed.entries()) {
        const live = source.actions[index]?.offsetMs ?? Number.NaN;
        expect(Math.abs(action.offsetMs - live), `${action.what}: replay at ${action.offsetMs} ms, live at ${live} ms`).toBeLessThanOrEqual(SAMPLE_MS);
      }
      const replay = report.runs[0];
      if (replay === undefined) throw new Error(`no run in ${out}/report.json`);
      if (saturated(replay) || saturated(source.judged)) {
        console.warn(`replay of the ${from} session on ${on}: a harness was saturated (live ${source.judged.verdict}, replay ${replay.verdict}); comparing the system's targets`);
        expect(systemOutcomes(replay)).toEqual(systemOutcomes(source.judged));
      } else {
        expect(replay.verdict, JSON.stringify(replay.targets)).toBe(source.judged.verdict);
      }
      expect(code).toBe(replay.verdict === 'pass' ? 0 : replay.verdict === 'fail' ? 1 : 3);
    });
  });
});
