import { z } from 'zod';
import { commit } from './entry-fields.js';

/**
 * bench/container-costs.json (written by `npm run bench:costs`): the CPU and memory each kind of
 * container cost during Docker runs, one entry a run; a run with `--set` is of the scenario with those
 * values (e.g. another clientsPerFleet), so runs at two fleet sizes price the clients at the margin.
 */

/** The units the docs price: a container of each role, except fleets, which are priced per 1,000 of their clients. */
export const costUnits = ['supernode', 'thousand-clients', 'toxiproxy', 'login', 'offline-messages'] as const;
export type CostUnit = (typeof costUnits)[number];

const cpuCores = z.strictObject({ mean: z.number().nonnegative(), p95: z.number().nonnegative() });
const memoryMiB = z.strictObject({ mean: z.number().nonnegative(), max: z.number().nonnegative() });

const roleCosts = z.strictObject({
  role: z.string().min(1),
  /** Most containers of the role seen at once in the phase. */
  containers: z.number().int().nonnegative(),
  /** One container's CPU over each 2-s interval: mean and p95 of those (container, interval) readings, and how many there were. */
  cpuCoresPerContainer: cpuCores.extend({ n: z.number().int().positive() }).nullable(),
  /** The role's containers together: mean over the intervals. */
  cpuCoresAllContainers: z.number().nonnegative().nullable(),
  /** One container's memory at each sample: mean and max of those readings, and how many there were. */
  memoryMiBPerContainer: memoryMiB.extend({ n: z.number().int().positive() }).nullable(),
});
export type RoleCosts = z.output<typeof roleCosts>;

const phaseCosts = z.strictObject({
  phase: z.string().min(1),
  seconds: z.number().nonnegative(),
  /** Sampling intervals whose middle fell in the phase. */
  intervals: z.number().int().nonnegative(),
  /** Share of every core's time the machine was busy over those intervals (/proc/stat). */
  machineBusy: z.number().min(0).max(1).nullable(),
  roles: z.array(roleCosts),
});
export type PhaseCosts = z.output<typeof phaseCosts>;

const unitCost = z.strictObject({
  unit: z.enum(costUnits),
  role: z.string().min(1),
  /** One container's figures are divided by this: 1, or for a fleet its clients / 1,000. */
  perContainer: z.number().positive(),
  cpuCores: cpuCores.nullable(),
  memoryMiB: memoryMiB.nullable(),
});
export type UnitCost = z.output<typeof unitCost>;

const phaseUnitCosts = z.strictObject({ phase: z.string().min(1), units: z.array(unitCost) });
export type PhaseUnitCosts = z.output<typeof phaseUnitCosts>;

const runTopology = z.strictObject({
  supernodes: z.number().int().nonnegative(),
  standbyPeers: z.number().int().nonnegative(),
  offlineMessageServers: z.number().int().nonnegative(),
  fleets: z.number().int().nonnegative(),
  clientsPerFleet: z.number().int().positive(),
});
export type RunTopology = z.output<typeof runTopology>;

/** One run the bench measured. */
export const containerCostRunSchema = z.strictObject({
  /** The bench as it was given: `npm run bench:costs -- ...` (without --append). */
  command: z.string().min(1),
  /** The run as the bench started it: `npx chaos run ...`; with --set, of the varied scenario's file. */
  chaosCommand: z.string().min(1),
  /** `--set` field paths and the values the run's scenario had there (none: the scenario as shipped). */
  set: z.record(z.string().min(1), z.json()),
  machine: z.strictObject({
    cores: z.number().int().positive(),
    cpuModel: z.string(),
    memoryGiB: z.number(),
    loadAverageAtStart: z.tuple([z.number(), z.number(), z.number()]),
    node: z.string(),
    os: z.string(),
    commit,
    uncommittedFiles: z.number().int().nonnegative(),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}T/),
    dockerEngine: z.string().nullable(),
  }),
  method: z.string(),
  /** The cgroup versions the containers' files were read from, and what the memory figure is. */
  cgroup: z.strictObject({ versions: z.array(z.enum(['v1', 'v2'])), memory: z.string() }),
  samplePeriodSeconds: z.number().positive(),
  run: z.strictObject({
    scenario: z.string().nullable(),
    architecture: z.enum(['p2p', 'dedicated']),
    seed: z.number().int().nullable(),
    runId: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    outcome: z.string().nullable(),
    verdict: z.string().nullable(),
    /** The harness could not keep up: the figures are of a machine that was short of CPU. */
    saturated: z.boolean().nullable(),
    saturationReasons: z.array(z.string()),
    /** The last lines the run wrote on stderr, kept when it exited with neither a verdict (0 pass, 1 fail) nor 3 unknown. */
    stderrTail: z.string().optional(),
  }),
  topology: runTopology,
  samples: z.number().int().nonnegative(),
  /** Container readings that failed (a container gone between the listing and the read, or its cgroup not visible). */
  unreadReadings: z.number().int().nonnegative(),
  samplerCpuSeconds: z.number().nonnegative(),
  phases: z.array(phaseCosts),
  unitCosts: z.array(phaseUnitCosts),
});
export type ContainerCostRun = z.output<typeof containerCostRunSchema>;

export const containerCostsSchema = z.strictObject({
  about: z.string(),
  /** In the order measured: the bench replaces the file with one run, or with --append adds one (on the same machine). */
  runs: z.array(containerCostRunSchema).min(1),
});

export type ContainerCostsData = z.output<typeof containerCostsSchema>;
