import type { ImageNames } from '../config/images.js';
import { ExitCode } from '../errors.js';
import { planSetup, type SetupOptions } from './plan.js';
import { probeMachine } from './probes.js';
import { executeStep, lazyDocker, type StepOutcome, type StepStatus } from './steps.js';

const statusWord: Record<StepStatus, string> = {
  ok: 'ok',
  did: 'did',
  skip: 'skip',
  problem: 'problem',
  failed: 'FAILED',
};

/** One line per step: `ok      subject: text`, with the fix after a problem. */
export function formatOutcome(outcome: StepOutcome): string {
  const fix = outcome.fix === undefined ? '' : `; fix: ${outcome.fix}`;
  const details = (outcome.details ?? []).map((line) => `\n          ${line}`).join('');
  return `${statusWord[outcome.status].padEnd(8)}${outcome.subject}: ${outcome.text}${fix}${details}`;
}

export function setupExitCode(outcomes: readonly StepOutcome[]): number {
  const stuck = outcomes.some((o) => o.status === 'failed' || (o.status === 'problem' && o.blocking));
  return stuck ? ExitCode.infrastructure : ExitCode.ok;
}

export interface ProvisioningIo {
  readonly out: (line: string) => void;
  readonly progress: (line: string) => void;
}

/** Probes the machine, plans, and carries the plan out step by step; returns the exit code. */
export async function runProvisioning(
  names: ImageNames,
  options: SetupOptions & { readonly pullTimeoutMs?: number },
  io: ProvisioningIo,
): Promise<{ exitCode: number; outcomes: StepOutcome[] }> {
  const probes = await probeMachine(names);
  const plan = planSetup(probes, names, options);
  const docker = lazyDocker();
  const outcomes: StepOutcome[] = [];
  for (const step of plan.steps) {
    const outcome = await executeStep(step, { names, probes, pullTimeoutMs: options.pullTimeoutMs ?? 30_000, progress: io.progress }, docker);
    outcomes.push(outcome);
    io.out(formatOutcome(outcome));
  }
  const exitCode = setupExitCode(outcomes);
  const count = (status: StepStatus): number => outcomes.filter((o) => o.status === status).length;
  const what = options.scope === 'all' ? 'setup' : 'images';
  io.out(
    exitCode === ExitCode.ok
      ? `${what}: ready (${count('ok')} ok, ${count('did')} done, ${count('problem') + count('skip')} to note)`
      : `${what}: incomplete (${count('failed')} failed, ${count('problem')} problems); fix the lines above and rerun`,
  );
  return { exitCode, outcomes };
}
