import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { dockerApi } from '../../harness/platform/docker-engine.js';
import { PROJECT_LABEL, ROLE_LABEL } from '../../harness/platform/platform.js';

const run = promisify(execFile);

/**
 * Counts the queries a run's containers send to the engine's embedded DNS server (127.0.0.11). The
 * engine redirects them with a DNAT rule in each container's own network namespace; its packet
 * counter is read there (nsenter, as root) once a second, and the highest reading per container is
 * kept, so a container removed before the end still counts.
 *
 *   tsx test/bench/engine-dns-watch.ts --seconds 240 [--out file.json]
 *
 * Start it, then the run: it watches every container of the project that appears meanwhile.
 */

/** The packets of the DNAT rules to 127.0.0.11 in `iptables -t nat -L DOCKER_OUTPUT -v -x -n` output. */
export function dnsPacketsFrom(listing: string): number {
  let packets = 0;
  for (const line of listing.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[2] === 'DNAT' && line.includes('127.0.0.11')) packets += Number(fields[0]) || 0;
  }
  return packets;
}

async function dnsPacketsOf(pid: number): Promise<number | undefined> {
  try {
    const { stdout } = await run('nsenter', ['-t', String(pid), '-n', 'iptables', '-t', 'nat', '-L', 'DOCKER_OUTPUT', '-v', '-x', '-n']);
    return dnsPacketsFrom(stdout);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '240' }, out: { type: 'string' } } });
  const api = await dockerApi();
  const deadline = Date.now() + Number(values.seconds) * 1_000;
  const highest = new Map<string, { role: string; packets: number }>();
  while (Date.now() < deadline) {
    const containers = await api.listContainers({ filters: { label: [PROJECT_LABEL] } }).catch(() => []);
    await Promise.all(
      containers.map(async (container) => {
        const pid = (await api.getContainer(container.Id).inspect().catch(() => undefined))?.State.Pid;
        if (pid === undefined || pid === 0) return;
        const packets = await dnsPacketsOf(pid);
        if (packets === undefined) return;
        const name = container.Names[0] ?? container.Id;
        const seen = highest.get(name);
        if (seen === undefined || packets > seen.packets) highest.set(name, { role: container.Labels[ROLE_LABEL] ?? '?', packets });
      }),
    );
    await delay(1_000);
  }
  const byRole: Record<string, { containers: number; queries: number }> = {};
  for (const { role, packets } of highest.values()) {
    const entry = (byRole[role] ??= { containers: 0, queries: 0 });
    entry.containers += 1;
    entry.queries += packets;
  }
  const total = [...highest.values()].reduce((sum, entry) => sum + entry.packets, 0);
  const result = { date: new Date().toISOString(), command: process.argv.slice(1).join(' '), containersSeen: highest.size, dnsQueries: total, byRole };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (values.out !== undefined) await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
}

if (process.argv[1]?.endsWith('engine-dns-watch.ts') === true) await main();
