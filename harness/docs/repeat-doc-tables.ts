import { percent, times } from './doc-format.js';
import { markdownTable } from './markdown-table.js';
import { measuredByText } from './measured-by.js';
import type { RepeatCampaign, RepeatResultsData, RepeatRun } from './repeat-results-data.js';

interface Column {
  readonly head: (campaign: RepeatCampaign) => string;
  /** Shown when any run of the campaign has this figure. */
  readonly has: (run: RepeatRun) => boolean;
  readonly cell: (run: RepeatRun) => string;
}

type Figure = number | null | undefined;
/** A figure the run gave, or undefined. */
const given = (value: Figure): number | undefined => value ?? undefined;
const hours = (value: Figure): string => (value == null ? '—' : `T+${value.toFixed(1)}h`);
const withPrediction = (measured: Figure, predicted: Figure): string => `${times(given(measured))}${predicted == null ? '' : ` (${times(predicted)})`}`;

const columns: readonly Column[] = [
  { head: () => 'seed', has: () => true, cell: (run) => String(run.seed) },
  { head: () => 'verdict', has: () => true, cell: (run) => run.verdict },
  {
    head: (campaign) => {
      const population = campaign.runs.find((run) => run.supernodes != null)?.supernodes;
      return `supernodes lost, direct / total${population == null ? '' : ` (of ${population})`}`;
    },
    has: (run) => run.supernodesLostDirect != null,
    cell: (run) => `${run.supernodesLostDirect ?? '—'} / ${run.supernodesLostTotal ?? '—'}`,
  },
  {
    head: () => 'total / direct',
    has: (run) => run.supernodesLostDirect != null && run.supernodesLostTotal != null,
    cell: (run) => (run.supernodesLostDirect == null || run.supernodesLostTotal == null || run.supernodesLostDirect === 0 ? '—' : times(run.supernodesLostTotal / run.supernodesLostDirect, 1)),
  },
  { head: () => 'online low point', has: (run) => run.onlineLowPoint != null, cell: (run) => percent(given(run.onlineLowPoint)) },
  { head: () => 'mean online after the trigger', has: (run) => run.meanOnline != null, cell: (run) => percent(given(run.meanOnline)) },
  { head: () => 'recovered', has: (run) => run.recoveredAtHours != null, cell: (run) => hours(run.recoveredAtHours) },
  { head: () => 'back to steady', has: (run) => run.backToSteadyAtHours != null, cell: (run) => hours(run.backToSteadyAtHours) },
  { head: () => 'lookups after recovery', has: (run) => run.lookupSuccessAfterRecovery != null, cell: (run) => percent(given(run.lookupSuccessAfterRecovery)) },
  { head: () => 'messages lost', has: (run) => run.messagesLost != null, cell: (run) => (run.messagesLost == null ? '—' : String(run.messagesLost)) },
  { head: () => 'peak offered / capacity (predicted)', has: (run) => run.peakLoad != null, cell: (run) => withPrediction(run.peakLoad, run.peakLoadPredicted) },
  { head: () => 'busiest supernode (predicted)', has: (run) => run.busiestLoad != null, cell: (run) => withPrediction(run.busiestLoad, run.busiestLoadPredicted) },
  { head: () => 'surge per supernode', has: (run) => run.surgePerSupernode != null, cell: (run) => times(given(run.surgePerSupernode), 1) },
  { head: () => 'deepest server queue', has: (run) => run.deepestStoreQueue != null, cell: (run) => (run.deepestStoreQueue == null ? '—' : run.deepestStoreQueue.toLocaleString('en-US')) },
  {
    head: () => 'fleet loop delay p99 max',
    has: (run) => run.fleetLoopDelayP99MaxSeconds != null,
    cell: (run) => (run.fleetLoopDelayP99MaxSeconds == null ? '—' : `${run.fleetLoopDelayP99MaxSeconds} s`),
  },
];

/** The marker that shows every campaign no other marker shows, in the order of the data file. */
export const OTHER_CAMPAIGNS = 'repeat-others';

/** One table per campaign of bench/skype-2010-repeat.json, by marker name `repeat-<id>`. */
export function repeatTables(data: RepeatResultsData): Record<string, string> {
  return Object.fromEntries(data.campaigns.map((campaign) => [`repeat-${campaign.id}`, campaignTable(campaign)]));
}

/** The campaigns that no page marks by name, one after the other; a line saying so when there are none. */
export function otherCampaigns(data: RepeatResultsData, marked: ReadonlySet<string>): string {
  const tables = data.campaigns.filter((campaign) => !marked.has(`repeat-${campaign.id}`)).map(campaignTable);
  return tables.length === 0 ? '_Every campaign is shown above._' : tables.join('\n\n');
}

function campaignTable(campaign: RepeatCampaign): string {
  const shown = columns.filter((column) => campaign.runs.some(column.has));
  const table = markdownTable(
    shown.map((column) => column.head(campaign)),
    campaign.runs.map((run) => shown.map((column) => column.cell(run))),
  );
  const passes = campaign.runs.filter((run) => run.verdict === 'pass').length;
  const then = campaign.scenarioAtCommit === '' ? '' : `; the scenario then: ${campaign.scenarioAtCommit}`;
  const source = measuredByText(campaign, then);
  return `**${campaign.scenario}, ${campaign.architecture}**: ${source} **${passes} of ${campaign.runs.length} pass.**${campaign.note === undefined ? '' : ` ${campaign.note}`}\n\n${table}`;
}
