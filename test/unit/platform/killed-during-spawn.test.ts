import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLeftoversWith, removeLeftoversWith, type LeftoverProbes } from '../../../harness/platform/leftovers.js';
import { systemLeftoverActions, systemLeftoverProbes } from '../../../harness/platform/system-leftover-access.js';
import { childEnv } from '../../../harness/platform/local-platform.js';
import { ManagedChild } from '../../../harness/platform/managed-child.js';
import { isAlive, processStartTicks, type ProcessIdentity } from '../../../harness/platform/process-identity.js';
import { readRunRecords, RUN_REGISTRY_ENV, writeRunRecord, type RunRecord } from '../../../harness/platform/run-registry.js';
import { TextRing } from '../../../harness/platform/ring-buffer.js';

/*
 * The interleaving behind a node that outlived its SIGKILLed run: the harness restarts a node, spawn()
 * forks and the child execs, and the SIGKILL lands before the harness rewrites its run record with the
 * new pid. The record still names the previous (dead) pid; the live process is named by nothing but
 * its environment. Played here step by step with real processes, so it happens every time.
 */

const runId = 'rkilledspawn';
/** This process's pid with a start time it never had: a harness that is gone. */
const deadHarness = { pid: process.pid, startTicks: `${Number(processStartTicks(process.pid) ?? 0) + 1}` };

let dir: string;
let children: ManagedChild[] = [];
const registryBefore = process.env[RUN_REGISTRY_ENV];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'killed-during-spawn-'));
  // This test's registry: the children carry it, and only its runs are looked at.
  process.env[RUN_REGISTRY_ENV] = dir;
  children = [];
});
afterEach(async () => {
  await Promise.all(children.map((child) => child.kill()));
  if (registryBefore === undefined) delete process.env[RUN_REGISTRY_ENV];
  else process.env[RUN_REGISTRY_ENV] = registryBefore;
  await rm(dir, { recursive: true, force: true });
});

/** The system's probes and actions (on this test's registry), without Docker. */
const probes: LeftoverProbes = { ...systemLeftoverProbes, dockerAnswers: async () => false };
const actions = systemLeftoverActions;

/** A node of the run as the local platform starts it (its argv shape and its environment); its harness gone unless said. */
function spawnNode(name: string, harness: ProcessIdentity = deadHarness): ManagedChild {
  const argv = [process.execPath, '-e', 'setInterval(() => {}, 60_000)', '--', `--chaos-run=${runId}`, `--chaos-node=${name}`];
  const child = new ManagedChild(argv, childEnv({ runId, harness }, {}), new TextRing(1_024));
  children.push(child);
  return child;
}

async function waitForExec(child: ManagedChild): Promise<void> {
  // spawn() returns after the exec; give the environment a moment to be readable under load.
  for (let i = 0; i < 100 && systemLeftoverActions.runOwnerOf(child.pid)?.runId !== runId; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('a harness killed while it spawns a node', () => {
  it('leaves a process its record does not name; cleanup finds it by its environment and kills it', async () => {
    const previous = spawnNode('echo-1');
    const record: RunRecord = { runId, harness: deadHarness, processes: [{ name: 'echo-1', kind: 'node', pid: previous.pid, argv: previous.argv }] };
    writeRunRecord(record, dir);
    // The restart: the previous process stopped, the new one spawned, and the harness killed before its record said so.
    await previous.kill();
    const respawned = spawnNode('echo-1');
    await waitForExec(respawned);
    expect(isAlive(deadHarness)).toBe(false);

    // By the record alone (the cleanup before this fix) the process is invisible.
    const byRecord = await findLeftoversWith({ ...probes, markedProcesses: () => [] });
    expect(byRecord.filter((l) => l.runId === runId)).toEqual([]);

    const found = (await findLeftoversWith(probes)).filter((l) => l.runId === runId);
    expect(found).toEqual([{ kind: 'process', id: String(respawned.pid), runId, description: `node echo-1 (pid ${respawned.pid}, not in its run record)` }]);
    expect(await removeLeftoversWith(actions, found)).toEqual([]);
    expect(await respawned.waitExit(5_000)).toBeDefined();
    expect(await readRunRecords(dir)).toEqual([]);
  });

  it('finds the process when the run left no record at all (killed before its first write)', async () => {
    const child = spawnNode('echo-2');
    await waitForExec(child);
    const found = (await findLeftoversWith(probes)).filter((l) => l.runId === runId);
    expect(found.map((l) => l.id)).toEqual([String(child.pid)]);
    expect(await removeLeftoversWith(actions, found)).toEqual([]);
    expect(await child.waitExit(5_000)).toBeDefined();
  });

  it('leaves alone a process whose run still has its harness, and one registered in another registry', async () => {
    const child = spawnNode('echo-3', { pid: process.pid });
    await waitForExec(child);
    expect((await findLeftoversWith(probes)).filter((l) => l.runId === runId)).toEqual([]);
    const elsewhere = spawnNode('echo-4');
    await waitForExec(elsewhere);
    process.env[RUN_REGISTRY_ENV] = join(dir, 'another');
    expect((await findLeftoversWith(probes)).filter((l) => l.runId === runId)).toEqual([]);
  });
});
