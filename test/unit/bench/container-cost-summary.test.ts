import { describe, expect, it } from 'vitest';
import { cpuIntervals, phaseCosts, type ContainerReading, type CostSample } from '../../bench/container-cost-summary.js';
import { unitCosts } from '../../bench/container-unit-costs.js';

const MIB = 2 ** 20;
const reading = (id: string, role: string, cpuSeconds: number, memoryMiB: number): ContainerReading => ({ id, role, cpuNs: cpuSeconds * 1e9, memoryBytes: memoryMiB * MIB });

/**
 * Four samples 2 s apart on two cores (400 ticks an interval). sn-b is gone by the last one; Toxiproxy
 * appears at the second. Steady state holds the first two intervals, the timeline the third.
 */
const samples: CostSample[] = [
  { atMs: 0, machine: { total: 0, idle: 0 }, containers: [reading('sn-a', 'supernode', 0, 50), reading('sn-b', 'supernode', 0, 40), reading('fleet-1', 'client-fleet', 0, 100)] },
  {
    atMs: 2_000,
    machine: { total: 400, idle: 200 },
    containers: [reading('sn-a', 'supernode', 1, 52), reading('sn-b', 'supernode', 0.2, 42), reading('fleet-1', 'client-fleet', 0.4, 110), reading('proxy', 'toxiproxy', 0, 10)],
  },
  {
    atMs: 4_000,
    machine: { total: 800, idle: 300 },
    containers: [reading('sn-a', 'supernode', 2, 54), reading('sn-b', 'supernode', 0.6, 44), reading('fleet-1', 'client-fleet', 0.8, 120), reading('proxy', 'toxiproxy', 0.1, 12)],
  },
  { atMs: 6_000, machine: { total: 1_200, idle: 300 }, containers: [reading('sn-a', 'supernode', 2.2, 60), reading('fleet-1', 'client-fleet', 1.6, 130), reading('proxy', 'toxiproxy', 0.3, 14)] },
];
const spans = [
  { phase: 'deploying', fromMs: -2_000, toMs: 0 },
  { phase: 'steady-state', fromMs: 0, toMs: 4_000 },
  { phase: 'timeline', fromMs: 4_000, toMs: 8_000 },
];

describe('CPU over each interval between samples', () => {
  it('gives each container seen at both ends its cores, and the machine its ticks', () => {
    const [first, second] = cpuIntervals(samples);
    expect(first).toEqual({
      fromMs: 0,
      toMs: 2_000,
      machineTicks: 400,
      busyTicks: 200,
      containers: [
        { id: 'sn-a', role: 'supernode', cores: 0.5 },
        { id: 'sn-b', role: 'supernode', cores: 0.1 },
        { id: 'fleet-1', role: 'client-fleet', cores: 0.2 },
      ],
    });
    expect(second?.containers.find((container) => container.id === 'proxy')?.cores).toBeCloseTo(0.05, 10);
  });

  it('leaves out a container whose counter went back (restarted), and intervals of no time', () => {
    const restarted: CostSample[] = [
      { atMs: 0, machine: { total: 0, idle: 0 }, containers: [reading('sn-a', 'supernode', 5, 50)] },
      { atMs: 0, machine: { total: 0, idle: 0 }, containers: [reading('sn-a', 'supernode', 5, 50)] },
      { atMs: 2_000, machine: { total: 400, idle: 400 }, containers: [reading('sn-a', 'supernode', 0.1, 30)] },
    ];
    expect(cpuIntervals(restarted)).toEqual([{ fromMs: 0, toMs: 2_000, machineTicks: 400, busyTicks: 0, containers: [] }]);
  });
});

describe('costs per phase and role', () => {
  const [steady, timeline, ...rest] = phaseCosts(samples, spans);

  it('leaves out a phase no interval falls in', () => {
    expect(rest).toEqual([]);
    expect([steady?.phase, timeline?.phase]).toEqual(['steady-state', 'timeline']);
  });

  it('gives per container the mean and p95 of its CPU readings and the mean and max of its memory, with the role\'s total', () => {
    expect(steady).toEqual({
      phase: 'steady-state',
      seconds: 4,
      intervals: 2,
      machineBusy: 0.625,
      roles: [
        { role: 'client-fleet', containers: 1, cpuCoresPerContainer: { mean: 0.2, p95: 0.2, n: 2 }, cpuCoresAllContainers: 0.2, memoryMiBPerContainer: { mean: 105, max: 110, n: 2 } },
        { role: 'supernode', containers: 2, cpuCoresPerContainer: { mean: 0.325, p95: 0.5, n: 4 }, cpuCoresAllContainers: 0.65, memoryMiBPerContainer: { mean: 46, max: 52, n: 4 } },
        { role: 'toxiproxy', containers: 1, cpuCoresPerContainer: { mean: 0.05, p95: 0.05, n: 1 }, cpuCoresAllContainers: 0.05, memoryMiBPerContainer: { mean: 10, max: 10, n: 1 } },
      ],
    });
  });

  it('counts a container that is gone at the end of an interval in its memory, not its CPU', () => {
    expect(timeline?.machineBusy).toBe(1);
    expect(timeline?.roles.find((role) => role.role === 'supernode')).toEqual({
      role: 'supernode',
      containers: 2,
      cpuCoresPerContainer: { mean: 0.1, p95: 0.1, n: 1 },
      cpuCoresAllContainers: 0.1,
      memoryMiBPerContainer: { mean: 52.7, max: 60, n: 3 },
    });
  });
});

describe('unit costs', () => {
  const [steady] = phaseCosts(samples, spans);
  if (steady === undefined) throw new Error('the fixture has a steady state');

  it('prices a supernode and Toxiproxy as one container each, and 1,000 clients as a fleet of 100 times ten', () => {
    expect(unitCosts(steady, 100)).toEqual([
      { unit: 'supernode', role: 'supernode', perContainer: 1, cpuCores: { mean: 0.325, p95: 0.5 }, memoryMiB: { mean: 46, max: 52 } },
      { unit: 'thousand-clients', role: 'client-fleet', perContainer: 0.1, cpuCores: { mean: 2, p95: 2 }, memoryMiB: { mean: 1_050, max: 1_100 } },
      { unit: 'toxiproxy', role: 'toxiproxy', perContainer: 1, cpuCores: { mean: 0.05, p95: 0.05 }, memoryMiB: { mean: 10, max: 10 } },
    ]);
  });

  it('divides a fleet of 2,500 clients by 2.5, and leaves out a unit with no container and a figure with no reading', () => {
    const fleetOnly = { ...steady, roles: [{ role: 'client-fleet', containers: 1, cpuCoresPerContainer: null, cpuCoresAllContainers: null, memoryMiBPerContainer: { mean: 250, max: 300, n: 3 } }] };
    expect(unitCosts(fleetOnly, 2_500)).toEqual([{ unit: 'thousand-clients', role: 'client-fleet', perContainer: 2.5, cpuCores: null, memoryMiB: { mean: 100, max: 120 } }]);
  });
});
