import { mkdir } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { ExitCode } from '../errors.js';
import { ResourceOwner } from '../lifecycle/owner.js';
import type { HistoryEvent } from '../observe/history-types.js';
import { toxicCatalogue, toxicTypes } from '../network/toxic-catalogue.js';
import { currentHarness } from '../platform/process-identity.js';
import type { PlatformKind } from '../platform/platform.js';
import { writeReports, type WrittenReports } from '../report/write-reports.js';
import { RunSession } from '../runner/run-session.js';
import type { OperatorPhase } from '../runner/run-session-types.js';
import { realClock, type Clock } from '../engine/clock.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import { buildRunReport } from '../verdict/run-report.js';
import type { RunReport } from '../verdict/verdict-types.js';
import { createAccessTokens, type AccessTokens } from './access-tokens.js';
import { loadDashboardAssets, renderDashboardPage } from './dashboard-page.js';
import { DashboardServer } from './dashboard-server.js';
import { DeadManSwitch } from './dead-man.js';
import { describePoint } from './live-series.js';
import { describeForTerminal, LiveWatch, timelineStartSeconds } from './live-watch.js';
import { LINK_GROUPS, LINK_SOURCES, NODE_GROUPS } from './operator-command.js';
import { type CommandSource, OperatorConsole } from './operator-console.js';
import { OperatorPrompt } from './operator-prompt.js';
import { rehearsalDefinition } from './rehearsal-scenario.js';
import { writeRehearsalRecord } from './rehearsal-registry.js';
import { writeRecording } from './scenario-recorder.js';
import { startupProgress } from './startup-progress.js';

export interface RehearsalOptions {
  readonly source: ScenarioDefinition;
  readonly architecture: Architecture;
  readonly platform: PlatformKind | 'auto';
  readonly seed: number;
  readonly outDir: string;
  /** Real seconds without an operator before every fault heals by itself; 0: off. */
  readonly deadManSeconds: number;
  /** Also write the session as a scenario JSON file here. */
  readonly recordFile?: string;
  /** Aborted on Ctrl-C: heal, write the history, tear down (exit 130). */
  readonly signal: AbortSignal;
  readonly owners?: Set<ResourceOwner>;
  /** The one URL is printed here; the prompt reads `input` and writes here too. */
  readonly output: Writable;
  readonly input?: Readable;
  /** Progress and notices (stderr). */
  readonly log: (line: string) => void;
  readonly clock?: Clock;
  /** Called once the operator phase has begun (tests, and the CLI's own Ctrl-C). */
  readonly onReady?: (ready: { readonly operatorUrl: string; readonly viewerUrl: string }) => void;
}

export interface RehearsalResult {
  readonly exitCode: ExitCode;
  readonly report: RunReport;
  readonly files: WrittenReports;
  readonly recorded?: string;
  readonly events: readonly HistoryEvent[];
}

/** `chaos rehearse`: bring up the topology, reach steady state, hand over to the operator, end clean. */
export async function runRehearsal(options: RehearsalOptions): Promise<RehearsalResult> {
  const definition = rehearsalDefinition(options.source, options.architecture);
  const clock = options.clock ?? realClock;
  await mkdir(options.outDir, { recursive: true });
  const owner = new ResourceOwner();
  options.owners?.add(owner);
  const live = new LiveWatch();
  const startup = startupProgress(options.log);
  let result;
  try {
    const session = RunSession.open({
      scenario: definition,
      architecture: options.architecture,
      platform: options.platform,
      seed: options.seed,
      outDir: options.outDir,
      clock,
      signal: options.signal,
      owner,
      watch: live,
      progress: startup,
    });
    options.log(`rehearsal ${definition.name} (${options.architecture}): deploying, then waiting for the steady state`);
    result = await session.rehearse((phase) => {
      startup.handOver();
      return operate(phase, { ...options, definition, owner, live, clock });
    });
  } finally {
    options.owners?.delete(owner);
  }
  const events = result.events;
  const report = buildRunReport(definition, result.platform, [events]);
  const files = await writeReports(options.outDir, report, { [options.architecture]: events });
  const end = events.findLast((event) => event.type === 'run-end');
  const handedOver = events.some((event) => event.type === 'phase' && event.phase === 'timeline');
  if (!handedOver) {
    const why = end?.type === 'run-end' ? (end.reason ?? end.outcome) : 'the run stopped early';
    options.log(`the network never reached the operator: ${why}; nothing was handed over${options.recordFile === undefined ? '' : ' or recorded'} (reports: ${options.outDir})`);
  }
  const recorded = options.recordFile === undefined || !handedOver ? undefined : await writeRecording(events, options.recordFile, options.log);
  const outcome = end?.type === 'run-end' ? end.outcome : 'failed';
  const exitCode = options.signal.aborted || outcome === 'interrupted' ? ExitCode.interrupted : outcome === 'failed' ? ExitCode.infrastructure : ExitCode.ok;
  return { exitCode, report, files, events, ...(recorded === undefined ? {} : { recorded }) };
}

interface OperateContext extends RehearsalOptions {
  readonly definition: ScenarioDefinition;
  readonly owner: ResourceOwner;
  readonly live: LiveWatch;
  readonly clock: Clock;
}

/** The operator phase: dashboard, prompt and dead-man switch up; returns when the session ends. */
async function operate(phase: OperatorPhase, context: OperateContext): Promise<void> {
  const { live, clock } = context;
  let endRequested: (source: CommandSource) => void = () => undefined;
  const ended = new Promise<CommandSource>((resolve) => {
    endRequested = resolve;
  });
  const consoleOf: OperatorConsole = new OperatorConsole({
    architecture: context.architecture,
    scenario: context.definition,
    msPerScenarioHour: phase.scale.msPerScenarioHour,
    elapsedMs: () => phase.elapsedMs(),
    execute: (action, key) => phase.network.executor.execute(action, key),
    activeFaults: () => phase.network.executor.activeFaults(),
    record: (event) => phase.record(event),
    end: (source) => endRequested(source),
    status: (): string => `${describePoint(live.series.latest())}\nfaults in place: ${consoleOf.faultIds().join(', ') || 'none'}\npages open: ${describePages(dashboard.connectedPages())}`,
  });
  const deadMan = new DeadManSwitch({
    clock,
    afterMs: context.deadManSeconds * 1000,
    faultsInPlace: () => consoleOf.hasHealableFaults(),
    trip: async (idleMs) => {
      const reply = await consoleOf.healAll('dead-man', `dead-man: no operator for ${Math.round(idleMs / 1000)}s (limit ${context.deadManSeconds}s)`);
      say(`dead-man switch: no operator for ${Math.round(idleMs / 1000)}s; ${reply.message.replace(/\n/g, '; ')}`);
    },
  });
  const deadManInfo = (): Record<string, unknown> => ({ enabled: deadMan.enabled, afterMs: context.deadManSeconds * 1000, remainingMs: deadMan.remainingMs() });
  const tokens: AccessTokens = createAccessTokens();
  const assets = await loadDashboardAssets();
  const title = `${context.definition.name} · ${context.architecture}`;
  // The page and snapshot are served only once the server listens, so they may read `dashboard`.
  const dashboard: DashboardServer = await DashboardServer.start(tokens, {
    page: (role) => renderDashboardPage({ title, role, port: dashboard.port }, assets),
    snapshot: (role) => ({
      scenario: context.definition.name,
      architecture: context.architecture,
      points: live.series.snapshot(),
      events: live.events.filter((event) => event.type !== 'sample').slice(-300),
      faults: consoleOf.faults(),
      catalogue: toxicCatalogue,
      linkSources: LINK_SOURCES,
      linkGroups: LINK_GROUPS,
      nodeGroups: NODE_GROUPS,
      deadMan: deadManInfo(),
      timelineStartSeconds: timelineStartSeconds(live.events),
      ...(role === 'operator' ? { viewerUrl: dashboard.urlFor('viewer') } : {}),
    }),
    command: (text) => consoleOf.submit(text, 'page'),
    healAll: (who) => consoleOf.healAll('kill-switch', who),
    operatorConnected: () => deadMan.connected(),
    operatorSeen: () => deadMan.seen(),
  });
  const server = dashboard;
  const releaseServer = context.owner.register('rehearsal dashboard', () => server.close());
  const recordId = `${process.pid}-${Date.now().toString(36)}`;
  const removeRecord = await writeRehearsalRecord({
    id: recordId,
    harness: currentHarness(),
    url: server.baseUrl,
    killSwitchToken: tokens.killSwitch,
    scenario: context.definition.name,
    architecture: context.architecture,
  });
  const releaseRecord = context.owner.register('rehearsal registry record', removeRecord);

  live.onSample = (sample) => {
    const point = live.series.latest();
    if (point !== undefined && point.t === Math.round(sample.t) / 1000) server.broadcast({ type: 'sample', point, deadMan: deadManInfo() });
  };
  live.onEvent = (event) => {
    server.broadcast({ type: 'event', event });
    if (event.type === 'fault' || event.type === 'command' || event.type === 'remedy') server.broadcast({ type: 'faults', faults: consoleOf.faults() });
    if (event.type === 'fault' || event.type === 'remedy' || event.type === 'error' || (event.type === 'node' && event.change === 'down')) say(describeForTerminal(event));
  };

  const prompt =
    context.input === undefined
      ? undefined
      : new OperatorPrompt({
          input: context.input,
          output: context.output,
          submit: (line) => consoleOf.submit(line, 'prompt'),
          toxicTypes,
          faultIds: () => consoleOf.faultIds(),
          seen: () => deadMan.seen(),
          interrupt: () => process.emit('SIGINT', 'SIGINT'),
        });
  function say(line: string): void {
    if (prompt === undefined) context.log(line);
    else prompt.say(line);
  }

  const operatorUrl = server.urlFor('operator');
  context.output.write(`${operatorUrl}\n`);
  context.log(
    `steady state reached; the network waits for you. Open the URL above (operator; it shows the viewer link), type commands here (help), end with "end" or Ctrl-C. Dead-man switch: ${deadMan.enabled ? `${context.deadManSeconds}s` : 'off'}.`,
  );
  context.onReady?.({ operatorUrl, viewerUrl: server.urlFor('viewer') });
  prompt?.start();

  const stopWatching = new AbortController();
  const watching = deadMan.watch(stopWatching.signal);
  const interrupted = new Promise<CommandSource>((resolve) => {
    if (phase.signal.aborted) resolve('end');
    phase.signal.addEventListener('abort', () => resolve('end'), { once: true });
  });
  try {
    const how = await Promise.race([ended, interrupted]);
    if (!phase.signal.aborted) {
      // Heal through the console first, so the history says who ended it; the rollback heals anything left.
      await consoleOf.healAll(how, `session ended (${how})`);
    }
  } finally {
    stopWatching.abort();
    await watching;
    prompt?.close();
    live.onSample = undefined;
    live.onEvent = undefined;
    await releaseRecord();
    await releaseServer();
  }
}

function describePages(pages: { readonly operators: number; readonly viewers: number }): string {
  return `${pages.operators} operator${pages.operators === 1 ? '' : 's'}, ${pages.viewers} viewer${pages.viewers === 1 ? '' : 's'}`;
}
