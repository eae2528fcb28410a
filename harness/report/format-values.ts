import type { CheckOutcome, RunSummary } from '../verdict/verdict-types.js';

/** A measured value as a person reads it: up to three decimals, `—` when nothing was measured. */
export function formatMeasured(value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toFixed(3)));
}

export function formatPercent(fraction: number | null, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function outcomeMark(outcome: CheckOutcome): string {
  if (outcome === 'pass') return '✔';
  if (outcome === 'fail') return '✘';
  return '?';
}

export interface SummaryFigure {
  readonly label: string;
  readonly value: string;
}

/** The run summary as labelled figures, in the order every report shows them. */
export function summaryFigures(summary: RunSummary): readonly SummaryFigure[] {
  const base = summary.supernodesAtSteadyState;
  const population = Math.max(base, summary.supernodesEverInNetwork);
  const share = (lost: number, of: number): string => (of > 0 ? ` (${formatPercent(lost / of, 0)})` : '');
  const added = population > base ? ` + ${population - base} added` : '';
  return [
    {
      label: 'steady online clients',
      value: Number.isInteger(summary.steadyOnlineClients) ? String(summary.steadyOnlineClients) : summary.steadyOnlineClients.toFixed(1),
    },
    { label: 'min online (% of steady)', value: formatPercent(summary.minOnlineFraction) },
    {
      label: 'supernodes lost direct / total',
      value: `${summary.supernodesLostDirect}${share(summary.supernodesLostDirect, base)} / ${summary.supernodesLostTotal}${share(summary.supernodesLostTotal, population)} of ${base}${added}`,
    },
    {
      label: 'cascade amplification',
      value: summary.cascadeAmplification === null ? '—' : `${formatMeasured(summary.cascadeAmplification)}×`,
    },
    {
      label: 'recovery',
      value:
        summary.recoverySeconds === null
          ? 'never'
          : `${summary.recoverySeconds.toFixed(1)} s (${summary.recoveryScenarioHours === null ? '—' : summary.recoveryScenarioHours.toFixed(1)} h)`,
    },
    { label: 'messages lost', value: String(summary.messagesLost) },
    { label: 'lookup success after recovery', value: formatPercent(summary.lookupSuccessAfterRecovery) },
    { label: 'cascade continued after heal', value: summary.cascadeContinuedAfterHeal ? 'yes' : 'no' },
  ];
}
