import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerCgroupCandidates, parseCpuNs, parseKeyedCounters, parseMemoryBytes, readContainerUsage, resolveContainerCgroup } from '../../bench/container-cgroup.js';

const id = 'f'.repeat(64);
const v1MemoryStat = [
  'cache 10944512',
  'rss 4464640',
  'rss_huge 0',
  'mapped_file 8671232',
  'hierarchical_memory_limit 9223372036854771712',
  'total_cache 10944512',
  'total_rss 4464640',
  'total_mapped_file 8671232',
  'total_inactive_file 16384',
  '',
].join('\n');
const v2MemoryStat = 'anon 31457280\nfile 52428800\nkernel 1048576\nfile_mapped 4194304\nshmem 0\n';
const v2CpuStat = 'usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\nnr_periods 0\n';

const scratch = await mkdtemp(join(tmpdir(), 'container-cgroup-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function put(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text, 'utf8');
}

describe('where a container\'s cgroup is', () => {
  it('tries v1 with the cgroupfs driver first, then v1 with systemd, then v2 with systemd and with cgroupfs', () => {
    expect(containerCgroupCandidates(id, '/sys/fs/cgroup')).toEqual([
      { version: 'v1', cpuFile: `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, memoryStatFile: `/sys/fs/cgroup/memory/docker/${id}/memory.stat` },
      { version: 'v1', cpuFile: `/sys/fs/cgroup/cpuacct/system.slice/docker-${id}.scope/cpuacct.usage`, memoryStatFile: `/sys/fs/cgroup/memory/system.slice/docker-${id}.scope/memory.stat` },
      { version: 'v2', cpuFile: `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, memoryStatFile: `/sys/fs/cgroup/system.slice/docker-${id}.scope/memory.stat` },
      { version: 'v2', cpuFile: `/sys/fs/cgroup/docker/${id}/cpu.stat`, memoryStatFile: `/sys/fs/cgroup/docker/${id}/memory.stat` },
    ]);
  });

  it('resolves the first candidate whose files both exist, and none when the container has no cgroup here', async () => {
    const v2Root = join(scratch, 'v2');
    await put(join(v2Root, 'system.slice', `docker-${id}.scope`, 'cpu.stat'), v2CpuStat);
    await put(join(v2Root, 'system.slice', `docker-${id}.scope`, 'memory.stat'), v2MemoryStat);
    expect(await resolveContainerCgroup(id, v2Root)).toEqual(containerCgroupCandidates(id, v2Root)[2]);

    const bothRoot = join(scratch, 'both');
    await put(join(bothRoot, 'cpuacct', 'docker', id, 'cpuacct.usage'), '39413016886057\n');
    await put(join(bothRoot, 'memory', 'docker', id, 'memory.stat'), v1MemoryStat);
    await put(join(bothRoot, 'docker', id, 'cpu.stat'), v2CpuStat);
    await put(join(bothRoot, 'docker', id, 'memory.stat'), v2MemoryStat);
    expect((await resolveContainerCgroup(id, bothRoot))?.version).toBe('v1');

    const halfRoot = join(scratch, 'half');
    await put(join(halfRoot, 'cpuacct', 'docker', id, 'cpuacct.usage'), '1\n');
    expect(await resolveContainerCgroup(id, halfRoot)).toBeUndefined();
    expect(await resolveContainerCgroup('0'.repeat(64), bothRoot)).toBeUndefined();
  });
});

describe('the cgroup files', () => {
  it('reads key-value counters, skipping lines that are not one', () => {
    expect(parseKeyedCounters('rss 4096\n\nbroken\nthree words here\nmapped_file 8192\n')).toEqual(new Map([['rss', 4096], ['mapped_file', 8192]]));
  });

  it('reads CPU nanoseconds from v1 cpuacct.usage and from v2 cpu.stat usage_usec', () => {
    expect(parseCpuNs('v1', '39413016886057\n')).toBe(39_413_016_886_057);
    expect(parseCpuNs('v2', v2CpuStat)).toBe(2_500_000_000);
    expect(() => parseCpuNs('v1', '\n', 'cpuacct.usage')).toThrow('cpuacct.usage is not a number of nanoseconds');
    expect(() => parseCpuNs('v2', 'user_usec 1\n', 'cpu.stat')).toThrow('cpu.stat has no usage_usec');
  });

  it('reads memory as total_rss + total_mapped_file on v1 and anon + file_mapped on v2, page cache left out', () => {
    expect(parseMemoryBytes('v1', v1MemoryStat)).toBe(4_464_640 + 8_671_232);
    expect(parseMemoryBytes('v2', v2MemoryStat)).toBe(31_457_280 + 4_194_304);
    expect(() => parseMemoryBytes('v1', 'rss 1\nmapped_file 2\n', 'memory.stat')).toThrow('memory.stat has no total_rss');
  });

  it('reads a container\'s usage, and nothing once its cgroup is gone', async () => {
    const root = join(scratch, 'read');
    await put(join(root, 'cpuacct', 'docker', id, 'cpuacct.usage'), '1500000000\n');
    await put(join(root, 'memory', 'docker', id, 'memory.stat'), v1MemoryStat);
    const cgroup = await resolveContainerCgroup(id, root);
    if (cgroup === undefined) throw new Error('the fixture has a v1 cgroup');
    expect(await readContainerUsage(cgroup)).toEqual({ cpuNs: 1_500_000_000, memoryBytes: 13_135_872 });
    await rm(join(root, 'memory'), { recursive: true });
    expect(await readContainerUsage(cgroup)).toBeUndefined();
  });
});
