import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeCli, nothingCanStart } from './invoke-cli.js';
import { loadLibrary, planLibrary, refuseNamesWithAll, type LibraryItem } from '../../../harness/commands/library-plan.js';
import { commandLine, libraryDocument, libraryExitCode, runLibrary, type ScenarioOutcome } from '../../../harness/commands/run-all.js';
import { ChaosError, ExitCode } from '../../../harness/errors.js';
import { notRunEntry } from '../../../harness/report/index-entry.js';
import type { ScenarioDefinition } from '../../../harness/scenario/types.js';
import { control } from '../controls/control-fixtures.js';
import { fixtureReport } from '../report/fixtures.js';
import { planned } from '../report/index-fixtures.js';
import { validScenario } from '../scenario/scenario-fixture.js';

let root: string;
let counter = 0;
const fresh = (prefix: string): string => join(root, `${prefix}-${(counter += 1)}`);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chaos-run-all-'));
  mkdirSync(join(root, 'empty-path'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** An outcome with only an exit code: what the loop reads of a scenario that ran. */
const outcome = (exitCode: ExitCode, extra: Partial<ScenarioOutcome> = {}): ScenarioOutcome => ({
  exitCode,
  results: { kind: 'run', report: fixtureReport() },
  files: { html: join(root, 'x', 'report.html'), json: join(root, 'x', 'report.json'), junit: [join(root, 'x', 'junit.xml')] },
  ...extra,
});

interface LoopResult {
  readonly run: Awaited<ReturnType<typeof runLibrary>>;
  readonly started: string[];
  readonly said: string[];
  readonly warned: string[];
}

/** The library loop over scenarios `a`, `b`, `c`, ... each given what its fake run does. */
async function loop(behaviours: readonly ((controller: AbortController) => Promise<ScenarioOutcome>)[], extra: readonly LibraryItem[] = []): Promise<LoopResult> {
  const controller = new AbortController();
  const names = behaviours.map((_, index) => String.fromCharCode(97 + index));
  const byName = new Map(names.map((name, index) => [name, behaviours[index]!]));
  const started: string[] = [];
  const said: string[] = [];
  const warned: string[] = [];
  const run = await runLibrary({
    items: [...names.map((name) => planned(name, root)), ...extra],
    indexDir: root,
    signal: controller.signal,
    runPlan: (plan) => {
      started.push(plan.scenario.name);
      return byName.get(plan.scenario.name)!(controller);
    },
    say: (line) => said.push(line),
    warn: (line) => warned.push(line),
  });
  return { run, started, said, warned };
}

const exits = (code: ExitCode) => () => Promise.resolve(outcome(code));

describe('the exit code of the library', () => {
  it.each([
    { codes: [0, 0, 0], worst: 0 },
    { codes: [0, 1, 0], worst: 1 },
    { codes: [1, 3, 0], worst: 3 },
    { codes: [3, 1], worst: 3 },
    { codes: [1, 2], worst: 2 },
  ] as const)('is the severest of $codes: $worst', async ({ codes, worst }) => {
    const { run } = await loop(codes.map(exits));
    expect(libraryExitCode(run.entries, run.interrupted)).toBe(worst);
  });

  it('leaves a scenario that did not run out of it', async () => {
    const { run } = await loop([exits(0)], [{ kind: 'skip', scenario: 'narrow', reason: '--arch dedicated: it defines only p2p' }]);
    expect(run.entries.map((entry) => entry.status)).toEqual(['finished', 'not-run']);
    expect(libraryExitCode(run.entries, false)).toBe(0);
    expect(libraryExitCode([notRunEntry('x', 'why')], false)).toBe(0);
  });
});

describe('SIGINT or SIGTERM during --all', () => {
  it('marks the scenario in progress, runs none after it, and exits as it did: 130', async () => {
    const interrupted = (controller: AbortController): Promise<ScenarioOutcome> => {
      controller.abort();
      return Promise.resolve(outcome(ExitCode.interrupted));
    };
    const { run, started, said } = await loop([exits(1), interrupted, exits(0)]);
    expect(started).toEqual(['a', 'b']);
    expect(run.entries.map((entry) => [entry.scenario, entry.status, entry.exitCode])).toEqual([
      ['a', 'finished', 1],
      ['b', 'interrupted', 130],
      ['c', 'not-run', null],
    ]);
    expect(run.entries[2]?.reason).toBe('interrupted before it started');
    expect(said).toHaveLength(3);
    const document = libraryDocument(run, { command: 'chaos run --all', startedAt: new Date(0), finishedAt: new Date(1000), platform: 'local' });
    expect(document).toMatchObject({ exitCode: 130, verdict: 'interrupted', interrupted: true });
  });
});

describe('a scenario that stops with an error', () => {
  it('is entered with the error, says it, and ends the library there', async () => {
    const failing = () => Promise.reject(new ChaosError('NODE_START_FAILED', 'supernode-1 would not start', { hint: 'see its log' }));
    const { run, started, warned } = await loop([exits(1), failing, exits(0)]);
    expect(started).toEqual(['a', 'b']);
    expect(warned).toEqual(['NODE_START_FAILED: supernode-1 would not start; see its log']);
    expect(run.entries.map((entry) => [entry.status, entry.exitCode, entry.reason])).toEqual([
      ['finished', 1, undefined],
      ['error', 3, 'supernode-1 would not start'],
      ['not-run', null, 'b stopped with an error'],
    ]);
    expect(libraryExitCode(run.entries, false)).toBe(3);
  });

  it('keeps the reports it wrote before its error, and counts the error', async () => {
    const after = () => Promise.resolve(outcome(ExitCode.ok, { error: new ChaosError('INVALID_CONFIG', 'cannot write', { hint: 'fix it' }) }));
    const { run } = await loop([after, exits(0)]);
    expect(run.entries[0]).toMatchObject({ status: 'error', exitCode: 2, verdict: 'error', reports: { html: 'x/report.html' } });
    expect(run.entries[1]).toMatchObject({ status: 'not-run' });
  });

  it('stops the library when it leaves the platform unfit', async () => {
    const unfit = () => Promise.resolve(outcome(ExitCode.infrastructure, { unfitPlatform: 'the engine stopped answering' }));
    const { run, started } = await loop([unfit, exits(0)]);
    expect(started).toEqual(['a']);
    expect(run.entries[1]).toMatchObject({ status: 'not-run', reason: 'no further run on this engine: the engine stopped answering' });
  });
});

describe('what --all runs of each scenario', () => {
  const scenario = (name: string, fields: Partial<ScenarioDefinition> = {}): ScenarioDefinition => ({ ...validScenario(), name, ...fields });
  const p2pOnly = (name: string): ScenarioDefinition => {
    const base = validScenario();
    return { ...base, name, architectures: { p2p: base.architectures.p2p! } };
  };
  const choices = { dir: '/tmp/lib', withControls: false, onlyControls: false };

  it('runs every architecture of every scenario into <out>/<scenario>/ by default', () => {
    const items = planLibrary([scenario('one'), p2pOnly('two')], choices);
    expect(items.map((item) => (item.kind === 'run' ? [item.plan.scenario.name, item.plan.architectures, item.plan.outDir] : item))).toEqual([
      ['one', ['p2p', 'dedicated'], '/tmp/lib/one'],
      ['two', ['p2p'], '/tmp/lib/two'],
    ]);
  });

  it('leaves out, with the reason, a scenario --arch leaves nothing of', () => {
    const items = planLibrary([scenario('one'), p2pOnly('two')], { ...choices, arch: ['dedicated'] });
    expect(items[1]).toEqual({ kind: 'skip', scenario: 'two', reason: '--arch dedicated: it defines only p2p' });
  });

  it('refuses a selection that leaves nothing to run', () => {
    expect(() => planLibrary([p2pOnly('two')], { ...choices, arch: ['dedicated'] })).toThrow(/--all leaves no scenario to run/);
  });

  it('with --only-controls, leaves out a scenario with no control to run, and runs the named controls of the others', () => {
    const withControls = scenario('one', { controls: [control({ name: 'pinned' }), control({ name: 'other' })] });
    const items = planLibrary([withControls, scenario('bare')], { ...choices, withControls: true, onlyControls: true, control: ['pinned'] });
    expect(items[0]?.kind === 'run' ? items[0].plan.controls?.prepared.map((prepared) => prepared.control.name) : items[0]).toEqual(['pinned']);
    expect(items[1]).toEqual({ kind: 'skip', scenario: 'bare', reason: 'it declares none of --control pinned' });
  });

  it('refuses a --control no scenario declares (exit 2)', () => {
    const attempt = (): unknown => planLibrary([scenario('one', { controls: [control({ name: 'pinned' })] })], { ...choices, withControls: true, control: ['nope'] });
    expect(attempt).toThrow(/--control nope: no scenario in scenarios\/ declares such a negative control/);
    expect(attempt).toThrow(expect.objectContaining({ exitCode: 2, hint: 'name one of pinned' }));
  });
});

describe('loading the library', () => {
  const library = (files: Record<string, unknown>): string => {
    const dir = fresh('scenarios');
    mkdirSync(dir);
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
    return dir;
  };
  const broken = { ...validScenario(), name: 'broken', seed: -1 };

  it('loads and validates every scenario file', async () => {
    const scenarios = await loadLibrary(library({ 'a.json': { ...validScenario(), name: 'a' }, 'b.json': { ...validScenario(), name: 'b' } }));
    expect(scenarios.map((scenario) => scenario.name)).toEqual(['a', 'b']);
  });

  it('refuses the library for one invalid scenario, with its own problems (exit 2)', async () => {
    const attempt = loadLibrary(library({ 'a.json': { ...validScenario(), name: 'a' }, 'broken.json': broken }));
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_SCENARIO', exitCode: 2 });
  });

  it('names every file that does not load', async () => {
    const dir = library({ 'broken.json': broken, 'torn.json': '{"name": ' });
    const error = await loadLibrary(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).message).toBe(`--all: 2 scenarios of ${dir} do not load: ${join(dir, 'broken.json')}, ${join(dir, 'torn.json')}`);
    expect((error as ChaosError).exitCode).toBe(2);
  });

  it('refuses two files with one scenario name', async () => {
    await expect(loadLibrary(library({ 'a.json': { ...validScenario(), name: 'same' }, 'b.json': { ...validScenario(), name: 'same' } }))).rejects.toThrow(/more than one file .* defines same/);
  });

  it('refuses an empty library', async () => {
    await expect(loadLibrary(library({}))).rejects.toThrow(/--all: no scenario in/);
  });
});

describe('the command line', () => {
  it('quotes what a shell would split', () => {
    expect(commandLine(['run', '--all', '--out', 'my reports', "it's"])).toBe(`chaos run --all --out 'my reports' 'it'\\''s'`);
  });

  it('refuses --all with scenario names', () => {
    expect(() => refuseNamesWithAll(['skype-2010'])).toThrow(/--all runs every scenario in scenarios\/ and takes no scenario names \(got skype-2010\)/);
    expect(() => refuseNamesWithAll([])).not.toThrow();
  });
});

/** `chaos run ...` in-process against a dead Docker socket and a PATH without toxiproxy-server, so nothing can start. */
const invoke = (args: readonly string[]): Promise<{ code: number; output: string }> => invokeCli(args, nothingCanStart(root));

describe('chaos run --all: refused before anything starts', () => {
  it.each([
    {
      name: 'with scenario names',
      args: (out: string) => ['run', '--all', 'skype-2010', '--platform', 'local', '--out', out],
      code: 2,
      message: /^INVALID_CONFIG: --all runs every scenario in scenarios\/ and takes no scenario names \(got skype-2010\); drop the names to run the whole library, or drop --all to run only skype-2010$/m,
    },
    { name: 'with a --control no scenario declares', args: (out: string) => ['run', '--all', '--control', 'nope', '--platform', 'local', '--out', out], code: 2, message: /--control nope: no scenario in scenarios\/ declares/ },
    // The whole library loads and validates; the platform check then refuses (exit 3) before any scenario starts.
    { name: 'on a platform that cannot start', args: (out: string) => ['run', '--all', '--controls', '--platform', 'local', '--out', out], code: 3, message: /TOXIPROXY_UNAVAILABLE: toxiproxy-server is not on PATH/ },
  ])('$name', async ({ args, code, message }) => {
    const out = fresh('out');
    const result = await invoke(args(out));
    expect(result.output).toMatch(message);
    expect(result.code).toBe(code);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(root, 'run-registry'))).toBe(false);
  });
});
