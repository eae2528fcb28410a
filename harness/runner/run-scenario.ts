import { mkdir } from 'node:fs/promises';
import type { ExitCode } from '../errors.js';
import { ResourceOwner } from '../lifecycle/owner.js';
import type { HistoryEvent } from '../observe/history-types.js';
import type { PlatformKind } from '../platform/platform.js';
import { realClock, type Clock } from '../engine/clock.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import { buildRunReport, exitCodeOf } from '../verdict/run-report.js';
import type { RunReport } from '../verdict/verdict-types.js';
import { writeReports } from '../report/write-reports.js';
import { runArchitecture } from './run-session.js';
import type { ProgressSink } from './run-session-types.js';

export interface RunScenarioOptions {
  readonly scenario: ScenarioDefinition;
  readonly architectures: readonly Architecture[];
  readonly platform: PlatformKind | 'auto';
  readonly seed: number;
  readonly outDir: string;
  readonly junitFile?: string;
  readonly signal: AbortSignal;
  readonly progress?: ProgressSink;
  readonly clock?: Clock;
  /** Every live owner, so a second Ctrl-C can release resources at once. */
  readonly owners?: Set<ResourceOwner>;
}

export interface RunScenarioResult {
  readonly report: RunReport;
  readonly exitCode: ExitCode;
  readonly files: { readonly json: string; readonly junit: string; readonly html: string };
  readonly histories: Readonly<Partial<Record<Architecture, readonly HistoryEvent[]>>>;
}

/** Runs a scenario against each architecture in turn, judges the histories and writes the reports. */
export async function runScenario(options: RunScenarioOptions): Promise<RunScenarioResult> {
  await mkdir(options.outDir, { recursive: true });
  const histories: Partial<Record<Architecture, readonly HistoryEvent[]>> = {};
  let platform: string = options.platform;
  for (const architecture of options.architectures) {
    if (options.signal.aborted) break;
    const owner = new ResourceOwner();
    options.owners?.add(owner);
    try {
      const result = await runArchitecture({
        scenario: options.scenario,
        architecture,
        platform: options.platform,
        seed: options.seed,
        outDir: options.outDir,
        clock: options.clock ?? realClock,
        signal: options.signal,
        owner,
        ...(options.progress === undefined ? {} : { progress: options.progress }),
      });
      histories[architecture] = result.events;
      platform = result.platform;
    } finally {
      options.owners?.delete(owner);
    }
  }
  const report = buildRunReport(options.scenario, platform, Object.values(histories));
  const files = await writeReports(options.outDir, report, histories, options.junitFile === undefined ? {} : { junitFile: options.junitFile });
  return { report, exitCode: exitCodeOf(report, options.signal.aborted), files, histories };
}
