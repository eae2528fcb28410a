import type { RunPhase } from '../observe/history-types.js';
import { costUnits, type ContainerCostsData, type CostUnit, type UnitCost } from './container-costs-data.js';
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

const cores = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(value < 1 ? 3 : 2));
const mebibytes = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(value < 100 ? 1 : 0));

export function containerCostsTable(data: ContainerCostsData | undefined): string {
  if (data === undefined) return CONTAINER_COSTS_NOT_MEASURED;
  const costOf = (phase: RunPhase, unit: CostUnit): UnitCost | undefined => data.unitCosts.find((entry) => entry.phase === phase)?.units.find((cost) => cost.unit === unit);
  const rows = costUnits.map((unit) => {
    const steady = costOf(steadyState, unit);
    const during = costOf(timeline, unit);
    return [unitNames[unit], cores(steady?.cpuCores?.mean), cores(during?.cpuCores?.mean), cores(during?.cpuCores?.p95), mebibytes(during?.memoryMiB?.mean), mebibytes(during?.memoryMiB?.max)];
  });
  const table = markdownTable(
    ['per', 'CPU at steady state (cores, mean)', 'CPU in the timeline (cores, mean)', 'CPU in the timeline (cores, p95)', 'memory in the timeline (MiB, mean)', 'memory in the timeline (MiB, max)'],
    rows,
  );
  return [headerLine(data), ...warnings(data), table, footnote(data)].join('\n\n');
}

function headerLine(data: ContainerCostsData): string {
  const m = data.machine;
  const machine = `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.dockerEngine === null ? 'Docker engine unknown' : `Docker engine ${m.dockerEngine}`}`;
  const uncommitted = m.uncommittedFiles === 0 ? '' : ` (+${m.uncommittedFiles} uncommitted files)`;
  const run = data.run;
  const verdict = run.verdict === null ? 'no verdict' : `verdict ${run.verdict}${run.outcome === null || run.outcome === 'completed' ? '' : ` (${run.outcome})`}`;
  return `\`${data.command}\`, ${day(m.date)}, commit ${shortCommit(m.commit)}${uncommitted}, ${machine}, load average ${m.loadAverageAtStart.join(', ')} at the start; exit ${run.exitCode ?? '—'}, ${verdict}.`;
}

/** A saturated run, or one that ended without a verdict, is said before the figures. */
function warnings(data: ContainerCostsData): string[] {
  const run = data.run;
  return [
    ...(run.saturated === true
      ? [`**The harness was saturated** (${run.saturationReasons.join('; ') || 'no reason recorded'}): these are the costs on a machine that could not keep up.`]
      : []),
    ...(run.saturated === null ? ['The run\'s report says nothing of saturation.'] : []),
    ...(verdictExits.has(run.exitCode) ? [] : [`**The run ended without a verdict** (exit ${run.exitCode ?? 'unknown'}): the figures cover only what ran.`]),
  ];
}

function footnote(data: ContainerCostsData): string {
  const busy = (phase: RunPhase): string => percent(data.phases.find((entry) => entry.phase === phase)?.machineBusy ?? undefined);
  const t = data.topology;
  const fleetShare = data.unitCosts.flatMap((entry) => entry.units).find((cost) => cost.unit === 'thousand-clients')?.perContainer ?? t.clientsPerFleet / 1_000;
  return (
    `Machine busy: ${busy(steadyState)} at steady state, ${busy(timeline)} in the timeline. ` +
    `${count(t.supernodes)} supernodes${t.standbyPeers === 0 ? '' : ` and ${count(t.standbyPeers)} standby peers (priced as supernodes)`}, ` +
    `${count(t.offlineMessageServers)} offline-message server${t.offlineMessageServers === 1 ? '' : 's'}, ${count(t.fleets)} fleets of ${count(t.clientsPerFleet)} clients: ` +
    `per 1,000 clients is one fleet's figure divided by ${fleetShare}, its process's fixed cost included. ` +
    `${count(data.samples)} samples, every ${data.samplePeriodSeconds} s; ${count(data.unreadReadings)} container readings unread; cgroup ${data.cgroup.memory}.`
  );
}
