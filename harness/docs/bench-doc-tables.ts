import { cpuGroups, type BenchResultsData, type CpuRow } from './bench-results-data.js';
import { count, day, ms, percent, ratio, secondsOfMs, shortCommit, times } from './doc-format.js';
import { markdownTable } from './markdown-table.js';

type Outcome<T> = { status: 'measured'; seconds: number; loadAverageBefore?: number | undefined; result: T } | { status: 'failed' | 'skipped'; seconds: number; loadAverageBefore?: number | undefined; reason: string };
type Summary = { n: number; p50: number; min: number; max: number };

/** The tables of docs/benchmarks.md, by marker name, from bench/results.json. */
export function benchTables(data: BenchResultsData): Record<string, string> {
  const source = `\`${data.command}\`, ${day(data.machine.date)}, commit ${shortCommit(data.machine.commit)}`;
  const block = <T>(outcome: Outcome<T>, render: (result: T) => string): string =>
    outcome.status === 'measured'
      ? `${source}; load average ${outcome.loadAverageBefore ?? '—'} before it, ${outcome.seconds} s.\n\n${render(outcome.result)}`
      : `${source}: not measured (${outcome.status}): ${outcome.reason}`;
  return {
    'bench-machine': machineTable(data),
    'bench-fleet': block(data.fleetCapacity, fleetTable),
    'bench-topology': topologyTable(data, source),
    'bench-faults': faultTable(data, source),
    'bench-hop': block(data.hopOverhead, hopTable),
    'bench-cpu': block(data.harnessCpu, cpuTable),
    'bench-limits': markdownTable(['measurement', 'limit', 'why'], data.limits.map((limit) => [limit.measurement, limit.limit, limit.why])),
  };
}

function machineTable(data: BenchResultsData): string {
  const m = data.machine;
  return markdownTable(
    ['command', 'date', 'commit', 'machine', 'software', 'load average at the start', 'took'],
    [[
      `\`${data.command}\``,
      m.date,
      `${m.commit}${m.uncommittedFiles === 0 ? '' : ` (+${m.uncommittedFiles} uncommitted files)`}`,
      `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os}`,
      [`Node ${m.node}`, m.dockerEngine === undefined ? 'no Docker engine' : `Docker engine ${m.dockerEngine}`, m.toxiproxyServer ?? 'no toxiproxy-server'].join(', '),
      m.loadAverageAtStart.join(', '),
      `${data.durationSeconds} s`,
    ]],
  );
}

function fleetTable(fleet: Extract<BenchResultsData['fleetCapacity'], { status: 'measured' }>['result']): string {
  const rows = fleet.steps.map((step) => [
    count(step.size),
    step.outcome.replace(/-/g, ' '),
    secondsOfMs(step.onlineAfterMs),
    ms(step.heartbeatMs?.p50),
    ms(step.heartbeatMs?.p99),
    ms(step.fleetEventLoopLagP99Ms),
    step.fleetCpuCores === undefined ? '—' : `${step.fleetCpuCores.toFixed(2)} cores`,
  ]);
  const table = markdownTable(['clients', 'outcome', 'all online after', 'heartbeat p50', 'heartbeat p99', 'fleet event-loop lag p99', 'fleet CPU'], rows);
  const held = fleet.largestHeld === undefined ? 'No size held' : `Largest fleet with a heartbeat p99 under ${fleet.heartbeatP99LimitMs} ms: **${count(fleet.largestHeld)} clients**`;
  const redeploys = (fleet.redeployedBecause ?? []).map((why) => `\n- network deployed afresh ${why}`).join('');
  return `${table}\n\n${held} (${fleet.stoppedBecause}).${redeploys}`;
}

const spread = (summary: Summary | undefined): string =>
  summary === undefined ? '—' : summary.n === 1 ? secondsOfMs(summary.p50) : `${secondsOfMs(summary.p50)} (${(summary.min / 1_000).toFixed(1)}-${(summary.max / 1_000).toFixed(1)})`;

function topologyTable(data: BenchResultsData, source: string): string {
  const lines: string[] = [];
  const rows: string[][] = [];
  for (const kind of ['local', 'docker'] as const) {
    const outcome = data.topology[kind];
    if (outcome.status !== 'measured') {
      lines.push(`${kind}: not measured (${outcome.status}): ${outcome.reason}`);
      continue;
    }
    lines.push(`${kind}: load average ${outcome.loadAverageBefore ?? '—'} before it, ${outcome.seconds} s`);
    const smallest = outcome.result.find((cell) => cell.startMs !== undefined);
    for (const cell of outcome.result) {
      const local = data.topology.local.status === 'measured' ? data.topology.local.result.find((other) => other.supernodes === cell.supernodes) : undefined;
      rows.push([
        kind,
        String(cell.supernodes),
        `${cell.nodes} / ${cell.links}`,
        cell.skipped ?? (cell.startMs === undefined ? `did not start: ${cell.failures[0] ?? 'no reason recorded'}` : spread(cell.startMs)),
        secondsOfMs(cell.platformUpMs?.p50),
        spread(cell.teardownMs),
        times(ratio(cell.startMs?.p50, smallest?.startMs?.p50), 1),
        kind === 'docker' ? times(ratio(cell.startMs?.p50, local?.startMs?.p50), 1) : '',
        cell.startMs === undefined ? '—' : String(cell.leftBehind),
      ]);
    }
  }
  const table = markdownTable(['platform', 'supernodes', 'nodes / links', 'start p50 (min-max)', 'of which platform up', 'teardown p50 (min-max)', 'start vs smallest', 'docker / local start', 'left behind'], rows);
  return `${source}; ${lines.join('; ')}.\n\n${table}`;
}

function faultTable(data: BenchResultsData, source: string): string {
  const lines: string[] = [];
  const rows: string[][] = [];
  for (const kind of ['local', 'docker'] as const) {
    const outcome = data.faultLatency[kind];
    if (outcome.status !== 'measured') {
      lines.push(`${kind}: not measured (${outcome.status}): ${outcome.reason}`);
      continue;
    }
    lines.push(`${kind}: ${outcome.result.method}; load average ${outcome.loadAverageBefore ?? '—'} before it`);
    for (const row of outcome.result.rows) {
      rows.push([kind, row.fault, row.effect, ms(row.toEffect?.p50), ms(row.toEffect?.p99), ms(row.callReturned?.p50), ms(row.callReturned?.p99), `${row.noEffect} of ${outcome.result.repetitions}`]);
    }
  }
  const table = markdownTable(['platform', 'fault', 'first effect on the wire', 'to effect p50', 'p99', 'call returned p50', 'p99', 'no effect seen'], rows);
  return `${source}.\n${lines.map((line) => `\n- ${line}`).join('')}\n\n${table}`;
}

function hopTable(hop: Extract<BenchResultsData['hopOverhead'], { status: 'measured' }>['result']): string {
  const table = markdownTable(['path', 'n', 'p50', 'p99', 'max'], [
    ['direct to the supernode', String(hop.direct?.n ?? 0), ms(hop.direct?.p50), ms(hop.direct?.p99), ms(hop.direct?.max)],
    ['through Toxiproxy', String(hop.proxied?.n ?? 0), ms(hop.proxied?.p50), ms(hop.proxied?.p99), ms(hop.proxied?.max)],
    ['ratio (Toxiproxy / direct)', '', times(hop.ratioP50), times(hop.ratioP99), times(ratio(hop.proxied?.max, hop.direct?.max))],
  ]);
  return `${hop.method}.\n\n${table}\n\nAdded by one Toxiproxy hop at the median: ${ms(hop.addedP50Ms)}.`;
}

const groupHeads: Record<(typeof cpuGroups)[number], string> = {
  harness: 'harness',
  fleets: 'fleets',
  supernodes: 'supernodes',
  'login-and-offline': 'login + offline',
  toxiproxy: 'Toxiproxy',
  'other processes': 'other processes',
};

function cpuTable(cpu: Extract<BenchResultsData['harnessCpu'], { status: 'measured' }>['result']): string {
  const row = (r: CpuRow): string[] => [
    r.span,
    r.seconds.toFixed(0),
    percent(r.machineBusy),
    ...cpuGroups.map((group) => percent(r.shares[group].ofMachine)),
    times(ratio(r.shares.harness.cpuSeconds, r.shares.fleets.cpuSeconds)),
  ];
  const table = markdownTable(['span', 'seconds', 'machine busy', ...cpuGroups.map((group) => groupHeads[group]), 'harness / fleets'], [...(cpu.whole === undefined ? [] : [cpu.whole]), ...cpu.phases].map(row));
  const run = `The run exited ${cpu.exitCode ?? '—'}, verdict ${cpu.verdict ?? '—'}${cpu.saturated === true ? ` (harness saturated: ${cpu.saturationReasons.join('; ')})` : ''}.`;
  return `${cpu.method}. Shares of the machine's capacity (every core over the span).\n\n${table}\n\n${run} The bench's own sampling used ${cpu.samplerCpuSeconds} CPU seconds, counted under other processes.`;
}
