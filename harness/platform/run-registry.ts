import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { formatIdentity, parseIdentity, type ProcessIdentity } from './process-identity.js';

/** A child process the local platform started, with the argv that proves a pid is still it. */
export interface RegisteredProcess {
  readonly name: string;
  readonly kind: 'toxiproxy' | 'node';
  readonly pid: number;
  readonly argv: readonly string[];
}

/** What a local run leaves on disk so the leftovers of a harness killed with SIGKILL can be found. */
export interface RunRecord {
  readonly runId: string;
  readonly harness: ProcessIdentity;
  readonly toxiproxyApi?: string;
  readonly processes: readonly RegisteredProcess[];
}

/**
 * Set in the environment of every process a local run starts: its run and harness. The run record can
 * only name a process once spawn() has returned its pid, and a harness killed with SIGKILL during the
 * spawn (the child already exec'd, the record not yet rewritten) leaves a process no record names; the
 * environment names it from the exec on, so cleanup finds it by scanning /proc, record or not.
 */
export const RUN_OWNER_ENV = 'SUPERNODE_CHAOS_RUN_OWNER';

/** The run and harness a process was started for, as read back from its environment. */
export interface RunOwner {
  readonly runId: string;
  readonly harness: ProcessIdentity;
}

/** `runId@pid:startTicks`. */
export function formatRunOwner(owner: RunOwner): string {
  return `${owner.runId}@${formatIdentity(owner.harness)}`;
}

export function parseRunOwner(text: string | undefined): RunOwner | undefined {
  const at = text?.lastIndexOf('@') ?? -1;
  if (text === undefined || at <= 0) return undefined;
  const harness = parseIdentity(text.slice(at + 1));
  return harness === undefined ? undefined : { runId: text.slice(0, at), harness };
}

const recordSchema = z.object({
  runId: z.string().min(1),
  harness: z.object({ pid: z.number().int().positive(), startTicks: z.string().optional() }),
  toxiproxyApi: z.string().optional(),
  processes: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['toxiproxy', 'node']),
      pid: z.number().int().positive(),
      argv: z.array(z.string()).min(1),
    }),
  ),
});

/** Where run records are kept; also set in each child's environment, so cleanup keeps to its own registry's runs. */
export const RUN_REGISTRY_ENV = 'CHAOS_RUN_REGISTRY';

export function registryDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[RUN_REGISTRY_ENV] || join(tmpdir(), 'supernode-chaos', 'runs');
}

export function parseRunRecord(text: string): RunRecord | undefined {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const { harness, toxiproxyApi, ...rest } = parsed.data;
    return {
      ...rest,
      harness: harness.startTicks === undefined ? { pid: harness.pid } : { pid: harness.pid, startTicks: harness.startTicks },
      ...(toxiproxyApi === undefined ? {} : { toxiproxyApi }),
    };
  } catch {
    return undefined;
  }
}

/**
 * Writes the record before returning (atomically: a temporary file renamed). Written before the first
 * spawn and again after each; a SIGKILL can still fall between a child's exec and the rewrite that
 * names its pid, which is why children also carry RUN_OWNER_ENV.
 */
export function writeRunRecord(record: RunRecord, dir: string = registryDir()): void {
  mkdirSync(dir, { recursive: true });
  const target = join(dir, `${record.runId}.json`);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record, null, 2));
  renameSync(temporary, target);
}

export async function removeRunRecord(runId: string, dir: string = registryDir()): Promise<void> {
  await rm(join(dir, `${runId}.json`), { force: true });
}

export async function readRunRecords(dir: string = registryDir()): Promise<RunRecord[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const records: RunRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    const record = text === undefined ? undefined : parseRunRecord(text);
    if (record !== undefined) records.push(record);
  }
  return records;
}
