import type { FidelityUnit } from '../scenario/types.js';
import type { ArchitectureVerdict, CheckOutcome, RunSummary } from '../verdict/verdict-types.js';

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

/** What every report says of a run interrupted in its rollback or teardown; undefined for any other run. */
export function interruptionNote(run: Pick<ArchitectureVerdict, 'outcome' | 'interruptedDuring'>): string | undefined {
  if (run.interruptedDuring === undefined) return undefined;
  const why = run.outcome === 'completed' ? 'the timeline completed' : `the run had already ended (${run.outcome})`;
  return `interrupted during ${run.interruptedDuring}; verdict stands: ${why}`;
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

const count = (value: number | null): string => (value === null ? '—' : String(value));

const yesNo = (value: boolean | null): string => (value === null ? '—' : value ? 'yes' : 'no');

function clientsValue(clients: number | null): string {
  if (clients === null) return '—';
  return Number.isInteger(clients) ? String(clients) : clients.toFixed(1);
}

function supernodesLostValue(summary: RunSummary): string {
  const base = summary.supernodesAtSteadyState;
  const ever = summary.supernodesEverInNetwork;
  const population = base === null ? ever : Math.max(base, ever ?? base);
  const share = (lost: number | null, of: number | null): string => (lost !== null && of !== null && of > 0 ? ` (${formatPercent(lost / of, 0)})` : '');
  const added = base !== null && population !== null && population > base ? ` + ${population - base} added` : '';
  const direct = summary.supernodesLostDirect;
  const total = summary.supernodesLostTotal;
  return `${count(direct)}${share(direct, base)} / ${count(total)}${share(total, population)} of ${count(base)}${added}`;
}

function recoveryValue(summary: RunSummary): string {
  if (summary.recovered === false) return 'never';
  if (summary.recovered === null || summary.recoverySeconds === null) return '—';
  return `${summary.recoverySeconds.toFixed(1)} s (${summary.recoveryScenarioHours === null ? '—' : summary.recoveryScenarioHours.toFixed(1)} h)`;
}

/** The run summary as labelled figures, in the order every report shows them; `—` where nothing could be measured. */
export function summaryFigures(summary: RunSummary): readonly SummaryFigure[] {
  return [
    { label: 'steady online clients', value: clientsValue(summary.steadyOnlineClients) },
    { label: 'min online (% of steady)', value: formatPercent(summary.minOnlineFraction) },
    { label: 'supernodes lost direct / total', value: supernodesLostValue(summary) },
    { label: 'cascade amplification', value: summary.cascadeAmplification === null ? '—' : `${formatMeasured(summary.cascadeAmplification)}×` },
    { label: 'recovery', value: recoveryValue(summary) },
    { label: 'messages lost', value: count(summary.messagesLost) },
    { label: 'lookup success after recovery', value: formatPercent(summary.lookupSuccessAfterRecovery) },
    { label: 'cascade continued after heal', value: yesNo(summary.cascadeContinuedAfterHeal) },
  ];
}

/** A figure in its fidelity unit: `30%`, `12.5 h`, `3×`; `—` when nothing was measured. */
export function formatFidelityValue(value: number | null, unit: FidelityUnit): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (unit === 'share') return `${Number((value * 100).toFixed(1))}%`;
  if (unit === 'hours') return `${value.toFixed(1)} h`;
  return `${formatMeasured(value)}×`;
}

export interface FidelityCells {
  readonly quantity: string;
  readonly published: string;
  /** The published number in the scenario's scale. */
  readonly expected: string;
  readonly measured: string;
}

/** The scenario's post-mortem figures beside the run's (informational, not targets); none when it states none. */
export function fidelityCells(summary: RunSummary): readonly FidelityCells[] {
  return summary.fidelity.map((figure) => ({
    quantity: figure.quantity,
    published: figure.published,
    expected: formatFidelityValue(figure.expected, figure.unit),
    measured: formatFidelityValue(figure.measured, figure.unit),
  }));
}
