import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from './stats.js';

/**
 * Sums up a campaign of runs on one engine from their histories: per kind of run (completed, one run of
 * a --repeat, interrupted), how many architecture runs, how many ended with the engine not answering,
 * how many left a network or container the teardown could not remove, and the teardown's duration
 * (history `teardown` to `done`) as p50 and p95.
 *
 *   tsx test/bench/campaign-table.ts --kind completed DIR... [--kind repeat DIR...] [--out file.json]
 *
 * A DIR is searched recursively for history-<architecture>.jsonl files.
 */

interface ArchitectureRun {
  readonly file: string;
  readonly outcome: string;
  readonly engineLost: boolean;
  readonly leftBehind: readonly string[];
  readonly teardownSeconds: number | null;
}

function historiesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...historiesUnder(path));
    else if (/^history-[a-z0-9-]+\.jsonl$/.test(entry)) found.push(path);
  }
  return found;
}

export function readArchitectureRun(file: string): ArchitectureRun {
  const events = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { t: number; type: string; phase?: string; outcome?: string; message?: string; code?: string });
  const phaseAt = (phase: string): number | undefined => events.find((e) => e.type === 'phase' && e.phase === phase)?.t;
  const teardown = phaseAt('teardown');
  const done = phaseAt('done');
  const errors = events.filter((e) => e.type === 'error');
  return {
    file,
    outcome: events.find((e) => e.type === 'run-end')?.outcome ?? 'none',
    engineLost: errors.some((e) => e.code === 'ENGINE_NOT_ANSWERING' || (e.message ?? '').includes('Docker engine not answering')),
    leftBehind: errors.filter((e) => (e.message ?? '').startsWith('cleanup: ')).map((e) => e.message ?? ''),
    teardownSeconds: teardown === undefined || done === undefined ? null : (done - teardown) / 1_000,
  };
}

function main(): void {
  const kinds = new Map<string, string[]>();
  let kind = 'completed';
  let out: string | undefined;
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--kind') kind = args[++i] ?? kind;
    else if (arg === '--out') out = args[++i];
    else kinds.set(kind, [...(kinds.get(kind) ?? []), arg]);
  }
  const rows = [...kinds.entries()].map(([name, dirs]) => {
    const runs = dirs.flatMap(historiesUnder).map(readArchitectureRun);
    const teardowns = runs.flatMap((run) => (run.teardownSeconds === null ? [] : [run.teardownSeconds]));
    return {
      kind: name,
      runs: runs.length,
      hangs: runs.filter((run) => run.engineLost).length,
      leftBehind: runs.filter((run) => run.leftBehind.length > 0).length,
      leftBehindDetail: runs.flatMap((run) => run.leftBehind),
      teardownP50: teardowns.length === 0 ? null : percentile(teardowns, 0.5),
      teardownP95: teardowns.length === 0 ? null : percentile(teardowns, 0.95),
    };
  });
  const lines = ['| kind of run | runs | engine hangs | left something | teardown p50 | teardown p95 |', '| --- | --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const s = (value: number | null): string => (value === null ? '-' : `${value.toFixed(1)} s`);
    lines.push(`| ${row.kind} | ${row.runs} | ${row.hangs} | ${row.leftBehind} | ${s(row.teardownP50)} | ${s(row.teardownP95)} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (out !== undefined) writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), command: process.argv.slice(1).join(' '), rows }, null, 2)}\n`);
}

if (process.argv[1]?.endsWith('campaign-table.ts') === true) main();
