import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { ResourceOwner } from '../../../harness/lifecycle/owner.js';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { readHistoryDetailed } from '../../../harness/observe/history-writer.js';
import { RunSession } from '../../../harness/runner/run-session.js';
import type { ArchitectureRunOptions } from '../../../harness/runner/run-session-types.js';
import { createManualClock, type ManualClock } from '../helpers/manual-clock.js';
import type { ArchitectureRun, ScenarioDefinition } from '../../../harness/scenario/types.js';
import { judgeRun } from '../../../harness/verdict/judge-run.js';
import { validScenarioDefinition } from '../scenario/scenario-fixture.js';
import type { RunEnvironment } from '../../../harness/runner/run-environment.js';
import { fakeEnvironment, type FakeOptions } from './fake-network.js';

/*
 * The fixture's dedicated run at one scenario hour per second: steady state held for 2 s, then
 * T0 and the latency trigger at 0 s, its heal at 2 s, a crash of 30% of the supernodes at 3 s, end at 20 s.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Started {
  readonly clock: ManualClock;
  readonly journal: string[];
  readonly progress: string[];
  readonly interrupt: AbortController;
  readonly owner: ResourceOwner;
  readonly options: ArchitectureRunOptions;
}

function start(options: FakeOptions = {}, scenario: ScenarioDefinition = validScenarioDefinition()): Started {
  const outDir = mkdtempSync(join(tmpdir(), 'run-session-'));
  dirs.push(outDir);
  const clock = createManualClock(1_000);
  const journal: string[] = [];
  const progress: string[] = [];
  const interrupt = new AbortController();
  const owner = new ResourceOwner();
  const runOptions: ArchitectureRunOptions = {
    scenario,
    architecture: 'dedicated',
    platform: 'local',
    seed: 7,
    outDir,
    clock,
    signal: interrupt.signal,
    owner,
    progress: { update: () => undefined, event: (line) => progress.push(line) },
    environment: fakeEnvironment(journal, options),
  };
  return { clock, journal, progress, interrupt, owner, options: runOptions };
}

/** Moves the manual clock until the run settles; `onTick` may act on what happened so far. */
async function drive<T>(clock: ManualClock, run: Promise<T>, onTick: () => void = () => undefined): Promise<void> {
  let settled = false;
  run.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let tick = 0; tick < 1_000 && !settled; tick += 1) {
    onTick();
    await clock.advance(100);
  }
  expect(settled).toBe(true);
}

/** The fixture's dedicated architecture with supernodes whose start-up caches are warm from before the run. */
function prewarmedDedicated(scenario: ScenarioDefinition): ArchitectureRun {
  const dedicated = scenario.architectures.dedicated;
  if (dedicated === undefined) throw new Error('the fixture has a dedicated architecture');
  const startupCache = { fanOut: 'all-shards', queryTimeoutMs: 300, prewarmed: true } as const;
  return { ...dedicated, topology: { ...dedicated.topology, supernode: { ...dedicated.topology.supernode, startupCache } } };
}

/** The events that say what the run did, samples and node changes left out. */
const story = (events: readonly HistoryEvent[]): string[] =>
  events.flatMap((e) => {
    switch (e.type) {
      case 'run-start':
        return ['run-start'];
      case 'phase':
        return [`phase ${e.phase}`];
      case 'fault':
        return [`${e.action} ${e.kind} ${e.id}`];
      case 'mark':
        return [`mark ${e.label}`];
      case 'run-end':
        return [`run-end ${e.outcome}`];
      case 'error':
        return [`error ${e.message}`];
      default:
        return [];
    }
  });

const at = (events: readonly HistoryEvent[], text: string): number => {
  const index = story(events).indexOf(text);
  const event = events.filter((e) => story([e]).length > 0)[index];
  if (event === undefined) throw new Error(`no "${text}" in the history`);
  return event.t;
};

describe('RunSession', () => {
  it('records each phase as it starts, in order, with the timeline on its schedule, and tears down', async () => {
    const { clock, journal, options } = start();
    const session = RunSession.open(options);
    const run = session.run();
    await drive(clock, run);
    const result = await run;

    expect(story(result.events)).toEqual([
      'run-start',
      'phase deploying',
      'phase steady-state',
      'phase timeline',
      'mark T0',
      'inject latency trigger',
      'heal toxic trigger',
      'inject crash crash-some',
      'phase rollback',
      'heal crash crash-some',
      'run-end completed',
      'phase teardown',
      'phase done',
    ]);
    const events = result.events;
    expect(at(events, 'heal toxic trigger') - at(events, 'inject latency trigger')).toBe(2_000);
    expect(at(events, 'inject crash crash-some') - at(events, 'phase timeline')).toBe(3_000);
    expect(at(events, 'phase rollback') - at(events, 'phase timeline')).toBeGreaterThanOrEqual(20_000);
    expect(result.steps.map((s) => [s.step.key, s.outcome, s.late])).toEqual([
      ['timeline[0]', 'done', false],
      ['timeline[1]', 'done', false],
      ['timeline[2]', 'done', false],
      ['timeline[3]', 'done', false],
    ]);
    expect(result.platform).toBe('local');
    // The owner released the links, then the platform (newest first).
    expect(journal.slice(-2)).toEqual(['delete proxies', 'dispose platform']);
    // What was written is what was returned.
    expect((await readHistoryDetailed(result.historyFile)).events).toEqual(events);
  });

  it('with prewarmed start-up caches, turns warming on for each supernode as it starts (before any fleet), and off for every one once the steady state holds, before T0', async () => {
    const scenario = validScenarioDefinition();
    const prewarmed: ScenarioDefinition = { ...scenario, architectures: { ...scenario.architectures, dedicated: prewarmedDedicated(scenario) } };
    const { clock, options } = start({}, prewarmed);
    const environment = options.environment as ReturnType<typeof fakeEnvironment>;
    const posts: { node: string; on: unknown; fleetsStarted: boolean; t: number }[] = [];
    const withCommands: RunEnvironment = {
      ...environment,
      postCommand: async (node, path, body) => {
        expect(path).toBe('/startup-cache/warming');
        const started = [...(environment.platform?.started.keys() ?? [])];
        posts.push({ node: node.name, on: (body as { on: unknown }).on, fleetsStarted: started.some((name) => name.startsWith('fleet')), t: clock.now() });
        return { warming: (body as { on: unknown }).on, entries: 0 };
      },
    };
    const origin = clock.now();
    const run = RunSession.open({ ...options, environment: withCommands }).run();
    await drive(clock, run);
    const result = await run;
    expect(story(result.events)).toContain('run-end completed');
    const serving = ['sn-01', 'sn-02', 'sn-03'];
    expect(posts.filter((post) => post.on === true).map((post) => [post.node, post.fleetsStarted])).toEqual(serving.map((name) => [name, false]));
    const off = posts.filter((post) => post.on === false);
    expect(off.map((post) => post.node)).toEqual(serving);
    for (const post of off) expect(post.t - origin).toBeLessThanOrEqual(at(result.events, 'phase timeline'));
    for (const post of off) expect(post.t - origin).toBeGreaterThan(at(result.events, 'phase steady-state'));
  });

  it('fails the run\'s setup, naming the supernode, when one does not take the warming command', async () => {
    const prewarmed: ScenarioDefinition = { ...validScenarioDefinition(), architectures: { dedicated: prewarmedDedicated(validScenarioDefinition()) } };
    const { clock, options } = start({}, prewarmed);
    const postCommand: RunEnvironment['postCommand'] = async (node) => {
      if (node.name === 'sn-02') throw new Error('answered 409: no start-up cache');
      return {};
    };
    const environment: RunEnvironment = { ...(options.environment as ReturnType<typeof fakeEnvironment>), postCommand };
    const run = RunSession.open({ ...options, environment }).run();
    await drive(clock, run);
    await expect(run).rejects.toThrow("could not turn the start-up cache's warming on (sn-02: answered 409: no start-up cache)");
  });

  it('records when each step began beside when it was done: a kill that takes 1.5 s starts on its offset', async () => {
    const started = start({ beforeKill: () => started.clock.sleep(1_500) });
    const run = RunSession.open(started.options).run();
    await drive(started.clock, run);
    const { events } = await run;

    const t0 = at(events, 'phase timeline');
    const crash = events.find((e) => e.type === 'fault' && e.action === 'inject' && e.kind === 'crash');
    expect(crash?.type === 'fault' && [crash.startedT, crash.t].map((t) => (t ?? Number.NaN) - t0)).toEqual([3_000, 4_500]);
    // Every step's record carries its start; a latency toxic is in place at once.
    const stepped = events.filter((e) => e.type === 'fault' || e.type === 'mark');
    expect(stepped.map((e) => (e.type === 'fault' || e.type === 'mark' ? e.startedT !== undefined : false))).toEqual(stepped.map(() => true));
    const trigger = events.find((e) => e.type === 'fault' && e.id === 'trigger');
    expect(trigger?.type === 'fault' && trigger.startedT).toBe(trigger?.t);
  });

  it('ends a run whose engine stopped answering as failed, with the fix, never rethrown: the verdict is unknown and the platform unfit', async () => {
    const lost = new AbortController();
    const started = start({ engineLost: lost.signal });
    const run = RunSession.open(started.options).run();
    let ticks = 0;
    // 100 ms a tick: two seconds into the timeline, after the 2 s steady state.
    await drive(started.clock, run, () => {
      if ((ticks += 1) === 60) {
        lost.abort(new ChaosError('ENGINE_NOT_ANSWERING', 'Docker engine not answering: the network list had no answer for 30 s', { hint: 'restart dockerd' }));
      }
    });
    const result = await run;
    const told = story(result.events);
    expect(told.slice(-5)).toEqual([
      'error Docker engine not answering: the network list had no answer for 30 s; restart dockerd',
      'phase rollback',
      'run-end failed',
      'phase teardown',
      'phase done',
    ]);
    expect(result.unfitPlatform).toBe('Docker engine not answering: the network list had no answer for 30 s');
    const judged = judgeRun(result.events);
    expect(judged.verdict).toBe('unknown');
    expect(judged.targets.filter((target) => target.outcome === 'fail')).toEqual([]);
  });

  it('records a toxic the server refused as a failed step, goes on, and the verdict says unknown with the reason', async () => {
    const { clock, options } = start({ refuseToxicOn: (link) => link.endsWith('->offline-1') });
    const run = RunSession.open(options).run();
    await drive(clock, run);
    const result = await run;

    const message = 'step timeline[1] (inject) failed: Toxiproxy failed to add a latency toxic to clients->offline-1: Request failed with status code 409';
    expect(result.events.find((e) => e.type === 'error')).toMatchObject({ type: 'error', message, code: 'TOXIPROXY_UNAVAILABLE' });
    expect(story(result.events)).toContain('inject crash crash-some');
    expect(story(result.events)).not.toContain('inject latency trigger');
    expect(result.steps.map((s) => s.outcome)).toEqual(['done', 'failed', 'done', 'done']);
    expect(story(result.events).at(-3)).toBe('run-end completed');

    const verdict = judgeRun(result.events);
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.targets.find((t) => t.name === 'timeline steps ran')).toMatchObject({ outcome: 'unknown', measured: '1 failed', detail: message });
  });

  it('heals at rollback what the timeline left in place when it was cut short, and still tears down', async () => {
    const { clock, journal, progress, interrupt, options } = start();
    const run = RunSession.open(options).run();
    await drive(clock, run, () => {
      if (progress.some((line) => line.includes('inject latency (trigger)')) && !interrupt.signal.aborted) interrupt.abort();
    });
    const result = await run;

    expect(story(result.events).slice(3)).toEqual([
      'phase timeline',
      'mark T0',
      'inject latency trigger',
      'error interrupted',
      'phase rollback',
      'heal toxic trigger',
      'run-end interrupted',
      'phase teardown',
      'phase done',
    ]);
    expect(journal).toContain('remove latency_1 on clients->offline-1');
    expect(journal.slice(-2)).toEqual(['delete proxies', 'dispose platform']);
    expect(result.steps.map((s) => s.step.key)).toEqual(['timeline[0]', 'timeline[1]']);
    expect(result.events.filter((e) => e.type === 'interrupt')).toEqual([expect.objectContaining({ phase: 'timeline' })]);
    expect(judgeRun(result.events)).toMatchObject({ verdict: 'unknown', outcome: 'interrupted' });
    expect(judgeRun(result.events).interruptedDuring).toBeUndefined();
  });

  for (const phase of ['rollback', 'teardown'] as const) {
    it(`marks a run interrupted during its ${phase}: the history says so, the run-end and the verdict stand`, async () => {
      const { clock, journal, interrupt, options } = start();
      // The signal arrives as the phase begins.
      const watch = { sample: () => undefined, event: (event: HistoryEvent) => event.type === 'phase' && event.phase === phase && interrupt.abort() };
      const run = RunSession.open({ ...options, watch }).run();
      await drive(clock, run);
      const { events, historyFile } = await run;

      const interrupted = events.filter((e) => e.type === 'interrupt');
      expect(interrupted).toEqual([{ t: at(events, `phase ${phase}`), type: 'interrupt', phase }]);
      expect(story(events).slice(-5)).toEqual(['phase rollback', 'heal crash crash-some', 'run-end completed', 'phase teardown', 'phase done']);
      expect(journal.slice(-2)).toEqual(['delete proxies', 'dispose platform']);
      const verdict = judgeRun(events);
      expect(verdict.interruptedDuring).toBe(phase);
      expect({ ...verdict, interruptedDuring: undefined }).toEqual({ ...judgeRun(events.filter((e) => e.type !== 'interrupt')), interruptedDuring: undefined });
      expect((await readHistoryDetailed(historyFile)).events).toEqual(events);
    });
  }

  it('tears down and closes the history when the deploy fails, and throws the failure', async () => {
    const { clock, journal, options } = start({ failStart: (node) => node === 'sn-02' });
    const run = RunSession.open(options).run();
    await drive(clock, run);
    await expect(run).rejects.toMatchObject({ code: 'NODE_START_FAILED' });

    const { events } = await readHistoryDetailed(join(options.outDir, 'history-dedicated.jsonl'));
    expect(story(events)).toEqual([
      'run-start',
      'phase deploying',
      'error sn-02 exited with code 78 before it was healthy',
      'phase rollback',
      'run-end failed',
      'phase teardown',
      'phase done',
    ]);
    expect(journal.slice(-2)).toEqual(['delete proxies', 'dispose platform']);
  });

  it('records a steady state that never held as a failed run without throwing, so the other architectures still run', async () => {
    const { clock, options } = start();
    const environment = options.environment;
    if (environment === undefined) throw new Error('no environment');
    // Half of every fleet's clients online: the 0.95 online probe never holds.
    const halfOnline: RunEnvironment = {
      ...environment,
      fetchStatus: async (node, signal, path) => {
        const status = await environment.fetchStatus(node, signal, path);
        return node.role === 'client-fleet' && status !== undefined ? { ready: true, gauges: { clientsTotal: 100, clientsOnline: 50 } } : status;
      },
    };
    const run = RunSession.open({ ...options, environment: halfOnline }).run();
    await drive(clock, run);
    const result = await run;
    expect(story(result.events)).toEqual([
      'run-start',
      'phase deploying',
      'phase steady-state',
      'error the steady state did not hold for 2h within 20h (20.0s real)',
      'phase rollback',
      'run-end failed',
      'phase teardown',
      'phase done',
    ]);
    expect(result.steps).toEqual([]);
  });

  it('refuses an architecture the scenario does not have before it opens a history', () => {
    const { options } = start();
    const scenario = validScenarioDefinition();
    const { dedicated: _dropped, ...architectures } = scenario.architectures;
    expect(() => RunSession.open({ ...options, scenario: { ...scenario, architectures } })).toThrow(/has no dedicated architecture/);
  });
});
