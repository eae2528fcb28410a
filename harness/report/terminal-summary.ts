import Table from 'cli-table3';
import pc from 'picocolors';
import type { ArchitectureVerdict, CheckOutcome, RunReport, TargetResult } from '../verdict/verdict-types.js';
import { loadFigures, type LoadFigure } from './load-figures.js';
import { runHealthFigures } from './run-health-figures.js';
import { fidelityCells, formatMeasured, interruptionNote, outcomeMark, summaryFigures, type FidelityCells } from './format-values.js';
import { fitWidth, verdictLine, verdictWord } from './verdict-line.js';

export interface TerminalSummaryOptions {
  readonly color: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

/** The widest a verdict line may be: a terminal of 120 columns shows it whole. */
export const VERDICT_LINE_WIDTH = 120;

/**
 * Per architecture, expected vs got in one line each; then both architectures side by side: summary
 * figures, every target with measured value and verdict; then the overall verdict.
 */
export function renderTerminalSummary(report: RunReport, options: TerminalSummaryOptions): string {
  const c = pc.createColors(options.color);
  const runs = report.runs;
  const table = new Table({ style: { head: [], border: [], compact: true }, wordWrap: true });

  const paint = (outcome: CheckOutcome, text: string): string =>
    outcome === 'pass' ? c.green(text) : outcome === 'fail' ? c.red(text) : c.yellow(text);
  const span = (content: string) => ({ content, colSpan: 2 });
  const section = (title: string) => [{ content: c.bold(title), colSpan: 1 + runs.length * 2 }];

  table.push(['', ...runs.map((run) => ({ content: c.bold(c.cyan(run.architecture)), colSpan: 2, hAlign: 'center' as const }))]);
  table.push([c.dim('run outcome'), ...runs.map((run) => span(run.interruptedDuring === undefined ? run.outcome : `${run.outcome}, interrupted during ${run.interruptedDuring}`))]);

  table.push(section('SUMMARY'));
  const figures = runs.map((run) => summaryFigures(run.summary));
  for (const [index, figure] of (figures[0] ?? []).entries()) {
    table.push([figure.label, ...figures.map((all) => span(all[index]?.value ?? '—'))]);
  }

  const fidelity = runs.map((run) => fidelityCells(run.summary));
  const rows = fidelity.reduce((longest, cells) => (cells.length > longest.length ? cells : longest), [] as readonly FidelityCells[]);
  if (rows.length > 0) table.push(section('PUBLISHED FIGURES VS THIS RUN (informational)'));
  for (const [index, row] of rows.entries()) {
    table.push([`${row.quantity}\n${c.dim(`  published ${row.published} (${row.expected})`)}`, ...fidelity.map((all) => span(all[index]?.measured ?? '—'))]);
  }

  table.push(section('OFFERED LOAD (per supernode)'));
  const loads = runs.map(loadFigures);
  // A run whose login has a directory has rows the others lack, at the end: the longest list names them all.
  const loadRows = loads.reduce((longest, figures) => (figures.length > longest.length ? figures : longest), [] as readonly LoadFigure[]);
  for (const [index, figure] of loadRows.entries()) {
    table.push([figure.label, ...loads.map((all) => span(all[index]?.value ?? '—'))]);
  }

  table.push(section('HARNESS READS AND NODE FAILURES'));
  const health = runs.map(runHealthFigures);
  for (const [index, figure] of (health[0] ?? []).entries()) {
    table.push([figure.label, ...health.map((all) => span(all[index]?.value ?? '—'))]);
  }

  table.push(section('TARGETS'));
  table.push([c.dim('target'), ...runs.flatMap(() => [c.dim('wanted'), c.dim('measured')])]);
  for (const name of targetNames(runs)) {
    table.push([name, ...runs.flatMap((run) => targetCells(run.targets.find((t) => t.name === name), paint))]);
  }

  table.push(
    [c.bold('verdict'), ...runs.map((run) => span(paint(run.verdict, `${outcomeMark(run.verdict)} ${verdictWord(run.verdict)}`)))],
  );

  const header = [
    `${c.bold(report.scenario)}  seed ${report.seed}  platform ${report.platform}  ${c.dim(report.generatedAt)}`,
    ...(report.description === '' ? [] : [c.dim(report.description)]),
  ];
  const saturated = runs.flatMap((run) => (run.saturation?.saturated === true ? run.saturation.reasons.map((reason) => c.yellow(`  ${run.architecture}: harness saturated: ${reason}`)) : []));
  const limits = runs.flatMap((run) => (run.load?.limit === undefined || run.load.predicted === null ? [] : [c.dim(`  ${run.architecture}: ${run.load.limit}`)]));
  const interrupted = runs.flatMap((run) => {
    const note = interruptionNote(run);
    return note === undefined ? [] : [c.yellow(`  ${run.architecture}: ${note}`)];
  });
  return [...header, ...verdictLines(runs, paint), table.toString(), ...limits, ...saturated, ...interrupted, overallLine(report, c)].join('\n');
}

function verdictLines(runs: readonly ArchitectureVerdict[], paint: (outcome: CheckOutcome, text: string) => string): string[] {
  const lines = runs.map(verdictLine);
  const archWidth = Math.max(0, ...lines.map((line) => line.architecture.length));
  const expectedWidth = Math.max(0, ...lines.map((line) => line.expected.length));
  return lines.map((line) => {
    const head = `${line.architecture.padEnd(archWidth)}  ${line.expected.padEnd(expectedWidth)}  `;
    return head + paint(line.verdict, fitWidth(line.got, VERDICT_LINE_WIDTH - head.length));
  });
}

function targetNames(runs: readonly ArchitectureVerdict[]): string[] {
  const names: string[] = [];
  for (const run of runs) {
    for (const target of run.targets) {
      if (!names.includes(target.name)) names.push(target.name);
    }
  }
  return names;
}

function targetCells(target: TargetResult | undefined, paint: (outcome: CheckOutcome, text: string) => string): string[] {
  if (target === undefined) return ['', ''];
  return [target.target, paint(target.outcome, `${outcomeMark(target.outcome)} ${formatMeasured(target.measured)}`)];
}

function overallLine(report: RunReport, c: Colors): string {
  const failed = report.runs.filter((run) => run.verdict !== 'pass').map((run) => `${run.architecture} (${run.verdict})`);
  if (report.runs.length === 0) return c.yellow('no architecture ran');
  return failed.length === 0
    ? c.green(`✔ every expectation holds (${report.runs.length} architecture${report.runs.length === 1 ? '' : 's'})`)
    : c.red(`✘ expectation not met: ${failed.join(', ')}`);
}
