import type { Command } from 'commander';
import { ChaosError, errorMessage } from '../errors.js';
import type { HistoryEvent } from '../observe/history-types.js';
import { readRunHistories, type RunHistory } from '../observe/run-histories.js';
import { renderTerminalSummary } from '../report/terminal-summary.js';
import { serializeRunReport } from '../report/json-report.js';
import { writeReports } from '../report/write-reports.js';
import { buildRunReport, exitCodeOf } from '../verdict/run-report.js';
import type { ArchitectureVerdict, RunReport } from '../verdict/verdict-types.js';
import type { Architecture } from '../scenario/types.js';
import { checkWritableDir, checkWritableFile } from './run-preflight.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('re-judge a run from its histories and render its reports again (no network needed)')
    .argument('<dir>', 'a report directory holding history-<architecture>.jsonl files')
    .option('--out <dir>', 'write the reports here instead of <dir>')
    .option('--junit <file>', 'also write the JUnit XML here')
    .option('--json', 'print report.json on stdout')
    .action(async (dir: string, options: { out?: string; junit?: string; json?: boolean }) => {
      const { histories, start } = await readRunHistories(dir);
      const byArchitecture: Partial<Record<Architecture, HistoryEvent[]>> = {};
      for (const history of histories) {
        byArchitecture[history.architecture] = history.events;
        if (history.torn) {
          process.stderr.write(`${history.file}: the last line is torn (the run was killed while writing it); judged from the ${history.events.length} complete events before it, as incomplete; re-run the scenario for a verdict\n`);
        } else if (!history.events.some((event) => event.type === 'run-end')) {
          process.stderr.write(`${history.file}: no run-end (the run was killed before it finished); judged as incomplete; re-run the scenario for a verdict\n`);
        }
      }
      let report: RunReport;
      try {
        report = markTorn(buildRunReport(start.definition, start.platform, histories.map((history) => history.events)), histories);
      } catch (error) {
        if (error instanceof ChaosError) throw error;
        throw new ChaosError('INVALID_CONFIG', `cannot judge the histories in ${dir} (${errorMessage(error)})`, {
          hint: 'the histories were edited or written by another version of the harness; re-run the scenario',
          cause: error,
        });
      }
      await checkWritableDir(options.out ?? dir, '--out');
      if (options.junit !== undefined) await checkWritableFile(options.junit, '--junit');
      const written = await writeReports(options.out ?? dir, report, byArchitecture, options.junit === undefined ? {} : { junitFile: options.junit });
      if (options.json === true) process.stdout.write(serializeRunReport(report));
      else process.stdout.write(`${renderTerminalSummary(report, { color: process.stdout.isTTY === true })}\nreports: ${written.html}\n`);
      process.exitCode = exitCodeOf(report, false);
    });
}

/** A history with a torn last line belongs to a run that was killed: incomplete, whatever its complete lines say. */
function markTorn(report: RunReport, histories: readonly RunHistory[]): RunReport {
  const torn = new Set(histories.filter((history) => history.torn).map((history) => history.architecture));
  if (torn.size === 0) return report;
  return { ...report, runs: report.runs.map((run) => (torn.has(run.architecture) ? incomplete(run) : run)) };
}

function incomplete(run: ArchitectureVerdict): ArchitectureVerdict {
  return {
    ...run,
    verdict: 'unknown',
    targets: [
      ...run.targets.map((target) => (target.outcome === 'unknown' ? target : { ...target, outcome: 'unknown' as const, pass: false, detail: `torn history: ${target.outcome} so far${target.detail === undefined ? '' : `; ${target.detail}`}` })),
      {
        name: 'history complete',
        target: 'every line whole',
        measured: 'last line torn',
        outcome: 'unknown',
        pass: false,
        detail: 'the harness was killed while writing the history; the run is judged from the lines before it',
      },
    ],
  };
}
