import { writeFile } from 'node:fs/promises';
import { orderedControls } from './controls-json.js';
import type { ArchitectureVerdict, RunReport, RunSummary, TargetResult } from '../verdict/verdict-types.js';

/**
 * `report.json`: the RunReport with its keys in the order the type declares them, so two
 * runs diff line by line; fields outside the contract are dropped.
 */
export function serializeRunReport(report: RunReport): string {
  return `${JSON.stringify(orderedReport(report), null, 2)}\n`;
}

export async function writeJsonReport(file: string, report: RunReport): Promise<string> {
  await writeFile(file, serializeRunReport(report), 'utf8');
  return file;
}

function orderedReport(report: RunReport): RunReport {
  return {
    scenario: report.scenario,
    description: report.description,
    seed: report.seed,
    platform: report.platform,
    generatedAt: report.generatedAt,
    runs: report.runs.map(orderedRun),
    ...(report.controls === undefined ? {} : { controls: orderedControls(report.controls) }),
  };
}

function orderedRun(run: ArchitectureVerdict): ArchitectureVerdict {
  return {
    architecture: run.architecture,
    expectation: run.expectation,
    verdict: run.verdict,
    outcome: run.outcome,
    ...(run.interruptedDuring === undefined ? {} : { interruptedDuring: run.interruptedDuring }),
    summary: orderedSummary(run.summary),
    targets: run.targets.map(orderedTarget),
    ...(run.saturation === undefined ? {} : { saturation: run.saturation }),
    ...(run.load === undefined ? {} : { load: run.load }),
    ...(run.unreadFleetSamples === undefined ? {} : { unreadFleetSamples: run.unreadFleetSamples }),
    ...(run.nodesFailed === undefined ? {} : { nodesFailed: run.nodesFailed }),
    ...(run.placement === undefined ? {} : { placement: run.placement }),
  };
}

function orderedSummary(summary: RunSummary): RunSummary {
  return {
    steadyOnlineClients: summary.steadyOnlineClients,
    minOnlineFraction: summary.minOnlineFraction,
    supernodesLostDirect: summary.supernodesLostDirect,
    supernodesLostTotal: summary.supernodesLostTotal,
    supernodesAtSteadyState: summary.supernodesAtSteadyState,
    supernodesEverInNetwork: summary.supernodesEverInNetwork,
    cascadeAmplification: summary.cascadeAmplification,
    recovered: summary.recovered,
    recoverySeconds: summary.recoverySeconds,
    recoveryScenarioHours: summary.recoveryScenarioHours,
    messagesLost: summary.messagesLost,
    lookupSuccessAfterRecovery: summary.lookupSuccessAfterRecovery,
    cascadeContinuedAfterHeal: summary.cascadeContinuedAfterHeal,
    fidelity: summary.fidelity.map((figure) => ({ quantity: figure.quantity, published: figure.published, expected: figure.expected, measured: figure.measured, unit: figure.unit })),
  };
}

function orderedTarget(target: TargetResult): TargetResult {
  return {
    name: target.name,
    target: target.target,
    measured: target.measured,
    outcome: target.outcome,
    pass: target.pass,
    ...(target.detail === undefined ? {} : { detail: target.detail }),
  };
}
