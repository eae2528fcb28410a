import { writeFile } from 'node:fs/promises';
import type { IndexDocument, IndexScenarioEntry } from './index-report-types.js';

/**
 * `index.json` of `chaos run --all`, keys in a fixed order so two runs of the library diff line by line:
 * `{ schemaVersion, command, startedAt, finishedAt, platform, exitCode, verdict, interrupted, scenarios: [{
 * scenario, status, verdict, exitCode, reason?, mode, seed, architectures, controls, wallSeconds, reports }] }`.
 */
export function serializeIndexDocument(document: IndexDocument): string {
  const ordered: IndexDocument = {
    schemaVersion: document.schemaVersion,
    command: document.command,
    startedAt: document.startedAt,
    finishedAt: document.finishedAt,
    platform: document.platform,
    exitCode: document.exitCode,
    verdict: document.verdict,
    interrupted: document.interrupted,
    scenarios: document.scenarios.map(orderedEntry),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export async function writeIndexJson(file: string, document: IndexDocument): Promise<string> {
  await writeFile(file, serializeIndexDocument(document), 'utf8');
  return file;
}

function orderedEntry(entry: IndexScenarioEntry): IndexScenarioEntry {
  return {
    scenario: entry.scenario,
    status: entry.status,
    verdict: entry.verdict,
    exitCode: entry.exitCode,
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    mode: entry.mode,
    seed: entry.seed,
    architectures: entry.architectures.map((arch) => ({ architecture: arch.architecture, expectation: arch.expectation, verdict: arch.verdict, runs: arch.runs, passed: arch.passed })),
    controls: entry.controls === null ? null : { total: entry.controls.total, caught: entry.controls.caught, missed: entry.controls.missed, unknown: entry.controls.unknown, notRun: entry.controls.notRun },
    wallSeconds: entry.wallSeconds === null ? null : Math.round(entry.wallSeconds * 10) / 10,
    reports: entry.reports === null ? null : { html: entry.reports.html, json: entry.reports.json, junit: entry.reports.junit },
  };
}
