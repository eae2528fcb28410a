import Table from 'cli-table3';
import pc from 'picocolors';
import type { ArchitectureRepeat, FigureStats, PassTally, RepeatDocument } from '../verdict/repeat-summary.js';
import { formatMeasured, formatPercent, outcomeMark } from './format-values.js';
import { fidelitySpread, formatInterval, formatRate, leftOut, repeatOutcome, repeatOutcomeText, runVerdictText, type RepeatOutcome } from './repeat-format.js';
import { fitWidth } from './verdict-line.js';

type Colors = ReturnType<typeof pc.createColors>;

/** The terminal the summary is drawn for: every line fits. */
export const REPEAT_TERMINAL_WIDTH = 120;

interface KeyFigure {
  readonly label: string;
  /** Its column heading in the runs table, when it has one there. */
  readonly column?: string;
  /** The first of these the runs have is shown. */
  readonly names: readonly string[];
  readonly format: (value: number | null) => string;
}

const share = (value: number | null): string => formatPercent(value);
const plain = (value: number | null): string => formatMeasured(value);
const hours = (value: number | null): string => (value === null ? '—' : `${value.toFixed(1)} h`);
const seconds = (value: number | null): string => (value === null ? '—' : `${value.toFixed(1)} s`);
const times = (value: number | null): string => (value === null ? '—' : `${formatMeasured(value)}×`);

/** The figures a reader decides on; every other figure is in report.json (`repeat.architectures[].figures`). */
export const KEY_FIGURES: readonly KeyFigure[] = [
  { label: 'online low point', column: 'low point', names: ['summary.minOnlineFraction'], format: share },
  { label: 'supernodes lost directly', names: ['summary.supernodesLostDirect'], format: plain },
  { label: 'supernodes lost in all', column: 'lost', names: ['summary.supernodesLostTotal'], format: plain },
  { label: 'cascade amplification', names: ['summary.cascadeAmplification'], format: times },
  { label: 'recovery', column: 'recovery', names: ['summary.recoveryScenarioHours', 'summary.recoverySeconds'], format: plain },
  { label: 'messages lost', column: 'msgs lost', names: ['summary.messagesLost'], format: plain },
  { label: 'peak load / capacity', names: ['load.peakLoad'], format: times },
];

interface Shown {
  readonly label: string;
  readonly column: string | undefined;
  readonly stats: FigureStats;
  readonly format: (value: number | null) => string;
}

/** Per architecture: expected vs got in one line, the pass rates and the key figures, then one line per run. */
export function renderRepeatTerminal(document: RepeatDocument, options: { readonly color: boolean }): string {
  const c = pc.createColors(options.color);
  const { repeat } = document;
  const header = `${c.bold(document.scenario)}  repeat ${repeat.count}${repeat.count === repeat.requested ? '' : ` of ${repeat.requested}`}  base seed ${repeat.baseSeed}  platform ${document.platform}  ${c.dim(document.generatedAt)}`;
  const widths = {
    architecture: Math.max(0, ...repeat.architectures.map((arch) => arch.architecture.length)),
    expectation: Math.max(0, ...repeat.architectures.map((arch) => arch.expectation.length)),
  };
  const lines = repeat.architectures.map((arch) => expectationLine(arch, widths, c));
  const sections = repeat.architectures.map((arch) => {
    const shown = shownFigures(arch);
    return [aggregateTable(arch, shown, c), ...fidelityTable(arch, c), runsTable(arch, shown, c)].join('\n');
  });
  const where = c.dim('every other figure, per run: report.json; each run\'s own reports: run-<#>-seed-<seed>/');
  return [header, ...lines, ...sections, where, paint(c, repeatOutcome(document), repeatOutcomeText(document))].join('\n');
}

function paint(c: Colors, outcome: RepeatOutcome, text: string): string {
  return outcome === 'pass' ? c.green(text) : outcome === 'fail' ? c.red(text) : c.yellow(text);
}

function tallyOutcome(tally: PassTally): RepeatOutcome {
  if (tally.fails > 0) return 'fail';
  return tally.passes > 0 && tally.saturated + tally.unknown === 0 ? 'pass' : 'unknown';
}

function expectationLine(arch: ArchitectureRepeat, widths: { readonly architecture: number; readonly expectation: number }, c: Colors): string {
  const met = arch.met;
  const rate = met.runs === 0 ? 'no judged run' : `${formatRate(met)}, 95% CI ${formatInterval(met.wilson95)}`;
  const missed = met.failingSeeds.length === 0 ? '' : `; missed on seed${met.failingSeeds.length === 1 ? '' : 's'} ${met.failingSeeds.join(', ')}`;
  const got = `got ${outcomeMark(tallyOutcome(met))} met in ${met.passes}/${met.runs} runs (${rate})${leftOut(met).map((part) => `, ${part}`).join('')}${missed}`;
  const head = `${arch.architecture.padEnd(widths.architecture)}  expected ${arch.expectation.padEnd(widths.expectation)}  `;
  return head + paint(c, tallyOutcome(met), fitWidth(got, REPEAT_TERMINAL_WIDTH - head.length));
}

function shownFigures(arch: ArchitectureRepeat): Shown[] {
  return KEY_FIGURES.flatMap((key) => {
    const name = key.names.find((candidate) => arch.figures.some((figure) => figure.name === candidate));
    const stats = arch.figures.find((figure) => figure.name === name);
    if (stats === undefined) return [];
    const unit = name === 'summary.recoveryScenarioHours' ? hours : name === 'summary.recoverySeconds' ? seconds : key.format;
    return [{ label: key.label, column: key.column, stats, format: unit }];
  });
}

const bounded = (widths: number[]) => ({ colWidths: widths, wordWrap: true, style: { head: [], border: [], compact: true } });

function aggregateTable(arch: ArchitectureRepeat, shown: readonly Shown[], c: Colors): string {
  const table = new Table(bounded([44, 10, 8, 14, 30]));
  table.push([c.bold(c.cyan(`${arch.architecture}: targets`)), c.dim('passed'), c.dim('rate'), c.dim('95% CI'), c.dim('left out')]);
  for (const tally of arch.targets) {
    const outcome = tallyOutcome(tally);
    table.push([
      tally.name,
      paint(c, outcome, `${outcomeMark(outcome)} ${tally.passes}/${tally.runs}`),
      formatRate(tally),
      tally.runs === 0 ? '—' : formatInterval(tally.wilson95),
      leftOut(tally).join(', '),
    ]);
  }
  if (shown.length > 0) table.push([c.bold(c.cyan(`${arch.architecture}: figures`)), c.dim('min'), c.dim('median'), c.dim('max'), c.dim('left out')]);
  for (const { label, stats, format } of shown) {
    table.push([label, format(stats.min), format(stats.median), format(stats.max), figureLeftOut(stats)]);
  }
  return table.toString();
}

/** The scenario's post-mortem figures beside the spread the runs measured (informational); none when it states none. */
function fidelityTable(arch: ArchitectureRepeat, c: Colors): string[] {
  if (arch.fidelity.length === 0) return [];
  const table = new Table(bounded([54, 9, 9, 9, 32]));
  table.push([c.bold(c.cyan(`${arch.architecture}: published figures`)), c.dim('min'), c.dim('median'), c.dim('max'), c.dim('left out')]);
  for (const stats of arch.fidelity) {
    const row = fidelitySpread(stats);
    table.push([`${stats.quantity}\n${c.dim(`  published ${stats.published} (${row.expected})`)}`, row.min, row.median, row.max, row.leftOut]);
  }
  return [table.toString()];
}

function figureLeftOut(figure: FigureStats): string {
  return [...(figure.nulls > 0 ? [`${figure.nulls} not measured`] : []), ...(figure.saturated > 0 ? [`${figure.saturated} saturated`] : [])].join(', ');
}

function runsTable(arch: ArchitectureRepeat, shown: readonly Shown[], c: Colors): string {
  const columns = shown.filter((figure) => figure.column !== undefined);
  const table = new Table({ head: ['#', 'seed', 'verdict', ...columns.map((figure) => figure.column ?? '')], ...bounded([5, 12, 28, ...columns.map(() => 12)]) });
  for (const [index, run] of arch.runs.entries()) {
    const outcome: RepeatOutcome = run.saturated ? 'unknown' : run.verdict;
    table.push([
      String(index),
      String(run.seed),
      paint(c, outcome, `${outcomeMark(outcome)} ${runVerdictText(run)}`),
      ...columns.map((figure) => figure.format(figure.stats.values[index] ?? null)),
    ]);
  }
  return table.toString();
}

/** One line per finished run, for progress while a repeat goes on. */
export function repeatRunLine(index: number, count: number, seed: number, verdicts: readonly string[]): string {
  return `run ${index + 1}/${count} seed ${seed}: ${verdicts.join(', ') || 'no architecture ran'}`;
}
