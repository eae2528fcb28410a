import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TARGET_CHECK_NAMES } from '../../harness/controls/target-check-names.js';

/**
 * Adds the runs of a `chaos run --repeat` directory to bench/skype-2010-repeat.json as one campaign per
 * architecture (replacing a campaign of the same id), with the machine, date, commit, command and
 * conditions given; `npm run docs` then renders the tables.
 *
 *   tsx test/bench/repeat-to-campaign.ts --dir OUT --id-prefix skype-2010-side-by-side --command "..." \
 *     --conditions "..." --scenario-at-commit "..." [--commit SHA] [--file bench/skype-2010-repeat.json]
 */

interface Summary {
  readonly minOnlineFraction: number | null;
  readonly supernodesLostDirect: number | null;
  readonly supernodesLostTotal: number | null;
  readonly supernodesAtSteadyState: number | null;
  readonly recoveryScenarioHours: number | null;
  readonly messagesLost: number | null;
  readonly lookupSuccessAfterRecovery: number | null;
}

interface ArchitectureReport {
  readonly architecture: string;
  readonly verdict: string;
  readonly summary: Summary;
  readonly targets?: readonly { readonly name: string; readonly measured?: unknown }[];
  readonly saturation?: { readonly figures?: { readonly fleetLagP99MaxSeconds?: number } };
  readonly load?: {
    readonly peakLoad?: number;
    readonly busiestLoad?: number;
    readonly surgeFactor?: number;
    readonly deepestStoreQueue?: number;
    readonly predicted?: { readonly peakLoad?: number; readonly busiest?: { readonly peakLoad?: number } };
  };
}

const round = (value: number | undefined | null, digits = 2): number | null => (value === undefined || value === null ? null : Number(value.toFixed(digits)));

/** The mean online the run's outage signature checked, if it checks one. */
function meanOnlineOf(run: ArchitectureReport): number | null {
  const measured = run.targets?.find((target) => target.name === TARGET_CHECK_NAMES.maxMeanOnline)?.measured;
  return typeof measured === 'number' ? measured : null;
}

function runRow(seed: number, run: ArchitectureReport): Record<string, unknown> {
  const { summary, load } = run;
  return {
    seed,
    verdict: run.verdict,
    supernodesLostDirect: summary.supernodesLostDirect,
    supernodesLostTotal: summary.supernodesLostTotal,
    supernodes: summary.supernodesAtSteadyState,
    onlineLowPoint: round(summary.minOnlineFraction, 3),
    meanOnline: round(meanOnlineOf(run), 3),
    surgePerSupernode: round(load?.surgeFactor, 1),
    deepestStoreQueue: load?.deepestStoreQueue ?? null,
    peakLoad: round(load?.peakLoad),
    peakLoadPredicted: round(load?.predicted?.peakLoad),
    busiestLoad: round(load?.busiestLoad),
    busiestLoadPredicted: round(load?.predicted?.busiest?.peakLoad),
    recoveredAtHours: round(summary.recoveryScenarioHours, 1),
    lookupSuccessAfterRecovery: round(summary.lookupSuccessAfterRecovery, 3),
    messagesLost: summary.messagesLost,
    fleetLoopDelayP99MaxSeconds: round(run.saturation?.figures?.fleetLagP99MaxSeconds, 3),
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      'id-prefix': { type: 'string' },
      command: { type: 'string' },
      conditions: { type: 'string' },
      'scenario-at-commit': { type: 'string' },
      commit: { type: 'string' },
      date: { type: 'string' },
      file: { type: 'string', default: 'bench/skype-2010-repeat.json' },
    },
  });
  const { dir, command, conditions } = values;
  const prefix = values['id-prefix'];
  if (dir === undefined || prefix === undefined || command === undefined || conditions === undefined) {
    throw new Error('--dir, --id-prefix, --command and --conditions are required');
  }
  const runDirs = readdirSync(dir)
    .filter((name) => /^run-\d+-seed-\d+$/.test(name))
    .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]));
  const byArchitecture = new Map<string, Record<string, unknown>[]>();
  let scenario = '';
  let generatedAt = '';
  for (const runDir of runDirs) {
    const report = JSON.parse(readFileSync(join(dir, runDir, 'report.json'), 'utf8')) as { scenario: string; seed: number; generatedAt: string; runs: ArchitectureReport[] };
    scenario = report.scenario;
    generatedAt = report.generatedAt;
    for (const run of report.runs) byArchitecture.set(run.architecture, [...(byArchitecture.get(run.architecture) ?? []), runRow(report.seed, run)]);
  }
  const commit = values.commit ?? execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const data = JSON.parse(readFileSync(values.file, 'utf8')) as { campaigns: Record<string, unknown>[] };
  for (const [architecture, runs] of byArchitecture) {
    const campaign = {
      id: `${prefix}-${architecture}`,
      scenario,
      architecture,
      command,
      machine: { cores: 2, description: "the project's 2-core development machine" },
      date: values.date ?? generatedAt.slice(0, 10),
      commit,
      scenarioAtCommit: values['scenario-at-commit'] ?? '',
      conditions,
      runs,
    };
    const at = data.campaigns.findIndex((existing) => existing['id'] === campaign.id);
    if (at >= 0) data.campaigns[at] = campaign;
    else data.campaigns.push(campaign);
  }
  writeFileSync(values.file, `${JSON.stringify(data, null, 2)}\n`);
  process.stdout.write(`${[...byArchitecture.keys()].map((a) => `${prefix}-${a}`).join(', ')}: ${runDirs.length} runs each\n`);
}

main();
