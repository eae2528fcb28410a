import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ChaosError } from '../errors.js';
import type { HistoryEvent } from '../observe/history-types.js';
import { readHistory } from '../observe/history-writer.js';
import { renderTerminalSummary } from '../report/terminal-summary.js';
import { writeReports } from '../report/write-reports.js';
import { buildRunReport } from '../verdict/run-report.js';
import type { Architecture } from '../scenario/types.js';
import { exitCodeOf } from '../runner/run-scenario.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('re-judge a run from its histories and render its reports again (no network needed)')
    .argument('<dir>', 'a report directory holding history-<architecture>.jsonl files')
    .option('--out <dir>', 'write the reports here instead of <dir>')
    .option('--junit <file>', 'also write the JUnit XML here')
    .option('--json', 'print report.json on stdout')
    .action(async (dir: string, options: { out?: string; junit?: string; json?: boolean }) => {
      const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => /^history-(p2p|dedicated)\.jsonl$/.test(file)).sort();
      if (files.length === 0) {
        throw new ChaosError('INVALID_CONFIG', `no history-<architecture>.jsonl in ${dir}`, {
          hint: 'give the report directory a `chaos run` wrote (see its --out)',
        });
      }
      const histories: Partial<Record<Architecture, HistoryEvent[]>> = {};
      for (const file of files) {
        const architecture = file.replace(/^history-|\.jsonl$/g, '') as Architecture;
        histories[architecture] = await readHistory(join(dir, file));
      }
      const start = Object.values(histories)
        .flatMap((events) => events)
        .find((event): event is Extract<HistoryEvent, { type: 'run-start' }> => event.type === 'run-start');
      if (start === undefined) {
        throw new ChaosError('INVALID_CONFIG', `the histories in ${dir} have no run-start event`, { hint: 'the run was cut off before it began; run it again' });
      }
      const report = buildRunReport(start.definition, start.platform, Object.values(histories));
      const written = await writeReports(options.out ?? dir, report, histories, options.junit === undefined ? {} : { junitFile: options.junit });
      if (options.json === true) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(`${renderTerminalSummary(report, { color: process.stdout.isTTY === true })}\nreports: ${written.html}\n`);
      process.exitCode = exitCodeOf(report, false);
    });
}
