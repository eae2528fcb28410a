import type { LoadPrediction } from '../verdict/load-prediction.js';
import type { ArchitectureVerdict } from '../verdict/verdict-types.js';
import { directoryFigures } from './directory-figures.js';
import { coldCacheFigures } from './cold-cache-figures.js';
import { inboxLoopFigures } from './inbox-loop-figures.js';

export interface LoadFigure {
  readonly label: string;
  readonly value: string;
}

const times = (value: number | null | undefined, digits = 2): string => (value === null || value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(digits)}×`);
const rate = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${value.toFixed(1)}/s`);

/**
 * Offered load per supernode, predicted beside measured, the surge, and whether the harness delivered it;
 * last, login's directory arithmetic when the topology has a directory, and the offline store's when it has a query capacity.
 */
export function loadFigures(run: ArchitectureVerdict): readonly LoadFigure[] {
  const load = run.load ?? null;
  const predicted = load?.predicted ?? null;
  const saturation = run.saturation;
  return [
    { label: 'request capacity per supernode', value: rate(predicted?.capacityRequestsPerSecond) },
    { label: 'steady offered, predicted / measured', value: `${rate(predicted?.steadyRequestsPerSupernode)} / ${rate(load?.steadyRequestsPerSupernode)}` },
    { label: 'peak load, predicted / measured', value: `${times(predicted?.peakLoad)}${lowDraw(predicted)} / ${times(load?.peakLoad)}` },
    {
      label: 'busiest supernode, predicted / measured',
      value: `${times(predicted?.busiest?.peakLoad)}${predicted?.busiest === undefined || predicted.busiest.displaced === 0 ? '' : ` (${predicted.busiest.displaced} displaced clients, 19 networks in 20)`} / ${times(load?.busiestLoad)}`,
    },
    { label: 'surge per supernode / network', value: `${times(load?.surgeFactor, 1)} / ${times(load?.networkSurgeFactor, 1)}` },
    {
      label: 'harness',
      value:
        saturation === undefined
          ? '—'
          : saturation.saturated
            ? `saturated (${saturation.reasons.length} reason${saturation.reasons.length === 1 ? '' : 's'} below)`
            : `delivered (attempts not made ${percent(saturation.figures['attemptsNotMadeShare'])}, fleet lag p99 max ${seconds(saturation.figures['fleetLagP99MaxSeconds'])})`,
    },
    ...directoryFigures(run),
    ...inboxLoopFigures(run),
    ...coldCacheFigures(run),
  ];
}

const lowDraw = (predicted: LoadPrediction | null): string =>
  predicted?.lowDraw === undefined ? '' : ` (${times(predicted.lowDraw.peakLoad)} if only ${predicted.lowDraw.lostSupernodes} of ${predicted.supernodes} are lost, 1 draw in 20)`;

const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);
const seconds = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${Math.round(value * 1_000)} ms`);
