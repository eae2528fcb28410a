import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runControlsStep } from '../../../harness/commands/controls-step.js';
import { CONTROLS_SIDE_BY_SIDE, controlRunDir, runControls } from '../../../harness/controls/run-controls.js';
import { ExitCode } from '../../../harness/errors.js';
import type { RunScenarioOptions, RunScenarioResult } from '../../../harness/runner/run-scenario.js';
import type { ArchitectureVerdict } from '../../../harness/verdict/verdict-types.js';
import { prepared, target, verdict } from './control-fixtures.js';

const caughtVerdict = verdict([target('recovery time', null, 'fail'), target('availability floor', 0.4, 'fail')]);

interface FakeRun {
  readonly calls: RunScenarioOptions[];
  maxActive: number;
  readonly run: (options: RunScenarioOptions) => Promise<RunScenarioResult>;
}

/** A runScenario that takes a few milliseconds, counts how many run at once, and reports the given verdict. */
function fakeRun(options: { readonly verdictOf?: (call: RunScenarioOptions) => ArchitectureVerdict | undefined; readonly onCall?: (index: number) => void } = {}): FakeRun {
  let active = 0;
  const fake: FakeRun = {
    calls: [],
    maxActive: 0,
    run: async (call) => {
      fake.calls.push(call);
      options.onCall?.(fake.calls.length - 1);
      active += 1;
      fake.maxActive = Math.max(fake.maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active -= 1;
      const judged = options.verdictOf === undefined ? caughtVerdict : options.verdictOf(call);
      const file = (name: string): string => join(call.outDir, name);
      return {
        report: { scenario: call.scenario.name, description: '', seed: call.seed, platform: 'local', generatedAt: '2024-12-22T10:00:00.000Z', runs: judged === undefined ? [] : [judged] },
        exitCode: ExitCode.targetMissed,
        files: { json: file('report.json'), junit: file('junit.xml'), html: file('report.html') },
        histories: {},
      };
    },
  };
  return fake;
}

const three = [prepared({ name: 'pinned' }), prepared({ name: 'drops', mustBreak: ['maxMessagesLost'] }), prepared({ name: 'no-promotion', architecture: 'p2p' })];
const base = (signal = new AbortController().signal) => ({ platform: 'local' as const, signal, baseSeed: 2010, outDir: 'out' });

describe('runControls', () => {
  it('runs every control K times on the real runs seeds, each on its one architecture into its own directory', async () => {
    const fake = fakeRun();
    const result = await runControls({ ...base(), controls: three, count: 2, run: fake.run });
    expect(result.seeds).toEqual([2010, 1101061811]);
    const byControl = (name: string) => fake.calls.filter((call) => call.scenario.name === `fixture--control-${name}`);
    expect(byControl('pinned').map((call) => [call.seed, call.outDir, call.architectures])).toEqual([
      [2010, join('out', 'controls', 'pinned', 'run-0-seed-2010'), ['dedicated']],
      [1101061811, join('out', 'controls', 'pinned', 'run-1-seed-1101061811'), ['dedicated']],
    ]);
    expect(byControl('no-promotion').map((call) => call.architectures)).toEqual([['p2p'], ['p2p']]);
    expect(fake.calls).toHaveLength(6);
    expect(fake.calls.every((call) => call.junitFile === undefined && call.progress === undefined)).toBe(true);
    expect(result.controls.map((entry) => [entry.prepared.control.name, entry.runs.map((run) => run.dir)])).toEqual([
      ['pinned', ['controls/pinned/run-0-seed-2010', 'controls/pinned/run-1-seed-1101061811']],
      ['drops', ['controls/drops/run-0-seed-2010', 'controls/drops/run-1-seed-1101061811']],
      ['no-promotion', ['controls/no-promotion/run-0-seed-2010', 'controls/no-promotion/run-1-seed-1101061811']],
    ]);
    expect(result.interrupted).toBe(false);
    expect(result.error).toBeUndefined();
    expect(controlRunDir('pinned', 3, 7)).toBe('controls/pinned/run-3-seed-7');
  });

  it('runs two controls side by side at most, and one at a time when asked', async () => {
    const sideBySide = fakeRun();
    await runControls({ ...base(), controls: three, count: 2, run: sideBySide.run });
    expect(CONTROLS_SIDE_BY_SIDE).toBe(2);
    expect(sideBySide.maxActive).toBe(2);
    const oneByOne = fakeRun();
    await runControls({ ...base(), controls: three, count: 2, run: oneByOne.run, sideBySide: 1 });
    expect(oneByOne.maxActive).toBe(1);
    const asked = fakeRun();
    await runControls({ ...base(), controls: three, count: 1, run: asked.run, sideBySide: 8 });
    expect(asked.maxActive).toBe(2);
  });

  it('keeps the verdict of the control architecture, and none when the run left none', async () => {
    const fake = fakeRun({ verdictOf: (call) => (call.seed === 2010 ? caughtVerdict : undefined) });
    const result = await runControls({ ...base(), controls: three.slice(0, 1), count: 2, run: fake.run });
    expect(result.controls[0]!.runs.map((run) => run.verdict)).toEqual([caughtVerdict, undefined]);
  });

  it('starts no run after an interrupt', async () => {
    const controller = new AbortController();
    const fake = fakeRun({ onCall: (index) => index === 1 && controller.abort() });
    const result = await runControls({ ...base(controller.signal), controls: three, count: 3, run: fake.run });
    expect(fake.calls).toHaveLength(2);
    expect(result.interrupted).toBe(true);
    expect(result.controls.map((entry) => entry.runs.length)).toEqual([1, 1, 0]);
  });

  it('starts no run after one throws, and keeps the runs before it', async () => {
    const boom = new Error('no engine');
    const fake = fakeRun({
      onCall: (index) => {
        if (index === 2) throw boom;
      },
    });
    const result = await runControls({ ...base(), controls: three, count: 2, run: fake.run, sideBySide: 1 });
    expect(fake.calls).toHaveLength(3);
    expect(result.error).toBe(boom);
    expect(result.controls.map((entry) => entry.runs.length)).toEqual([2, 0, 0]);
  });

  it('starts no run on a platform the last run left unfit, and says why', async () => {
    const fake = fakeRun();
    const run = async (options: RunScenarioOptions): Promise<RunScenarioResult> => ({ ...(await fake.run(options)), unfitPlatform: 'Docker engine not answering' });
    const result = await runControls({ ...base(), controls: three, count: 2, run, sideBySide: 1 });
    expect(fake.calls).toHaveLength(1);
    expect(result.error).toMatchObject({ code: 'ENGINE_NOT_ANSWERING' });
  });

  it('accepts 1..100 runs per control only', async () => {
    await expect(runControls({ ...base(), controls: three, count: 0, run: fakeRun().run })).rejects.toThrow(RangeError);
    await expect(runControls({ ...base(), controls: three, count: 101, run: fakeRun().run })).rejects.toThrow(RangeError);
  });
});

describe('runControlsStep', () => {
  const plan = { prepared: three.slice(0, 2), skipped: [{ name: 'no-promotion', architecture: 'p2p' as const, reason: 'p2p not selected with --arch' }] };
  const step = (fake: FakeRun, extra: { readonly unfitPlatform?: string; readonly signal?: AbortSignal } = {}) => {
    const said: string[] = [];
    const owners = new Set<never>();
    const done = runControlsStep({ ...base(extra.signal), plan, owners, count: 1, oneAtATime: false, say: (line) => said.push(line), run: fake.run, ...(extra.unfitPlatform === undefined ? {} : { unfitPlatform: extra.unfitPlatform }) });
    return { said, done };
  };

  it('judges each control, says each run, and gives the exit code of the worst', async () => {
    const fake = fakeRun({ verdictOf: (call) => (call.scenario.name.endsWith('drops') ? verdict([target('messages lost', 0, 'pass')]) : caughtVerdict) });
    const { said, done } = step(fake);
    const result = await done;
    expect(result.section.controls.map((control) => [control.name, control.outcome, control.caught])).toEqual([
      ['pinned', 'caught', 1],
      ['drops', 'missed', 0],
    ]);
    expect(result.section.skipped).toEqual(plan.skipped);
    expect(result.exitCode).toBe(ExitCode.targetMissed);
    expect(said).toContain(`control pinned (dedicated) run 1/1 seed 2010: ${join('out', 'controls', 'pinned', 'run-0-seed-2010')}`);
    expect(said).toContain('control drops run 1/1 seed 2010: missed (held messages lost 0 (wanted fixture))');
  });

  it('exits 0 when every control is caught, 3 when one could not be judged', async () => {
    const everyTargetBroken = verdict([target('recovery time', null, 'fail'), target('availability floor', 0.4, 'fail'), target('messages lost', 3, 'fail')]);
    expect((await step(fakeRun({ verdictOf: () => everyTargetBroken })).done).exitCode).toBe(ExitCode.ok);
    const saturated = fakeRun({ verdictOf: () => verdict([target('recovery time', null, 'fail')], { saturated: true }) });
    expect((await step(saturated).done).exitCode).toBe(ExitCode.infrastructure);
  });

  it('runs nothing on a platform the real runs left unfit: every control unknown', async () => {
    const fake = fakeRun();
    const { said, done } = step(fake, { unfitPlatform: 'Docker engine not answering' });
    const result = await done;
    expect(fake.calls).toHaveLength(0);
    expect(said).toEqual(['negative controls not run: Docker engine not answering']);
    expect(result.section.stoppedEarly).toBe(true);
    expect(result.section.controls.map((control) => control.outcome)).toEqual(['unknown', 'unknown']);
    expect(result.exitCode).toBe(ExitCode.infrastructure);
  });
});
