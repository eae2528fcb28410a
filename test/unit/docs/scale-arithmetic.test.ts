import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContainerCostsData } from '../../../harness/docs/container-costs-data.js';
import { loadDocTables } from '../../../harness/docs/doc-tables.js';
import {
  addedSupernodes,
  calibrate,
  costBasis,
  demandOf,
  machinesFor,
  SCALE_ARITHMETIC_TABLE,
  SCALE_NOT_MEASURED,
  SCALE_SURGE_TABLE,
  scaleArithmeticTable,
  scaledScenario,
  scaleSurgeTable,
  shippedTopology,
  SIZE_SWEEP_ID,
  surgeFor,
  targetTopologies,
} from '../../../harness/docs/scale-arithmetic.js';
import type { SweepEntry, SweepPointData, SweepResultsData } from '../../../harness/docs/sweep-results-data.js';
import { predictOfferedLoad } from '../../../harness/verdict/load-prediction.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { costRun, fleetRun } from '../helpers/container-cost-runs.js';

/**
 * The fixture runs' timeline figures: a supernode 0.034 cores and 52.7 MiB, Toxiproxy 0.3 and 22.4,
 * login 0.08 and 60, offline-messages no CPU and 44 MiB; one fleet 0.175 cores and 105 MiB at 100
 * clients and (the second run) 0.215 and 125 at 200: 1,000 more clients cost 0.4 cores and 200 MiB,
 * a fleet process 0.135 cores and 85 MiB of its own.
 */
const shippedOnly: ContainerCostsData = { about: 'fixture', runs: [costRun] };
const twoSizes: ContainerCostsData = { about: 'fixture', runs: [costRun, fleetRun(200, { steadyCpu: 0.15, timelineCpu: 0.215, timelineMemory: 125 })] };

const SUPERNODES = 'architectures.p2p.topology.supernodes';
const CLIENTS_PER_FLEET = 'architectures.p2p.topology.clientsPerFleet';
const STANDBY = 'architectures.p2p.topology.standbyPeers';

const point = (supernodes: number, delivered: boolean): SweepPointData => ({
  value: supernodes,
  status: delivered ? 'holds' : 'breaks',
  met: { passes: delivered ? 1 : 0, runs: 1, saturated: delivered ? 0 : 1, unknown: 0 },
  wilson95: delivered ? [0.21, 1] : [0, 0.79],
  delivered: { passes: delivered ? 1 : 0, runs: 1, unknown: 0, wilson95: delivered ? [0.21, 1] : [0, 0.79] },
  set: { [SUPERNODES]: supernodes, [CLIENTS_PER_FLEET]: Math.floor((100 * supernodes) / 32), [STANDBY]: Math.floor((8 * supernodes) / 32) },
});

const sizeSweep: SweepEntry = {
  id: SIZE_SWEEP_ID,
  scenario: 'skype-2010',
  architecture: 'p2p',
  expectation: 'reproduces-outage',
  param: SUPERNODES,
  shipped: 32,
  from: 32,
  to: 150,
  repeat: 1,
  seeds: [2010],
  holdsWhen: 'delivered',
  scaleWith: [
    { path: CLIENTS_PER_FLEET, shipped: 100 },
    { path: STANDBY, shipped: 8 },
  ],
  machine: { cores: 2, description: 'a fixture machine' },
  date: '2026-12-07',
  commit: 'abcdef0123456789abcdef0123456789abcdef01',
  command: 'npx chaos sweep skype-2010 --arch p2p --param architectures.p2p.topology.supernodes --from 32 --to 150',
  conditions: 'nothing else running',
  points: [point(32, true), point(64, true), point(96, false)],
  bracket: { holds: 64, breaks: 96 },
  margin: 'the harness delivers up to 64 supernodes (saturates at 96)',
};
const sweeps = (...entries: SweepEntry[]): SweepResultsData => ({ about: 'fixture', entries });

const [shipped, tenThousand, hundredThousand] = targetTopologies(skype2010) as [ReturnType<typeof shippedTopology>, ReturnType<typeof shippedTopology>, ReturnType<typeof shippedTopology>];

describe('the demand of a topology in the storm', () => {
  it('counts the mega-supernodes from the timeline: 6 on p2p', () => {
    expect(addedSupernodes(skype2010)).toBe(6);
  });

  it('sums supernodes, fleets at their fixed and marginal costs, Toxiproxy by clients, login and offline-messages as measured', () => {
    const basis = costBasis(twoSizes);
    expect(basis.fleetCpu).toMatchObject({ kind: 'marginal' });
    const demand = demandOf(basis, shipped, 6);
    expect(demand.supernodeContainers).toBe(46);
    expect(demand.parts.supernodes.cpuCores).toBeCloseTo(46 * 0.034, 9);
    expect(demand.parts.fleets.cpuCores).toBeCloseTo(3 * 0.135 + 0.3 * 0.4, 9);
    expect(demand.parts.toxiproxy.cpuCores).toBeCloseTo(0.3, 9);
    expect(demand.parts.login.cpuCores).toBeCloseTo(0.08, 9);
    expect(demand.parts['offline-messages'].cpuCores).toBe(0);
    expect(demand.unmeasured).toEqual(['offline-messages CPU']);
    expect(demand.cpuCores).toBeCloseTo(1.564 + 0.525 + 0.3 + 0.08, 9);
    expect(demand.memoryMiB).toBeCloseTo(46 * 52.7 + (3 * 85 + 0.3 * 200) + 22.4 + 60 + 44, 6);

    const bigger = demandOf(basis, tenThousand, 6);
    expect(bigger.parts.fleets.cpuCores).toBeCloseTo(10 * 0.135 + 10 * 0.4, 9);
    // Toxiproxy's work grows with the clients: 10,000 against the shipped 300.
    expect(bigger.parts.toxiproxy.cpuCores).toBeCloseTo((0.3 * 10_000) / 300, 9);
    expect(bigger.parts.toxiproxy.memoryMiB).toBeCloseTo((22.4 * 10_000) / 300, 6);
  });

  it('without runs at two fleet sizes prices 1,000 clients at one fleet\'s figure per 1,000 of its clients, an upper bound', () => {
    const basis = costBasis(shippedOnly);
    expect(basis.marginal).toBeUndefined();
    expect(basis.fleetCpu).toEqual({ kind: 'upper-bound', perThousandClients: expect.closeTo(1.75, 9) as number });
    expect(demandOf(basis, tenThousand, 6).parts.fleets.cpuCores).toBeCloseTo(17.5, 9);
    expect(scaleArithmeticTable(shippedOnly, sweeps(sizeSweep), skype2010)).toContain("upper bound (fleet's fixed cost included)");
  });

  it('prices the run without --set, wherever it is in the file', () => {
    const reordered: ContainerCostsData = { about: 'fixture', runs: [...twoSizes.runs].reverse() };
    const basis = costBasis(reordered);
    expect(basis.shippedIndex).toBe(1);
    expect(demandOf(basis, shipped, 6).cpuCores).toBeCloseTo(demandOf(costBasis(twoSizes), shipped, 6).cpuCores, 9);
  });
});

describe('one machine\'s usable demand', () => {
  it('is the demand of the largest topology the size sweep delivered, with that point\'s supernodes, clients per fleet and standby peers', () => {
    const calibration = calibrate(costBasis(twoSizes), sizeSweep, skype2010);
    expect(calibration.source).toMatchObject({ kind: 'sweep', topology: { supernodes: 64, standbyPeers: 16, fleets: 3, clientsPerFleet: 200 } });
    // 86 supernode containers, 3 fleets of 200, Toxiproxy at 600 clients, login.
    expect(calibration.usableCores).toBeCloseTo(86 * 0.034 + (3 * 0.135 + 0.6 * 0.4) + 0.6 + 0.08, 9);
    expect(calibration.usableMemoryGiB).toBeCloseTo(23.5 * 0.8, 9);
    expect(calibration.largestDeliveredSupernodes).toBe(64);
  });

  it('scales clients per fleet and standby peers from the sweep\'s scaleWith when a point has no set', () => {
    const bare: SweepEntry = { ...sizeSweep, points: sizeSweep.points.map(({ set: _set, ...rest }) => rest) };
    expect(calibrate(costBasis(twoSizes), bare, skype2010).source).toMatchObject({ kind: 'sweep', topology: { supernodes: 64, standbyPeers: 16, clientsPerFleet: 200 } });
  });

  it('falls back to 70% of the cores without the sweep, or without its bracket, and says which', () => {
    const none = calibrate(costBasis(twoSizes), undefined, skype2010);
    expect(none).toMatchObject({ usableCores: expect.closeTo(1.4, 9) as number, source: { kind: 'fallback', why: 'no-entry' }, largestDeliveredSupernodes: undefined });
    const noBracket = calibrate(costBasis(twoSizes), { ...sizeSweep, bracket: null }, skype2010);
    expect(noBracket.source).toMatchObject({ kind: 'fallback', why: 'no-bracket' });
    expect(scaleArithmeticTable(twoSizes, sweeps(), skype2010)).toContain(`no size sweep yet (\`${SIZE_SWEEP_ID}\` is not in bench/sweeps.json), so one machine's usable demand is 70% of its 2 cores, 1.40`);
    expect(scaleArithmeticTable(twoSizes, sweeps({ ...sizeSweep, bracket: null }), skype2010)).toContain('found no bracket');
  });
});

describe('machines', () => {
  const basis = costBasis(twoSizes);
  const calibration = calibrate(basis, sizeSweep, skype2010);
  const usable = calibration.usableCores;

  it('the shipped topology needs one', () => {
    expect(machinesFor(basis, calibration, shipped, 6)).toMatchObject({ byCpu: 1, byMemory: 1, bySupernodes: 1, machines: 1 });
  });

  it('counts by CPU, by memory and by supernode count alone, and needs the larger of CPU and memory', () => {
    const ten = machinesFor(basis, calibration, tenThousand, 6);
    expect(ten.byCpu).toBe(Math.ceil(ten.demand.cpuCores / usable));
    expect(ten.byCpu).toBe(5);
    expect(ten.byMemory).toBe(Math.ceil(ten.demand.memoryMiB / 1_024 / (23.5 * 0.8)));
    expect(ten.bySupernodes).toBe(2);
    expect(ten.machines).toBe(Math.max(ten.byCpu, ten.byMemory));
    const hundred = machinesFor(basis, calibration, hundredThousand, 6);
    expect(hundred.bySupernodes).toBe(Math.ceil(1_000 / 64));
    expect(hundred.machines).toBeGreaterThan(ten.machines);
  });

  it('gives Toxiproxy\'s cores as a share of one machine\'s usable demand: above 1, one Toxiproxy cannot carry it', () => {
    expect(machinesFor(basis, calibration, shipped, 6).toxiproxyShare).toBeCloseTo(0.3 / usable, 9);
    const ten = machinesFor(basis, calibration, tenThousand, 6);
    expect(ten.toxiproxyShare).toBeCloseTo(10 / usable, 9);
    expect(ten.toxiproxyShare).toBeGreaterThan(1);
    expect(scaleArithmeticTable(twoSizes, sweeps(sizeSweep), skype2010)).toContain('per-node Toxiproxy');
  });

  it('without the sweep counts no machines by supernode count', () => {
    const fallback = calibrate(basis, undefined, skype2010);
    expect(machinesFor(basis, fallback, tenThousand, 6).bySupernodes).toBeUndefined();
  });
});

describe('the surge', () => {
  const reference = predictOfferedLoad(skype2010, 'p2p')!;

  it('as shipped is the scenario\'s own prediction', () => {
    const surge = surgeFor(skype2010, shipped);
    expect(surge.capacityScale).toBe(1);
    expect(surge.prediction).toEqual(reference);
    expect(surge.clientsPerSupernode).toBeCloseTo(340 / 32, 9);
  });

  it('scales each peer\'s capacity by its clients, so that steady load per capacity stays the shipped one', () => {
    for (const target of [tenThousand, hundredThousand]) {
      const surge = surgeFor(skype2010, target);
      const clients = target.fleets * target.clientsPerFleet + target.supernodes + target.standbyPeers;
      expect(surge.clientsPerSupernode).toBeCloseTo(clients / target.supernodes, 9);
      expect(surge.capacityScale).toBeCloseTo(clients / target.supernodes / (340 / 32), 9);
      expect(surge.prediction.capacityRequestsPerSecond).toBeCloseTo(2 * surge.capacityScale, 9);
      expect(surge.prediction.steadyRequestsPerSupernode / surge.prediction.capacityRequestsPerSecond).toBeCloseTo(
        reference.steadyRequestsPerSupernode / reference.capacityRequestsPerSecond,
        12,
      );
      expect(surge.prediction.peakLoad).toBeCloseTo(reference.peakLoad, 9);
      expect(surge.prediction.demandSurge).toBeCloseTo(reference.demandSurge, 9);
      expect(surge.peakRequestsInAll).toBeCloseTo(surge.prediction.peakRequestsPerSurvivor * surge.prediction.survivors, 9);
    }
    const scaled = scaledScenario(skype2010, tenThousand, 3);
    expect(scaled.architectures.p2p?.topology.supernode.capacity).toEqual({ sessions: 180, requestsPerSecond: 6 });
    expect(scaled.architectures.p2p?.topology).toMatchObject({ supernodes: 100, standbyPeers: 25, fleets: 10, clientsPerFleet: 1_000 });
    expect(skype2010.architectures.p2p?.topology.supernodes).toBe(32);
  });
});

describe('the rendered tables', () => {
  it('without the costs file say not measured yet and which commands measure it', () => {
    const text = scaleArithmeticTable(undefined, sweeps(sizeSweep), skype2010);
    expect(text).toBe(SCALE_NOT_MEASURED);
    expect(text).toContain('npm run bench:costs -- skype-2010 --arch p2p --platform docker --seed 7 --out <dir>');
    expect(text).toContain('--set architectures.p2p.topology.clientsPerFleet=200 --append');
    expect(text).toContain('npx chaos sweep skype-2010 --arch p2p --param architectures.p2p.topology.supernodes --from 32 --to 150');
    expect(text).toContain(`--id ${SIZE_SWEEP_ID}`);
    const surge = scaleSurgeTable(undefined, undefined, skype2010);
    expect(surge).toContain('The machines come from the table above, not measured yet (—).');
    expect(surge).toContain('| skype-2010 p2p as shipped | 10.6 | 2.00/s, 60 sessions | 0.46 | 4.06x | 8.26x | 12.3x | 182 | — |');
  });

  it('name their inputs and give a row a target', () => {
    const text = scaleArithmeticTable(twoSizes, sweeps(sizeSweep), skype2010);
    expect(text).toMatch(/^\*\*Inputs\*\*: bench\/container-costs\.json run 1 \(`npm run bench:costs -- skype-2010 .*`, 2026-12-06, commit 0123456\), with run 2 /);
    expect(text).toContain(`the size sweep \`${SIZE_SWEEP_ID}\` (2026-12-07, commit abcdef0)`);
    expect(text).toContain('the 6 mega-supernodes the timeline adds');
    expect(text).toContain('| skype-2010 p2p as shipped: 32 supernodes + 8 standby, 3 fleets of 100 | 2.47 | 2.80 | 1 | 1 | 1 | 0.07x | **1** |');
    expect(text).toContain('| 100 supernodes, 10,000 clients: 100 supernodes + 25 standby, 10 fleets of 1,000 | 19.9 | 10.4 | 5 | 1 | 2 | 2.35x | **5** |');
    expect(text).not.toContain('not 1');
    const surge = scaleSurgeTable(twoSizes, sweeps(sizeSweep), skype2010);
    expect(surge).toContain('| 100 supernodes, 10,000 clients | 101.3 | 19/s, 572 sessions | 4.39 | 4.06x | 5.56x | 12.3x | 5,414 | 1,083 (5 machines) |');
    expect(surge).toContain("The sweep's largest point that held (64 supernodes) asks, by the same arithmetic, 364 requests/s of one machine at the peak");
  });

  it('say so when the calibration puts the shipped topology on more than one machine', () => {
    expect(scaleArithmeticTable(twoSizes, sweeps(), skype2010)).toContain('The shipped topology comes out at 2 machines, not 1');
  });

  it('are registered with the docs\' tables', async () => {
    const tables = await loadDocTables(resolve(import.meta.dirname, '../../..'));
    expect([SCALE_ARITHMETIC_TABLE, SCALE_SURGE_TABLE].filter((name) => !tables.has(name))).toEqual([]);
  });
});
