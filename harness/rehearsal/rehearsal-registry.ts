import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ProcessIdentity } from '../platform/process-identity.js';
import { registryDir } from '../platform/run-registry.js';

/**
 * A running rehearsal, on disk beside the run registry, so `chaos heal` from another shell can find
 * it and pull its kill switch. The file holds the kill-switch token (it can only heal), and is
 * readable by its owner alone.
 */
export interface RehearsalRecord {
  readonly id: string;
  readonly harness: ProcessIdentity;
  /** The dashboard's base URL (127.0.0.1). */
  readonly url: string;
  readonly killSwitchToken: string;
  readonly scenario: string;
  readonly architecture: string;
}

const recordSchema = z.object({
  id: z.string().min(1),
  harness: z.object({ pid: z.number().int().positive(), startTicks: z.string().optional() }),
  url: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/),
  killSwitchToken: z.string().min(1),
  scenario: z.string(),
  architecture: z.string(),
});

export function rehearsalDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(registryDir(env), 'rehearsals');
}

export async function writeRehearsalRecord(record: RehearsalRecord, dir = rehearsalDir()): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = join(dir, `${record.id}.json`);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(record, null, 2), { mode: 0o600 });
  await rename(temporary, target);
  return () => rm(target, { force: true });
}

export async function readRehearsalRecords(dir = rehearsalDir()): Promise<RehearsalRecord[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const records: RehearsalRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      const parsed = recordSchema.safeParse(JSON.parse(text));
      if (!parsed.success) continue;
      const { harness, ...rest } = parsed.data;
      records.push({ ...rest, harness: harness.startTicks === undefined ? { pid: harness.pid } : { pid: harness.pid, startTicks: harness.startTicks } });
    } catch {
      continue;
    }
  }
  return records;
}

export async function removeRehearsalRecord(id: string, dir = rehearsalDir()): Promise<void> {
  await rm(join(dir, `${id}.json`), { force: true });
}
