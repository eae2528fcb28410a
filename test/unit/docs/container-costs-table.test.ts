import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerCostsSchema, type ContainerCostRun, type ContainerCostsData } from '../../../harness/docs/container-costs-data.js';
import { CONTAINER_COSTS_NOT_MEASURED, CONTAINER_COSTS_TABLE, containerCostsTable } from '../../../harness/docs/container-costs-table.js';
import { DataFileError } from '../../../harness/docs/data-file.js';
import { DATA_FILES, loadDocTables, OPTIONAL_DATA_FILES } from '../../../harness/docs/doc-tables.js';
import { costRun, fleetRun } from '../helpers/container-cost-runs.js';

const root = resolve(import.meta.dirname, '../../..');
const scratch = await mkdtemp(join(tmpdir(), 'container-costs-table-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const data: ContainerCostsData = { about: 'fixture', runs: [costRun] };
const withRun = (run: ContainerCostRun): ContainerCostsData => ({ about: 'fixture', runs: [run] });

const perRunTable = [
  '| per | CPU at steady state (cores, mean) | CPU in the timeline (cores, mean) | CPU in the timeline (cores, p95) | memory in the timeline (MiB, mean) | memory in the timeline (MiB, max) |',
  '| --- | --- | --- | --- | --- | --- |',
  '| supernode | 0.021 | 0.034 | 0.120 | 52.7 | 61.3 |',
  '| 1,000 clients (fleets) | 1.20 | 1.75 | 2.40 | 1050 | 1230 |',
  '| Toxiproxy | 0.150 | 0.300 | 0.450 | 22.4 | 25.0 |',
  '| login | — | 0.080 | 0.200 | 60.0 | 64.0 |',
  '| offline-messages | — | — | — | 44.0 | 45.0 |',
];
const machineAndVerdict = '2026-12-06, commit 0123456, 2 cores (AMD EPYC), 23.5 GiB, Docker engine 20.10.24+dfsg1, load average 0.32, 1.5, 2 at the start; exit 0, verdict pass.';
const size = 'architectures.p2p.topology.clientsPerFleet';

describe('bench/container-costs.json', () => {
  it('has the shape the docs read: its runs, each with its --set values', () => {
    expect(containerCostsSchema.parse(data)).toEqual(data);
    const bad = { ...data, runs: [{ ...costRun, machine: { ...costRun.machine, commit: 'abc1234' } }] };
    expect(containerCostsSchema.safeParse(bad).error?.issues[0]?.path).toEqual(['runs', 0, 'machine', 'commit']);
    const varied = withRun({ ...costRun, set: { [size]: 1_000, 'timeScale.oneHour': '2s', 'load.reconnect': { policy: 'fixed' } } });
    expect(containerCostsSchema.parse(varied)).toEqual(varied);
  });
});

describe('table:container-costs', () => {
  it('says how a run was measured, then one row a unit: steady-state CPU, timeline CPU and memory, then how to price clients at the margin', () => {
    const [header, table, footnote, margin, ...rest] = containerCostsTable(data).split('\n\n');
    expect(rest).toEqual([]);
    expect(header).toBe(`skype-2010 on p2p, as shipped. \`npm run bench:costs -- skype-2010 --arch p2p --platform docker --seed 7 --out /tmp/costs\`, ${machineAndVerdict}`);
    expect(table?.split('\n')).toEqual(perRunTable);
    expect(footnote).toBe(
      'Machine busy: 41.2% at steady state, 90.0% in the timeline. 32 supernodes and 8 standby peers (priced as supernodes), 1 offline-message server, 3 fleets of 100 clients: ' +
        "per 1,000 clients is one fleet's figure divided by 0.1, its process's fixed cost included. 120 samples, every 2 s; 4 container readings unread; cgroup v1: memory.stat total_rss + total_mapped_file.",
    );
    expect(margin).toBe(
      'No two runs differ only in clients per fleet, so what 1,000 more clients cost, apart from the fixed cost of each fleet process, is not derived: ' +
        `measure the same run again at another size with \`--set ${size}=1000 --append\`.`,
    );
  });

  it('says before a run\'s figures that the harness was saturated, and that the run ended without a verdict', () => {
    const saturated = withRun({ ...costRun, run: { ...costRun.run, exitCode: 3, verdict: 'unknown', saturated: true, saturationReasons: ['sampler lag p99 2.1 s over 1 s'] } });
    expect(containerCostsTable(saturated).split('\n\n').slice(0, 2)).toEqual([
      expect.stringMatching(/; exit 3, verdict unknown\.$/),
      '**The harness was saturated** (sampler lag p99 2.1 s over 1 s): these are the costs on a machine that could not keep up.',
    ]);
    const crashed = withRun({ ...costRun, run: { ...costRun.run, exitCode: 4, outcome: 'failed', verdict: null, saturated: null } });
    expect(containerCostsTable(crashed).split('\n\n').slice(0, 3)).toEqual([
      expect.stringMatching(/; exit 4, no verdict\.$/),
      "The run's report says nothing of saturation.",
      '**The run ended without a verdict** (exit 4): the figures cover only what ran.',
    ]);
  });

  it('shows each run with its --set values in its caption, then what 1,000 more clients cost and a fleet process on its own', () => {
    const small = fleetRun(100, { steadyCpu: 0.03, timelineCpu: 0.05, timelineMemory: 42 });
    const large = {
      ...fleetRun(1_000, { steadyCpu: 0.12, timelineCpu: 0.23, timelineMemory: 60 }),
      command: `npm run bench:costs -- skype-2010 --arch p2p --platform docker --seed 7 --out /tmp/costs-1000 --set ${size}=1000`,
    };
    const sections = containerCostsTable({ about: 'fixture', runs: [small, large] }).split('\n\n');
    expect(sections).toHaveLength(8);
    expect(sections[0]).toBe(`**Run 1 of 2**: skype-2010 on p2p, as shipped. \`npm run bench:costs -- skype-2010 --arch p2p --platform docker --seed 7 --out /tmp/costs\`, ${machineAndVerdict}`);
    expect(sections[3]).toBe(`**Run 2 of 2**: skype-2010 on p2p, with \`${size}=1000\`. \`${large.command}\`, ${machineAndVerdict}`);
    expect(sections[4]?.split('\n')).toEqual(perRunTable);
    expect(sections[5]).toMatch(/ 3 fleets of 1,000 clients: per 1,000 clients is one fleet's figure divided by 1, /);
    expect(sections[6]).toBe(
      '**Clients at the margin**, skype-2010 on p2p, 3 fleets, seed 7: runs 1 and 2 (100 and 1,000 clients per fleet), the line through one fleet container\'s figures at the two sizes. ' +
        'Its slope × 1,000 is what 1,000 more clients cost; its value at 0 clients, what each fleet process costs on its own: F fleets of C clients each cost about F × the fixed cost + F × C / 1,000 × the marginal cost.',
    );
    expect(sections[7]?.split('\n')).toEqual([
      '| per | CPU at steady state (cores, mean) | CPU in the timeline (cores, mean) | memory in the timeline (MiB, mean) |',
      '| --- | --- | --- | --- |',
      '| 1,000 more clients (marginal) | 0.100 | 0.200 | 20.0 |',
      '| fleet process (fixed, at 0 clients) | 0.020 | 0.030 | 40.0 |',
    ]);
  });

  it('says when the line is a least-squares one, which figures fewer runs have, and which runs are less sure', () => {
    const small = fleetRun(100, { steadyCpu: 0.03, timelineCpu: 0.05, timelineMemory: 42 });
    const middle = fleetRun(500, { steadyCpu: 0.07, timelineCpu: null, timelineMemory: 50 });
    const large = fleetRun(1_000, { steadyCpu: 0.12, timelineCpu: 0.23, timelineMemory: 60 });
    const saturated = { ...large, run: { ...large.run, saturated: true, saturationReasons: ['fleet lag'] } };
    const sections = containerCostsTable({ about: 'fixture', runs: [small, middle, saturated] }).split('\n\n');
    const [caption, table, notes] = sections.slice(-3);
    expect(caption).toMatch(/: runs 1, 2 and 3 \(100, 500 and 1,000 clients per fleet\), a least-squares line through one fleet container's figures in the 3 runs \(3 sizes\)\. /);
    expect(table?.split('\n').slice(2)).toEqual(['| 1,000 more clients (marginal) | 0.100 | 0.200 | 20.0 |', '| fleet process (fixed, at 0 clients) | 0.020 | 0.030 | 40.0 |']);
    expect(notes).toBe(
      'CPU in the timeline (cores, mean): from the 2 runs that have it. Run 3 saturated the harness: its point is of a machine that could not keep up.',
    );
    const noisy = fleetRun(1_000, { steadyCpu: 0.02, timelineCpu: null, timelineMemory: null });
    expect(containerCostsTable({ about: 'fixture', runs: [small, noisy] }).split('\n\n').slice(-2)).toEqual([
      expect.stringContaining('| 1,000 more clients (marginal) | -0.011 | — | — |'),
      'A figure the runs do not have at two sizes is left out (—). A negative figure is below what the runs can tell apart: measure again, or at sizes further apart.',
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
    await writeFile(join(copy, OPTIONAL_DATA_FILES.containerCosts), JSON.stringify({ ...data, runs: [{ ...costRun, samples: -1 }] }), 'utf8');
    await expect(loadDocTables(copy)).rejects.toThrow(DataFileError);
  });
});
