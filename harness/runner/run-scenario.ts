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
  /**
   * true: the architectures one after the other (each then has the machine to itself); false: side by
   * side; absent or undefined: as the scenario says (`oneAtATime`).
   */
  readonly oneAtATime?: boolean | undefined;
  /** Every live owner, so a second Ctrl-C can release resources at once. */
  readonly owners?: Set<ResourceOwner>;
}

export interface RunScenarioResult {
  readonly report: RunReport;
  readonly exitCode: ExitCode;
  readonly files: { readonly json: string; readonly junit: string; readonly html: string };
  readonly histories: Readonly<Partial<Record<Architecture, readonly HistoryEvent[]>>>;
  /** Why no further run may start on this platform (the engine stopped answering, or a teardown left something). */
  readonly unfitPlatform?: string;
}

/**
 * One network after the other: as asked (true for `--one-at-a-time`, false for `--side-by-side`), else
 * as the scenario itself says (`oneAtATime`), else side by side.
 */
export function runsOneAtATime(asked: boolean | undefined, scenario: Pick<ScenarioDefinition, 'oneAtATime'>): boolean {
  return asked ?? scenario.oneAtATime === true;
}

/**
 * Runs a scenario against its architectures, side by side unless `oneAtATime`, judges the histories
 * and writes the reports.
 */
export async function runScenario(options: RunScenarioOptions): Promise<RunScenarioResult> {
  await mkdir(options.outDir, { recursive: true });
  const histories: Partial<Record<Architecture, readonly HistoryEvent[]>> = {};
  let platform: string = options.platform;
  let unfitPlatform: string | undefined;
  const runOne = async (architecture: Architecture): Promise<void> => {
    if (options.signal.aborted || unfitPlatform !== undefined) return;
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
      unfitPlatform ??= result.unfitPlatform;
    } finally {
      options.owners?.delete(owner);
    }
  };
  if (runsOneAtATime(options.oneAtATime, options.scenario)) {
    for (const architecture of options.architectures) await runOne(architecture);
  } else {
    // Every run is started before any failure is rethrown, and all of them end before it is.
    const settled = await Promise.allSettled(options.architectures.map(runOne));
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
  const inOrder = options.architectures.flatMap((architecture) => (histories[architecture] === undefined ? [] : [histories[architecture]]));
  const report = buildRunReport(options.scenario, platform, inOrder);
  const files = await writeReports(options.outDir, report, histories, options.junitFile === undefined ? {} : { junitFile: options.junitFile });
  return { report, exitCode: exitCodeOf(report, options.signal.aborted), files, histories, ...(unfitPlatform === undefined ? {} : { unfitPlatform }) };
}
