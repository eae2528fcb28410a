import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerCostsSchema, type ContainerCostsData } from '../../../harness/docs/container-costs-data.js';
import { CONTAINER_COSTS_NOT_MEASURED, CONTAINER_COSTS_TABLE, containerCostsTable } from '../../../harness/docs/container-costs-table.js';
import { DataFileError } from '../../../harness/docs/data-file.js';
import { DATA_FILES, loadDocTables, OPTIONAL_DATA_FILES } from '../../../harness/docs/doc-tables.js';

const root = resolve(import.meta.dirname, '../../..');
const scratch = await mkdtemp(join(tmpdir(), 'container-costs-table-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const unit = (name: 'supernode' | 'thousand-clients' | 'toxiproxy' | 'login' | 'offline-messages', role: string, cpu: [number, number] | null, memory: [number, number] | null, perContainer = 1) => ({
  unit: name,
  role,
  perContainer,
  cpuCores: cpu === null ? null : { mean: cpu[0], p95: cpu[1] },
  memoryMiB: memory === null ? null : { mean: memory[0], max: memory[1] },
});

const data: ContainerCostsData = {
  about: 'fixture',
  command: 'npx chaos run skype-2010 --arch p2p --platform docker --seed 7 --out /tmp/costs',
  machine: {
    cores: 2,
    cpuModel: 'AMD EPYC',
    memoryGiB: 23.5,
    loadAverageAtStart: [0.32, 1.5, 2],
    node: 'v20.20.2',
    os: 'linux x64',
    commit: '0123456789abcdef0123456789abcdef01234567',
    uncommittedFiles: 0,
    date: '2026-12-06T10:00:00.000Z',
    dockerEngine: '20.10.24+dfsg1',
  },
  method: 'fixture',
  cgroup: { versions: ['v1'], memory: 'v1: memory.stat total_rss + total_mapped_file' },
  samplePeriodSeconds: 2,
  run: { scenario: 'skype-2010', architecture: 'p2p', seed: 7, runId: 'r1', exitCode: 0, outcome: 'completed', verdict: 'pass', saturated: false, saturationReasons: [] },
  topology: { supernodes: 32, standbyPeers: 8, offlineMessageServers: 1, fleets: 3, clientsPerFleet: 100 },
  samples: 120,
  unreadReadings: 4,
  samplerCpuSeconds: 1.2,
  phases: [
    { phase: 'steady-state', seconds: 100, intervals: 50, machineBusy: 0.412, roles: [] },
    { phase: 'timeline', seconds: 120, intervals: 60, machineBusy: 0.9, roles: [] },
  ],
  unitCosts: [
    {
      phase: 'steady-state',
      units: [unit('supernode', 'supernode', [0.021, 0.05], [48, 52]), unit('thousand-clients', 'client-fleet', [1.2, 1.5], [900, 950], 0.1), unit('toxiproxy', 'toxiproxy', [0.15, 0.2], [20, 21])],
    },
    {
      phase: 'timeline',
      units: [
        unit('supernode', 'supernode', [0.034, 0.12], [52.7, 61.3]),
        unit('thousand-clients', 'client-fleet', [1.75, 2.4], [1_050, 1_230], 0.1),
        unit('toxiproxy', 'toxiproxy', [0.3, 0.45], [22.4, 25]),
        unit('login', 'login', [0.08, 0.2], [60, 64]),
        unit('offline-messages', 'offline-messages', null, [44, 45]),
      ],
    },
  ],
};

describe('bench/container-costs.json', () => {
  it('has the shape the docs read', () => {
    expect(containerCostsSchema.parse(data)).toEqual(data);
    expect(containerCostsSchema.safeParse({ ...data, machine: { ...data.machine, commit: 'abc1234' } }).error?.issues[0]?.path).toEqual(['machine', 'commit']);
  });
});

describe('table:container-costs', () => {
  it('says how it was measured, then one row a unit: steady-state CPU, timeline CPU and memory', () => {
    const [header, table, footnote, ...rest] = containerCostsTable(data).split('\n\n');
    expect(rest).toEqual([]);
    expect(header).toBe(
      '`npx chaos run skype-2010 --arch p2p --platform docker --seed 7 --out /tmp/costs`, 2026-12-06, commit 0123456, 2 cores (AMD EPYC), 23.5 GiB, Docker engine 20.10.24+dfsg1, load average 0.32, 1.5, 2 at the start; exit 0, verdict pass.',
    );
    expect(table?.split('\n')).toEqual([
      '| per | CPU at steady state (cores, mean) | CPU in the timeline (cores, mean) | CPU in the timeline (cores, p95) | memory in the timeline (MiB, mean) | memory in the timeline (MiB, max) |',
      '| --- | --- | --- | --- | --- | --- |',
      '| supernode | 0.021 | 0.034 | 0.120 | 52.7 | 61.3 |',
      '| 1,000 clients (fleets) | 1.20 | 1.75 | 2.40 | 1050 | 1230 |',
      '| Toxiproxy | 0.150 | 0.300 | 0.450 | 22.4 | 25.0 |',
      '| login | — | 0.080 | 0.200 | 60.0 | 64.0 |',
      '| offline-messages | — | — | — | 44.0 | 45.0 |',
    ]);
    expect(footnote).toBe(
      'Machine busy: 41.2% at steady state, 90.0% in the timeline. 32 supernodes and 8 standby peers (priced as supernodes), 1 offline-message server, 3 fleets of 100 clients: ' +
        "per 1,000 clients is one fleet's figure divided by 0.1, its process's fixed cost included. 120 samples, every 2 s; 4 container readings unread; cgroup v1: memory.stat total_rss + total_mapped_file.",
    );
  });

  it('says before the figures that the harness was saturated, and that a run ended without a verdict', () => {
    const saturated = { ...data, run: { ...data.run, exitCode: 3, verdict: 'unknown', saturated: true, saturationReasons: ['sampler lag p99 2.1 s over 1 s'] } };
    expect(containerCostsTable(saturated).split('\n\n').slice(0, 2)).toEqual([
      expect.stringMatching(/; exit 3, verdict unknown\.$/),
      '**The harness was saturated** (sampler lag p99 2.1 s over 1 s): these are the costs on a machine that could not keep up.',
    ]);
    const crashed = { ...data, run: { ...data.run, exitCode: 4, outcome: 'failed', verdict: null, saturated: null } };
    expect(containerCostsTable(crashed).split('\n\n').slice(0, 3)).toEqual([
      expect.stringMatching(/; exit 4, no verdict\.$/),
      "The run's report says nothing of saturation.",
      '**The run ended without a verdict** (exit 4): the figures cover only what ran.',
    ]);
  });

  it('says it is not measured yet while the data file is absent, and renders the file once it is there', async () => {
    const copy = await mkdtemp(join(scratch, 'root-'));
    await mkdir(join(copy, 'bench'));
    for (const file of Object.values(DATA_FILES)) await copyFile(join(root, file), join(copy, file));
    expect(containerCostsTable(undefined)).toBe(CONTAINER_COSTS_NOT_MEASURED);
    expect((await loadDocTables(copy)).get(CONTAINER_COSTS_TABLE)).toBe(CONTAINER_COSTS_NOT_MEASURED);
    await writeFile(join(copy, OPTIONAL_DATA_FILES.containerCosts), JSON.stringify(data), 'utf8');
    expect((await loadDocTables(copy)).get(CONTAINER_COSTS_TABLE)).toBe(containerCostsTable(data));
    await writeFile(join(copy, OPTIONAL_DATA_FILES.containerCosts), JSON.stringify({ ...data, samples: -1 }), 'utf8');
    await expect(loadDocTables(copy)).rejects.toThrow(DataFileError);
  });
});
