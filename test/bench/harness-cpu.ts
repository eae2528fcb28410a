import { cpuGroups, cpuWindow, phaseWindows, type CpuGroup, type CpuWindow } from './cpu-accounting.js';
import { TICKS_PER_SECOND } from './proc-stat.js';
import { oneScenarioHour, runLength, sampleSkypeRun } from './skype-cpu-run.js';
import { rounded } from './stats.js';

/** Sampled once a second, a phase shorter than this is mostly sampling error (a process's last second is not seen). */
const shortestPhaseSeconds = 3;

export interface CpuShareRow {
  readonly span: string;
  readonly seconds: number;
  /** Share of the machine's capacity (every core, the whole span) that was busy. */
  readonly machineBusy: number;
  /** Per group and for the rest of the machine: CPU seconds, share of capacity, share of the busy time. */
  readonly shares: Readonly<Record<CpuGroup | 'other processes', { readonly cpuSeconds: number; readonly ofMachine: number; readonly ofBusy: number }>>;
}

export interface HarnessCpuResult {
  readonly method: string;
  readonly exitCode: number | null;
  readonly verdict: string | undefined;
  readonly saturated: boolean | undefined;
  readonly saturationReasons: readonly string[];
  readonly whole: CpuShareRow | undefined;
  readonly phases: readonly CpuShareRow[];
  readonly samples: number;
  readonly samplerCpuSeconds: number;
  readonly stderrTail?: string;
}

/** The harness's own CPU during skype-2010 (p2p, local), beside its fleets', its other nodes' and the rest of the machine's. */
export async function measureHarnessCpu(): Promise<HarnessCpuResult> {
  const run = await sampleSkypeRun();
  const first = run.snapshots[0];
  const last = run.snapshots.at(-1);
  const architecture = run.report?.runs[0];
  return {
    method: `\`chaos run\` on skype-2010 p2p (its topology, load and timeline up to ${runLength}; one scenario hour in ${oneScenarioHour}), local platform, seed 7, as a child of the bench; /proc sampled every second: the harness process (and its tsx/esbuild helper), each node by its role, Toxiproxy, and /proc/stat for the machine; phases shorter than ${shortestPhaseSeconds} s left out`,
    exitCode: run.exitCode,
    verdict: architecture?.verdict,
    saturated: architecture?.saturation?.saturated,
    saturationReasons: architecture?.saturation?.reasons ?? [],
    whole: first === undefined || last === undefined || last.atMs <= first.atMs ? undefined : shareRow('whole run', cpuWindow(first, last)),
    phases: phaseWindows(run.snapshots, run.phases)
      .filter(({ window }) => window.seconds >= shortestPhaseSeconds)
      .map(({ phase, window }) => shareRow(phase, window)),
    samples: run.snapshots.length,
    samplerCpuSeconds: rounded(run.samplerCpuSeconds),
    ...(run.exitCode === 0 || run.exitCode === 1 || run.exitCode === 3 ? {} : { stderrTail: run.stderrTail }),
  };
}

function shareRow(span: string, window: CpuWindow): CpuShareRow {
  const share = (ticks: number) => ({
    cpuSeconds: rounded(ticks / TICKS_PER_SECOND),
    ofMachine: rounded(ticks / Math.max(1, window.machineTicks), 3),
    ofBusy: rounded(ticks / Math.max(1, window.busyTicks), 3),
  });
  const shares = Object.fromEntries([...cpuGroups.map((group) => [group, share(window.groupTicks[group])]), ['other processes', share(window.otherTicks)]]) as CpuShareRow['shares'];
  return { span, seconds: rounded(window.seconds, 1), machineBusy: rounded(window.busyTicks / Math.max(1, window.machineTicks), 3), shares };
}
