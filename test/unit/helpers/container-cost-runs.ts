import type { ContainerCostRun, RoleCosts } from '../../../harness/docs/container-costs-data.js';

/** Runs of bench/container-costs.json for the tests of its table, its marginal costs and the bench's file. */

const unit = (name: 'supernode' | 'thousand-clients' | 'toxiproxy' | 'login' | 'offline-messages', role: string, cpu: [number, number] | null, memory: [number, number] | null, perContainer = 1) => ({
  unit: name,
  role,
  perContainer,
  cpuCores: cpu === null ? null : { mean: cpu[0], p95: cpu[1] },
  memoryMiB: memory === null ? null : { mean: memory[0], max: memory[1] },
});

const fleetRole = (cpu: number | null, memory: number | null): RoleCosts => ({
  role: 'client-fleet',
  containers: 3,
  cpuCoresPerContainer: cpu === null ? null : { mean: cpu, p95: cpu * 1.5, n: 150 },
  cpuCoresAllContainers: cpu === null ? null : cpu * 3,
  memoryMiBPerContainer: memory === null ? null : { mean: memory, max: memory * 1.1, n: 150 },
});

/** One run of skype-2010 on p2p at 100 clients a fleet, as shipped. */
export const costRun: ContainerCostRun = {
  command: 'npm run bench:costs -- skype-2010 --arch p2p --platform docker --seed 7 --out /tmp/costs',
  chaosCommand: 'npx chaos run skype-2010 --arch p2p --platform docker --seed 7 --out /tmp/costs',
  set: {},
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
    { phase: 'steady-state', seconds: 100, intervals: 50, machineBusy: 0.412, roles: [fleetRole(0.12, 90)] },
    { phase: 'timeline', seconds: 120, intervals: 60, machineBusy: 0.9, roles: [fleetRole(0.175, 105)] },
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

export interface FleetFigures {
  readonly steadyCpu: number | null;
  readonly timelineCpu: number | null;
  readonly timelineMemory: number | null;
}

/** costRun at another fleet size, with one fleet container's figures as given, and the --set that asked for the size (none at 100). */
export function fleetRun(clientsPerFleet: number, figures: FleetFigures, set: Readonly<Record<string, number | string>> = {}): ContainerCostRun {
  const sizeSet = clientsPerFleet === 100 ? {} : { 'architectures.p2p.topology.clientsPerFleet': clientsPerFleet };
  return {
    ...costRun,
    set: { ...sizeSet, ...set },
    topology: { ...costRun.topology, clientsPerFleet },
    unitCosts: costRun.unitCosts.map((entry) => ({
      ...entry,
      units: entry.units.map((cost) => (cost.unit === 'thousand-clients' ? { ...cost, perContainer: clientsPerFleet / 1_000 } : cost)),
    })),
    phases: [
      { ...costRun.phases[0]!, roles: [fleetRole(figures.steadyCpu, null)] },
      { ...costRun.phases[1]!, roles: [fleetRole(figures.timelineCpu, figures.timelineMemory)] },
    ],
  };
}
