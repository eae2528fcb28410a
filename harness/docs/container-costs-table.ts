import type { RunPhase } from '../observe/history-types.js';
import { costUnits, type ContainerCostRun, type ContainerCostsData, type CostUnit, type UnitCost } from './container-costs-data.js';
import { clientsPerFleetPath, marginalClientCosts, type MarginalClientCosts, type MarginalQuantity } from './container-marginal-costs.js';
import { count, day, percent, shortCommit } from './doc-format.js';
import { markdownTable } from './markdown-table.js';

/** `table:container-costs` in docs/scale.md: what each kind of container cost, from bench/container-costs.json. */
export const CONTAINER_COSTS_TABLE = 'container-costs';

/** What the table says until the bench has written its data file. */
export const CONTAINER_COSTS_NOT_MEASURED =
  '_Not measured yet: run `npm run bench:costs -- skype-2010 --arch p2p --platform docker --seed 7 --out <dir>` (it writes `bench/container-costs.json`), then `npm run docs`._';

const unitNames: Readonly<Record<CostUnit, string>> = {
  supernode: 'supernode',
  'thousand-clients': '1,000 clients (fleets)',
  toxiproxy: 'Toxiproxy',
  login: 'login',
  'offline-messages': 'offline-messages',
};

const steadyState: RunPhase = 'steady-state';
const timeline: RunPhase = 'timeline';
/** chaos run's exits with a verdict: pass, fail, unknown. */
const verdictExits: ReadonlySet<number | null> = new Set([0, 1, 3]);

const cores = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(Math.abs(value) < 1 ? 3 : 2));
const mebibytes = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(Math.abs(value) < 100 ? 1 : 0));

/** `a, b and c`. */
const listed = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`);

/** `--set` values as the captions write them: `path=value`, text as it is and the rest as JSON. */
export const setValuesText = (set: Readonly<Record<string, unknown>>): string =>
  listed(Object.entries(set).map(([path, value]) => `\`${path}=${typeof value === 'string' ? value : JSON.stringify(value)}\``));

/** Each run's figures, one table a run, then what 1,000 more clients cost where runs at two fleet sizes or more say it. */
export function containerCostsTable(data: ContainerCostsData | undefined): string {
  if (data === undefined) return CONTAINER_COSTS_NOT_MEASURED;
  const runs = data.runs.map((run, index) => runSection(run, index, data.runs.length));
  const marginal = marginalClientCosts(data.runs);
  const sections = marginal.length > 0 ? marginal.map((group) => marginalSection(group, data.runs)) : [oneSizeOnly(data.runs)];
  return [...runs, ...sections].join('\n\n');
}

function runSection(run: ContainerCostRun, index: number, runs: number): string {
  const costOf = (phase: RunPhase, unit: CostUnit): UnitCost | undefined => run.unitCosts.find((entry) => entry.phase === phase)?.units.find((cost) => cost.unit === unit);
  const rows = costUnits.map((unit) => {
    const steady = costOf(steadyState, unit);
    const during = costOf(timeline, unit);
    return [unitNames[unit], cores(steady?.cpuCores?.mean), cores(during?.cpuCores?.mean), cores(during?.cpuCores?.p95), mebibytes(during?.memoryMiB?.mean), mebibytes(during?.memoryMiB?.max)];
  });
  const table = markdownTable(
    ['per', 'CPU at steady state (cores, mean)', 'CPU in the timeline (cores, mean)', 'CPU in the timeline (cores, p95)', 'memory in the timeline (MiB, mean)', 'memory in the timeline (MiB, max)'],
    rows,
  );
  return [caption(run, index, runs), ...warnings(run), table, footnote(run)].join('\n\n');
}

const upperFirst = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

const scenarioOf = (run: ContainerCostRun): string => run.run.scenario ?? 'the scenario';

function caption(run: ContainerCostRun, index: number, runs: number): string {
  const m = run.machine;
  const machine = `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.dockerEngine === null ? 'Docker engine unknown' : `Docker engine ${m.dockerEngine}`}`;
  const uncommitted = m.uncommittedFiles === 0 ? '' : ` (+${m.uncommittedFiles} uncommitted files)`;
  const r = run.run;
  const verdict = r.verdict === null ? 'no verdict' : `verdict ${r.verdict}${r.outcome === null || r.outcome === 'completed' ? '' : ` (${r.outcome})`}`;
  const which = `${runs > 1 ? `**Run ${index + 1} of ${runs}**: ` : ''}${scenarioOf(run)} on ${r.architecture}, ${Object.keys(run.set).length === 0 ? 'as shipped' : `with ${setValuesText(run.set)}`}`;
  return `${which}. \`${run.command}\`, ${day(m.date)}, commit ${shortCommit(m.commit)}${uncommitted}, ${machine}, load average ${m.loadAverageAtStart.join(', ')} at the start; exit ${r.exitCode ?? '—'}, ${verdict}.`;
}

/** A saturated run, or one that ended without a verdict, is said before the figures. */
function warnings(run: ContainerCostRun): string[] {
  const r = run.run;
  return [
    ...(r.saturated === true ? [`**The harness was saturated** (${r.saturationReasons.join('; ') || 'no reason recorded'}): these are the costs on a machine that could not keep up.`] : []),
    ...(r.saturated === null ? ['The run\'s report says nothing of saturation.'] : []),
    ...(verdictExits.has(r.exitCode) ? [] : [`**The run ended without a verdict** (exit ${r.exitCode ?? 'unknown'}): the figures cover only what ran.`]),
  ];
}

function footnote(run: ContainerCostRun): string {
  const busy = (phase: RunPhase): string => percent(run.phases.find((entry) => entry.phase === phase)?.machineBusy ?? undefined);
  const t = run.topology;
  const fleetShare = run.unitCosts.flatMap((entry) => entry.units).find((cost) => cost.unit === 'thousand-clients')?.perContainer ?? t.clientsPerFleet / 1_000;
  return (
    `Machine busy: ${busy(steadyState)} at steady state, ${busy(timeline)} in the timeline. ` +
    `${count(t.supernodes)} supernodes${t.standbyPeers === 0 ? '' : ` and ${count(t.standbyPeers)} standby peers (priced as supernodes)`}, ` +
    `${count(t.offlineMessageServers)} offline-message server${t.offlineMessageServers === 1 ? '' : 's'}, ${count(t.fleets)} fleets of ${count(t.clientsPerFleet)} clients: ` +
    `per 1,000 clients is one fleet's figure divided by ${fleetShare}, its process's fixed cost included. ` +
    `${count(run.samples)} samples, every ${run.samplePeriodSeconds} s; ${count(run.unreadReadings)} container readings unread; cgroup ${run.cgroup.memory}.`
  );
}

/** Without runs at two fleet sizes, how to get them. */
function oneSizeOnly(runs: readonly ContainerCostRun[]): string {
  const first = runs[0]!;
  const path = clientsPerFleetPath(first.run.architecture);
  const other = first.topology.clientsPerFleet === 1_000 ? 100 : 1_000;
  return (
    'No two runs differ only in clients per fleet, so what 1,000 more clients cost, apart from the fixed cost of each fleet process, is not derived: ' +
    `measure the same run again at another size with \`--set ${path}=${other} --append\`.`
  );
}

const quantityColumns: readonly { readonly quantity: MarginalQuantity; readonly heading: string; readonly format: (value: number | undefined) => string }[] = [
  { quantity: 'cpu-steady-state', heading: 'CPU at steady state (cores, mean)', format: cores },
  { quantity: 'cpu-timeline', heading: 'CPU in the timeline (cores, mean)', format: cores },
  { quantity: 'memory-timeline', heading: 'memory in the timeline (MiB, mean)', format: mebibytes },
];

function marginalSection(group: MarginalClientCosts, runs: readonly ContainerCostRun[]): string {
  const figure = (quantity: MarginalQuantity) => group.figures.find((entry) => entry.quantity === quantity);
  const table = markdownTable(
    ['per', ...quantityColumns.map((column) => column.heading)],
    [
      ['1,000 more clients (marginal)', ...quantityColumns.map((column) => column.format(figure(column.quantity)?.perThousandClients))],
      ['fleet process (fixed, at 0 clients)', ...quantityColumns.map((column) => column.format(figure(column.quantity)?.fixedPerFleet))],
    ],
  );
  const members = group.runs.map((index) => runs[index]!);
  const runNumbers = listed(group.runs.map((index) => String(index + 1)));
  const sizes = listed(group.clientsPerFleet.map(count));
  const distinct = new Set(group.clientsPerFleet).size;
  const line =
    group.runs.length === 2
      ? 'the line through one fleet container\'s figures at the two sizes'
      : `a least-squares line through one fleet container's figures in the ${group.runs.length} runs (${distinct} sizes)`;
  const shared = Object.keys(group.set).length === 0 ? '' : `, with ${setValuesText(group.set)}`;
  const captionText =
    `**Clients at the margin**, ${group.scenario ?? 'the scenario'} on ${group.architecture}, ${count(group.fleets)} fleets${group.seed === null ? '' : `, seed ${group.seed}`}${shared}: ` +
    `runs ${runNumbers} (${sizes} clients per fleet), ${line}. Its slope × 1,000 is what 1,000 more clients cost; its value at 0 clients, what each fleet process costs on its own: ` +
    'F fleets of C clients each cost about F × the fixed cost + F × C / 1,000 × the marginal cost.';
  const fewer = quantityColumns.filter((column) => (figure(column.quantity)?.fit.points ?? group.runs.length) < group.runs.length);
  const notes = [
    ...fewer.map((column) => `${upperFirst(column.heading)}: from the ${figure(column.quantity)!.fit.points} runs that have it.`),
    ...(group.figures.length < quantityColumns.length ? ['A figure the runs do not have at two sizes is left out (—).'] : []),
    ...(group.figures.some((entry) => entry.perThousandClients < 0 || entry.fixedPerFleet < 0)
      ? ['A negative figure is below what the runs can tell apart: measure again, or at sizes further apart.']
      : []),
    ...flagged(members, group.runs),
  ];
  return [captionText, table, ...(notes.length === 0 ? [] : [notes.join(' ')])].join('\n\n');
}

/** Runs of the line a caption above warns of: their points are less sure. */
function flagged(members: readonly ContainerCostRun[], indexes: readonly number[]): string[] {
  const numbers = (test: (run: ContainerCostRun) => boolean): string[] => indexes.filter((_, i) => test(members[i]!)).map((index) => String(index + 1));
  const saturated = numbers((run) => run.run.saturated === true);
  const unfinished = numbers((run) => !verdictExits.has(run.run.exitCode));
  return [
    ...(saturated.length === 0 ? [] : [`Run${saturated.length === 1 ? '' : 's'} ${listed(saturated)} saturated the harness: ${saturated.length === 1 ? 'its point is' : 'their points are'} of a machine that could not keep up.`]),
    ...(unfinished.length === 0 ? [] : [`Run${unfinished.length === 1 ? '' : 's'} ${listed(unfinished)} ended without a verdict: ${unfinished.length === 1 ? 'its point covers' : 'their points cover'} only what ran.`]),
  ];
}
