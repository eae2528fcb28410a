import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A Docker container's CPU time and memory, read from its cgroup files. Docker puts a container in
 * `docker/<id>` (cgroupfs driver) or `system.slice/docker-<id>.scope` (systemd driver), under each
 * controller's hierarchy on cgroup v1 and under the one unified hierarchy on cgroup v2.
 */

export const CGROUP_ROOT = '/sys/fs/cgroup';

export type CgroupVersion = 'v1' | 'v2';

export interface ContainerCgroup {
  readonly version: CgroupVersion;
  /** v1: `cpuacct.usage` (nanoseconds); v2: `cpu.stat` (its `usage_usec`). */
  readonly cpuFile: string;
  /** `memory.stat` of the container's memory cgroup. */
  readonly memoryStatFile: string;
}

export interface ContainerUsage {
  /** CPU time the container's processes spent since it started, user and system. */
  readonly cpuNs: number;
  readonly memoryBytes: number;
}

/** What the memory figure is, for each cgroup version: resident anonymous memory plus the file pages mapped into the processes. */
export const MEMORY_MEASURE: Readonly<Record<CgroupVersion, string>> = {
  v1: 'memory.stat total_rss + total_mapped_file',
  v2: 'memory.stat anon + file_mapped',
};

/** Where a container's cgroup may be, most likely first: v1 with the cgroupfs driver, v1 with systemd, then v2 the same two ways. */
export function containerCgroupCandidates(containerId: string, root = CGROUP_ROOT): ContainerCgroup[] {
  const v1 = (parent: string): ContainerCgroup => ({
    version: 'v1',
    cpuFile: join(root, 'cpuacct', parent, 'cpuacct.usage'),
    memoryStatFile: join(root, 'memory', parent, 'memory.stat'),
  });
  const v2 = (parent: string): ContainerCgroup => ({ version: 'v2', cpuFile: join(root, parent, 'cpu.stat'), memoryStatFile: join(root, parent, 'memory.stat') });
  const cgroupfs = join('docker', containerId);
  const systemd = join('system.slice', `docker-${containerId}.scope`);
  return [v1(cgroupfs), v1(systemd), v2(systemd), v2(cgroupfs)];
}

/** The first candidate whose CPU and memory files both exist; undefined when none does (the container is gone, or its cgroup is not visible here). */
export async function resolveContainerCgroup(containerId: string, root = CGROUP_ROOT): Promise<ContainerCgroup | undefined> {
  for (const candidate of containerCgroupCandidates(containerId, root)) {
    const found = await Promise.all([access(candidate.cpuFile), access(candidate.memoryStatFile)]).then(
      () => true,
      () => false,
    );
    if (found) return candidate;
  }
  return undefined;
}

/** `memory.stat` (and v2's `cpu.stat`): one `key value` pair a line. */
export function parseKeyedCounters(text: string): Map<string, number> {
  const counters = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value, ...rest] = line.trim().split(/\s+/);
    if (key === undefined || key === '' || value === undefined || rest.length > 0) continue;
    const number = Number(value);
    if (Number.isFinite(number)) counters.set(key, number);
  }
  return counters;
}

function counter(counters: ReadonlyMap<string, number>, key: string, file: string): number {
  const value = counters.get(key);
  if (value === undefined) throw new Error(`${file} has no ${key}`);
  return value;
}

/** CPU nanoseconds from v1's `cpuacct.usage` (a single number) or v2's `cpu.stat` (`usage_usec`). */
export function parseCpuNs(version: CgroupVersion, text: string, file = 'the CPU file'): number {
  if (version === 'v2') return counter(parseKeyedCounters(text), 'usage_usec', file) * 1_000;
  const ns = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(ns)) throw new Error(`${file} is not a number of nanoseconds: ${text.slice(0, 40)}`);
  return ns;
}

/** Memory bytes as MEMORY_MEASURE says, from `memory.stat`. */
export function parseMemoryBytes(version: CgroupVersion, text: string, file = 'memory.stat'): number {
  const counters = parseKeyedCounters(text);
  return version === 'v1'
    ? counter(counters, 'total_rss', file) + counter(counters, 'total_mapped_file', file)
    : counter(counters, 'anon', file) + counter(counters, 'file_mapped', file);
}

/** The container's usage now; undefined when its files cannot be read (it stopped between the listing and the read). */
export async function readContainerUsage(cgroup: ContainerCgroup): Promise<ContainerUsage | undefined> {
  const texts = await Promise.all([readFile(cgroup.cpuFile, 'utf8'), readFile(cgroup.memoryStatFile, 'utf8')]).catch(() => undefined);
  if (texts === undefined) return undefined;
  const [cpu, memory] = texts;
  return { cpuNs: parseCpuNs(cgroup.version, cpu, cgroup.cpuFile), memoryBytes: parseMemoryBytes(cgroup.version, memory, cgroup.memoryStatFile) };
}
