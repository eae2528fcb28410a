import { z } from 'zod';

/** The parts of bench/results.json (written by `npm run bench`) that docs/benchmarks.md shows. */

const summary = z.object({ n: z.number(), p50: z.number(), p99: z.number(), min: z.number(), max: z.number() });

function outcome<T extends z.ZodType>(result: T) {
  return z.discriminatedUnion('status', [
    z.object({ status: z.literal('measured'), seconds: z.number(), loadAverageBefore: z.number().optional(), result }),
    z.object({ status: z.enum(['failed', 'skipped']), seconds: z.number(), loadAverageBefore: z.number().optional(), reason: z.string() }),
  ]);
}

const fleetStep = z.object({
  size: z.number(),
  outcome: z.string(),
  detail: z.string(),
  onlineAfterMs: z.number().optional(),
  heartbeatMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }).optional(),
  fleetEventLoopLagP99Ms: z.number().optional(),
  fleetCpuCores: z.number().optional(),
});

const fleetCapacity = z.object({
  heartbeatP99LimitMs: z.number(),
  load: z.string(),
  steps: z.array(fleetStep),
  largestHeld: z.number().optional(),
  smallestFailed: z.number().optional(),
  stoppedBecause: z.string(),
  redeployedBecause: z.array(z.string()).optional(),
});

const topologyCell = z.object({
  platform: z.string(),
  supernodes: z.number(),
  nodes: z.number(),
  links: z.number(),
  startMs: summary.optional(),
  platformUpMs: summary.optional(),
  teardownMs: summary.optional(),
  leftBehind: z.number(),
  failures: z.array(z.string()),
  skipped: z.string().optional(),
});

const faultLatency = z.object({
  method: z.string(),
  repetitions: z.number(),
  rows: z.array(z.object({ fault: z.string(), effect: z.string(), toEffect: summary.optional(), callReturned: summary.optional(), noEffect: z.number() })),
});

const hopOverhead = z.object({
  method: z.string(),
  direct: summary.optional(),
  proxied: summary.optional(),
  ratioP50: z.number().optional(),
  ratioP99: z.number().optional(),
  addedP50Ms: z.number().optional(),
});

const share = z.object({ cpuSeconds: z.number(), ofMachine: z.number(), ofBusy: z.number() });
export const cpuGroups = ['harness', 'fleets', 'supernodes', 'login-and-offline', 'toxiproxy', 'other processes'] as const;
const cpuRow = z.object({
  span: z.string(),
  seconds: z.number(),
  machineBusy: z.number(),
  shares: z.object(Object.fromEntries(cpuGroups.map((group) => [group, share])) as Record<(typeof cpuGroups)[number], typeof share>),
});
export type CpuRow = z.output<typeof cpuRow>;

const harnessCpu = z.object({
  method: z.string(),
  exitCode: z.number().nullable().optional(),
  verdict: z.string().optional(),
  saturated: z.boolean().optional(),
  saturationReasons: z.array(z.string()),
  whole: cpuRow.optional(),
  phases: z.array(cpuRow),
  samplerCpuSeconds: z.number(),
});

export const benchResultsSchema = z.object({
  command: z.string(),
  machine: z.object({
    cores: z.number(),
    cpuModel: z.string(),
    memoryGiB: z.number(),
    loadAverageAtStart: z.array(z.number()),
    node: z.string(),
    os: z.string(),
    commit: z.string(),
    uncommittedFiles: z.number(),
    date: z.string(),
    toxiproxyServer: z.string().optional(),
    dockerEngine: z.string().optional(),
  }),
  durationSeconds: z.number(),
  fleetCapacity: outcome(fleetCapacity),
  topology: z.object({ shape: z.string(), local: outcome(z.array(topologyCell)), docker: outcome(z.array(topologyCell)) }),
  faultLatency: z.object({ local: outcome(faultLatency), docker: outcome(faultLatency) }),
  hopOverhead: outcome(hopOverhead),
  harnessCpu: outcome(harnessCpu),
  limits: z.array(z.object({ measurement: z.string(), limit: z.string(), why: z.string() })),
});

export type BenchResultsData = z.output<typeof benchResultsSchema>;
export type MeasuredOutcome = BenchResultsData['hopOverhead'];
