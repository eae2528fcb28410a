import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ChaosError, errorMessage } from '../errors.js';
import type { RunReport } from '../verdict/verdict-types.js';
import { loadHtmlAssets, writeHtmlReport, type Histories, type HtmlAssets } from './html-report.js';
import { writeJsonReport } from './json-report.js';
import { writeJunitReport } from './junit-report.js';

export interface WriteReportsOptions {
  /** Where the JUnit XML goes (`--junit FILE`); `<outDir>/junit.xml` when absent. */
  readonly junitFile?: string;
  readonly assets?: HtmlAssets;
}

export interface WrittenReports {
  readonly json: string;
  readonly junit: string;
  readonly html: string;
}

/** Writes report.json, junit.xml and report.html; returns their absolute paths. */
export async function writeReports(
  outDir: string,
  report: RunReport,
  histories: Histories,
  options: WriteReportsOptions = {},
): Promise<WrittenReports> {
  const dir = resolve(outDir);
  const junit = resolve(options.junitFile ?? join(dir, 'junit.xml'));
  await makeDir(dir, '--out');
  await makeDir(dirname(junit), '--junit');
  const assets = options.assets ?? (await loadHtmlAssets());
  const [json, junitPath, html] = await Promise.all([
    guard(writeJsonReport(join(dir, 'report.json'), report), dir, '--out'),
    guard(writeJunitReport(junit, report), dirname(junit), '--junit'),
    guard(writeHtmlReport(join(dir, 'report.html'), report, histories, assets), dir, '--out'),
  ]);
  return { json, junit: junitPath, html };
}

/** `reports/<scenario>-<UTC timestamp>` with only characters every filesystem accepts. */
export function defaultReportDir(scenario: string, now: Date, base = 'reports'): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[:]/g, '-');
  const name = scenario.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'scenario';
  return join(base, `${name}-${stamp}`);
}

async function makeDir(dir: string, flag: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw unwritable(dir, flag, error);
  }
}

async function guard(write: Promise<string>, dir: string, flag: string): Promise<string> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ChaosError) throw error;
    throw unwritable(dir, flag, error);
  }
}

function unwritable(dir: string, flag: string, error: unknown): ChaosError {
  return new ChaosError('INVALID_CONFIG', `cannot write reports to ${dir}: ${errorMessage(error)}`, {
    hint: `pass a writable directory with ${flag}`,
    cause: error,
  });
}
