import Table from 'cli-table3';
import pc from 'picocolors';
import type { ArchitectureRepeat, FigureStats, PassTally, RepeatDocument } from '../verdict/repeat-summary.js';
import { formatMeasured, outcomeMark } from './format-values.js';
import { formatInterval, formatRate, leftOut, repeatOutcome, repeatOutcomeText, runVerdictText, type RepeatOutcome } from './repeat-format.js';

type Colors = ReturnType<typeof pc.createColors>;

/** Figures shown on each run's line (those the runs have); every figure is in the figures table. */
export const KEY_FIGURES = ['summary.minOnlineFraction', 'summary.supernodesLostTotal', 'summary.recoverySeconds', 'summary.messagesLost'] as const;

/** Per architecture: pass rates of the expectation and each target, min/median/max of every figure, then one line per run. */
export function renderRepeatTerminal(document: RepeatDocument, options: { readonly color: boolean }): string {
  const c = pc.createColors(options.color);
  const { repeat } = document;
  const header = `${c.bold(document.scenario)}  repeat ${repeat.count}${repeat.count === repeat.requested ? '' : ` of ${repeat.requested}`}  base seed ${repeat.baseSeed}  platform ${document.platform}  ${c.dim(document.generatedAt)}`;
  const sections = repeat.architectures.map((arch) => [aggregateTable(arch, c), runsTable(arch, c)].join('\n'));
  return [header, ...sections, paint(c, repeatOutcome(document), repeatOutcomeText(document))].join('\n');
}

function paint(c: Colors, outcome: RepeatOutcome, text: string): string {
  return outcome === 'pass' ? c.green(text) : outcome === 'fail' ? c.red(text) : c.yellow(text);
}

function tallyOutcome(tally: PassTally): RepeatOutcome {
  if (tally.fails > 0) return 'fail';
  return tally.passes > 0 && tally.saturated + tally.unknown === 0 ? 'pass' : 'unknown';
}

function aggregateTable(arch: ArchitectureRepeat, c: Colors): string {
  const table = new Table({ style: { head: [], border: [], compact: true }, wordWrap: true });
  const title = `${arch.architecture}  (expectation ${arch.expectation}, ${arch.runs.length} runs)`;
  table.push([{ content: c.bold(c.cyan(title)), colSpan: 5 }]);
  table.push([c.bold('TARGETS'), c.dim('passed'), c.dim('rate'), c.dim('95% CI'), c.dim('left out')]);
  for (const tally of [arch.met, ...arch.targets]) {
    const name = tally === arch.met ? `expectation: ${arch.expectation}` : tally.name;
    const outcome = tallyOutcome(tally);
    table.push([
      name,
      paint(c, outcome, `${outcomeMark(outcome)} ${tally.passes}/${tally.runs}`),
      formatRate(tally),
      tally.runs === 0 ? '—' : formatInterval(tally.wilson95),
      leftOut(tally).join(', '),
    ]);
  }
  table.push([c.bold('FIGURES'), c.dim('min'), c.dim('median'), c.dim('max'), c.dim('left out')]);
  for (const figure of arch.figures) {
    table.push([figure.name, formatMeasured(figure.min), formatMeasured(figure.median), formatMeasured(figure.max), figureLeftOut(figure)]);
  }
  return table.toString();
}

function figureLeftOut(figure: FigureStats): string {
  return [...(figure.nulls > 0 ? [`${figure.nulls} null`] : []), ...(figure.saturated > 0 ? [`${figure.saturated} saturated`] : [])].join(', ');
}

function runsTable(arch: ArchitectureRepeat, c: Colors): string {
  const keys = KEY_FIGURES.map((name) => arch.figures.find((figure) => figure.name === name)).filter((f): f is FigureStats => f !== undefined);
  const table = new Table({
    head: ['#', 'seed', 'verdict', ...keys.map((figure) => figure.name.replace(/^summary\./, '')), 'dir'],
    style: { head: [], border: [], compact: true },
  });
  for (const [index, run] of arch.runs.entries()) {
    const outcome: RepeatOutcome = run.saturated ? 'unknown' : run.verdict;
    table.push([
      String(index),
      String(run.seed),
      paint(c, outcome, `${outcomeMark(outcome)} ${runVerdictText(run)}`),
      ...keys.map((figure) => formatMeasured(figure.values[index] ?? null)),
      c.dim(run.dir),
    ]);
  }
  return table.toString();
}

/** One line per finished run, for progress while a repeat goes on. */
export function repeatRunLine(index: number, count: number, seed: number, verdicts: readonly string[]): string {
  return `run ${index + 1}/${count} seed ${seed}: ${verdicts.join(', ') || 'no architecture ran'}`;
}
