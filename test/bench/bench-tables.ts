import Table from 'cli-table3';
import type { BenchLimit, BenchResults, Outcome } from './bench-results.js';
import type { CpuShareRow } from './harness-cpu.js';
import { ratio, type Summary } from './stats.js';

/** Plain tables: the output is read in terminals and in CI logs alike. */
const table = (head: string[], extra: Partial<Table.TableConstructorOptions> = {}): Table.Table => new Table({ head, style: { head: [], border: [] }, ...extra });

const ms = (value: number | undefined): string => (value === undefined ? '-' : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms`);
const seconds = (value: number | undefined): string => (value === undefined ? '-' : `${(value / 1_000).toFixed(1)} s`);
const times = (value: number | undefined): string => (value === undefined ? '-' : `${value.toFixed(2)}x`);
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
const spread = (summary: Summary | undefined, show: (value: number) => string): string =>
  summary === undefined ? '-' : summary.n === 1 ? show(summary.p50) : `${show(summary.p50)} (${show(summary.min)}-${show(summary.max)}, n=${summary.n})`;

function whenMeasured<T>(title: string, outcome: Outcome<T>, render: (result: T) => string): string {
  return `\n${title}\n${outcome.status === 'measured' ? render(outcome.result) : `${outcome.status}: ${outcome.reason}`}`;
}

export function renderFleetCapacity(results: BenchResults): string {
  return whenMeasured('(1) virtual clients one fleet process holds (local platform)', results.fleetCapacity, (fleet) => {
    const rows = table(['clients', 'outcome', 'all online after', 'heartbeat p50', 'p99', 'max', 'fleet loop lag p99', 'supernode loop lag p99', 'fleet CPU (cores)']);
    for (const step of fleet.steps) {
      rows.push([step.size, step.outcome, seconds(step.onlineAfterMs), ms(step.heartbeatMs?.p50), ms(step.heartbeatMs?.p99), ms(step.heartbeatMs?.max), ms(step.fleetEventLoopLagP99Ms), ms(step.supernodeEventLoopLagP99Ms), step.fleetCpuCores?.toFixed(2) ?? '-']);
    }
    const largest = fleet.largestHeld === undefined ? 'no size held' : `largest fleet with heartbeat p99 under ${fleet.heartbeatP99LimitMs} ms: ${fleet.largestHeld} clients`;
    const redeploys = fleet.redeployedBecause.map((why) => `\nnetwork deployed afresh ${why}`).join('');
    return `${fleet.load}\n${rows.toString()}\n${largest}; ${fleet.stoppedBecause}${redeploys}`;
  });
}

export function renderTopology(results: BenchResults): string {
  const cells = (['local', 'docker'] as const).flatMap((kind) => {
    const outcome = results.topology[kind];
    return outcome.status === 'measured' ? outcome.result : [];
  });
  const rows = table(['platform', 'supernodes', 'nodes / links', 'start p50 (min-max, n)', 'of which platform up', 'teardown p50 (min-max, n)', 'start vs smallest', 'docker / local start', 'left behind']);
  for (const cell of cells) {
    const smallest = cells.find((other) => other.platform === cell.platform && other.startMs !== undefined);
    const local = cells.find((other) => other.platform === 'local' && other.supernodes === cell.supernodes);
    rows.push([
      cell.platform,
      cell.supernodes,
      `${cell.nodes} / ${cell.links}`,
      cell.skipped ?? (cell.failures.length > 0 && cell.startMs === undefined ? `failed: ${cell.failures[0]?.slice(0, 60)}` : spread(cell.startMs, (v) => seconds(v))),
      seconds(cell.platformUpMs?.p50),
      spread(cell.teardownMs, (v) => seconds(v)),
      times(ratio(cell.startMs?.p50, smallest?.startMs?.p50)),
      cell.platform === 'docker' ? times(ratio(cell.startMs?.p50, local?.startMs?.p50)) : '',
      cell.startMs === undefined ? '-' : String(cell.leftBehind),
    ]);
  }
  const notMeasured = (['local', 'docker'] as const).flatMap((kind) => {
    const outcome = results.topology[kind];
    return outcome.status === 'measured' ? [] : [`${kind}: ${outcome.status}: ${outcome.reason}`];
  });
  return `\n(2) topology start and teardown (${results.topology.shape})\n${rows.toString()}${notMeasured.map((line) => `\n${line}`).join('')}`;
}

export function renderFaultLatency(results: BenchResults): string {
  const rows = table(['platform', 'fault (harness call)', 'first effect on the wire', 'to effect p50', 'p99', 'call returned p50', 'p99', 'no effect']);
  const notes: string[] = [];
  for (const kind of ['local', 'docker'] as const) {
    const outcome = results.faultLatency[kind];
    if (outcome.status !== 'measured') {
      notes.push(`${kind}: ${outcome.status}: ${outcome.reason}`);
      continue;
    }
    for (const row of outcome.result.rows) {
      rows.push([kind, row.fault, row.effect, ms(row.toEffect?.p50), ms(row.toEffect?.p99), ms(row.callReturned?.p50), ms(row.callReturned?.p99), `${row.noEffect} of ${outcome.result.repetitions}`]);
    }
    notes.push(`${kind}: ${outcome.result.method}`);
  }
  return `\n(3) fault latency: from the harness's call to the first effect seen on the wire\n${rows.toString()}\n${notes.join('\n')}`;
}

export function renderHopOverhead(results: BenchResults): string {
  return whenMeasured('(4) Toxiproxy hop overhead: a lookup\'s round trip', results.hopOverhead, (hop) => {
    const rows = table(['path', 'n', 'p50', 'p99', 'max']);
    rows.push(['direct to the supernode', hop.direct?.n ?? 0, ms(hop.direct?.p50), ms(hop.direct?.p99), ms(hop.direct?.max)]);
    rows.push(['through Toxiproxy', hop.proxied?.n ?? 0, ms(hop.proxied?.p50), ms(hop.proxied?.p99), ms(hop.proxied?.max)]);
    rows.push(['ratio (Toxiproxy / direct)', '', times(hop.ratioP50), times(hop.ratioP99), times(ratio(hop.proxied?.max, hop.direct?.max))]);
    return `${hop.method}\n${rows.toString()}\nadded by one Toxiproxy hop at the median: ${ms(hop.addedP50Ms)}`;
  });
}

export function renderHarnessCpu(results: BenchResults): string {
  return whenMeasured('(5) CPU during skype-2010: the harness, its nodes and the rest of the machine (shares of 2-core capacity)', results.harnessCpu, (cpu) => {
    const rows = table(['span', 'seconds', 'machine busy', 'harness', 'fleets', 'supernodes', 'login+offline', 'toxiproxy', 'other processes', 'harness of busy', 'harness / fleets']);
    for (const row of [...(cpu.whole === undefined ? [] : [cpu.whole]), ...cpu.phases]) rows.push(cpuRow(row));
    const verdict = `run exit ${cpu.exitCode ?? '?'}, verdict ${cpu.verdict ?? '?'}${cpu.saturated === true ? ` (harness saturated: ${cpu.saturationReasons.join('; ')})` : ''}`;
    return `${cpu.method}\n${rows.toString()}\n${verdict}; ${cpu.samples} samples; the bench's own sampling used ${cpu.samplerCpuSeconds} CPU s (counted under other processes)`;
  });
}

function cpuRow(row: CpuShareRow): string[] {
  const s = row.shares;
  return [
    row.span,
    row.seconds.toFixed(0),
    percent(row.machineBusy),
    percent(s.harness.ofMachine),
    percent(s.fleets.ofMachine),
    percent(s.supernodes.ofMachine),
    percent(s['login-and-offline'].ofMachine),
    percent(s.toxiproxy.ofMachine),
    percent(s['other processes'].ofMachine),
    percent(s.harness.ofBusy),
    times(ratio(s.harness.cpuSeconds, s.fleets.cpuSeconds)),
  ];
}

export function renderLimits(limits: readonly BenchLimit[]): string {
  const rows = table(['measurement', 'limit', 'why'], { colWidths: [30, 45, 60], wordWrap: true });
  for (const limit of limits) rows.push([limit.measurement, limit.limit, limit.why]);
  return `\nlimits\n${rows.toString()}`;
}
