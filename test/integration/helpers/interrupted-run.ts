import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { pidAlive } from '../../../harness/platform/process-identity.js';
import { commandLine, processTable, RunTrace } from './run-trace.js';

export type Phase = 'deploying' | 'steady-state' | 'timeline' | 'rollback' | 'teardown';
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGKILL';
/** How the user typed it: `npm run chaos -- ...`, or node with tsx's loader (`bin/chaos.js` does the same in-process). */
export type Wrapper = 'npm run chaos' | 'node';

export interface InterruptCase {
  readonly index: number;
  readonly phase: Phase;
  readonly signal: InterruptSignal;
  readonly wrapper: Wrapper;
  /** Real ms after the phase event appears in the history. */
  readonly offsetMs: number;
}

export interface InterruptedRun {
  readonly out: string;
  readonly trace: RunTrace;
  /** The last phase in the history when the signal went out ('done': after teardown, while reporting; 'exited': the harness had ended). */
  readonly landed: string;
  readonly code: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  readonly signalToExitMs: number;
  /** Processes still in the command's group the moment the command returned. */
  readonly groupAtExit: readonly number[];
  readonly stderr: string;
}

export interface RunSetup {
  readonly root: string;
  readonly scenarioFile: string;
  readonly platform: 'docker' | 'local' | 'swarm';
  readonly registry: string;
}

export function readEvents(out: string): HistoryEvent[] {
  const file = join(out, 'history-dedicated.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as HistoryEvent];
      } catch {
        return [];
      }
    });
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly at: number;
  readonly group: number[];
}

const observeEveryMs = { docker: 500, swarm: 500, local: 250 } as const;
/** A tiny run reaches any phase within seconds, and returns within seconds of a signal; these bound a hang, with what was seen. */
const reachMomentWithinMs = 120_000;
const returnAfterSignalWithinMs = 60_000;

/** The phases of a live history, read incrementally (only what was appended since the last poll). */
class PhaseWatch {
  readonly seen: string[] = [];
  private offset = 0;
  private partial = '';

  constructor(private readonly file: string) {}

  get latest(): string {
    return this.seen.at(-1) ?? 'none';
  }

  poll(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const chunk = Buffer.alloc(size - this.offset);
      readSync(fd, chunk, 0, chunk.length, this.offset);
      this.offset = size;
      const lines = (this.partial + chunk.toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) if (line.includes('"type":"phase"')) this.seen.push((JSON.parse(line) as { phase: string }).phase);
    } finally {
      closeSync(fd);
    }
  }
}

function command(setup: RunSetup, wrapper: Wrapper, out: string): string[] {
  const args = [setup.scenarioFile, '--platform', setup.platform, '--out', out];
  return wrapper === 'node' ? [process.execPath, '--import', 'tsx', 'harness/cli.ts', 'run', ...args] : ['npm', 'run', '--silent', 'chaos', '--', ...args];
}

/**
 * Starts the run in its own process group, waits for the case's phase in the live history plus its
 * offset, signals the whole group, and waits for the command to return. Watches the run meanwhile
 * (its processes, run records, containers, Toxiproxy) so that what it left can be asked for after.
 */
export async function interruptRun(setup: RunSetup, interrupt: InterruptCase, out: string): Promise<InterruptedRun> {
  const [file = '', ...args] = command(setup, interrupt.wrapper, out);
  const reportDir = `${out}-node-report`;
  mkdirSync(reportDir, { recursive: true });
  // A harness stuck in a phase is asked for a Node diagnostic report (SIGUSR2) before it is killed: the failure then says where it waited.
  const nodeOptions = [process.env['NODE_OPTIONS'], '--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${reportDir}`].filter(Boolean).join(' ');
  const child = spawn(file, args, {
    cwd: setup.root,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', CHAOS_RUN_REGISTRY: setup.registry, NODE_OPTIONS: nodeOptions },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const trace = new RunTrace(child.pid ?? -1, setup.registry, setup.platform === 'local' ? 'none' : setup.platform);
  let exited: Exit | undefined;
  child.on('exit', (code, signal) => {
    exited = { code, signal, at: Date.now(), group: groupOf(trace.group) };
  });

  try {
    return await signalAtMoment(setup, interrupt, out, trace, () => exited, () => stderr, reportDir);
  } finally {
    if (exited === undefined) process.kill(-trace.group, 'SIGKILL');
  }
}

async function signalAtMoment(
  setup: RunSetup,
  interrupt: InterruptCase,
  out: string,
  trace: RunTrace,
  exit: () => Exit | undefined,
  stderr: () => string,
  reportDir: string,
): Promise<InterruptedRun> {
  const phases = new PhaseWatch(join(out, 'history-dedicated.jsonl'));
  let phaseSeenAt: number | undefined;
  let observedAt = 0;
  const startedAt = Date.now();
  while (phaseSeenAt === undefined || Date.now() < phaseSeenAt + interrupt.offsetMs) {
    const ended = exit();
    if (ended !== undefined) throw new Error(`the run ended (code ${ended.code}) before ${interrupt.phase} + ${interrupt.offsetMs} ms:\n${stderr()}`);
    if (Date.now() - startedAt > reachMomentWithinMs) {
      throw new Error(
        `${interrupt.phase} + ${interrupt.offsetMs} ms not reached within ${reachMomentWithinMs / 1000} s (phases seen: ${phases.seen.join(', ') || 'none'})${stuckState(trace, stderr())}${await harnessWaits(trace, reportDir)}`,
      );
    }
    // Nothing is created once the rollback begins: from then on only the history is watched, as closely as can be.
    const creating = ['none', 'deploying', 'steady-state', 'timeline'].includes(phases.latest);
    if (creating && Date.now() - observedAt > observeEveryMs[setup.platform]) {
      await trace.observe();
      observedAt = Date.now();
    }
    phases.poll();
    if (phaseSeenAt === undefined && phases.seen.includes(interrupt.phase)) phaseSeenAt = Date.now();
    await sleep(creating ? 5 : 1);
  }
  phases.poll();
  // 'exited': the harness was already gone (the run ended; npm had not returned yet).
  const landed = trace.harnessPid !== undefined && pidAlive(trace.harnessPid) ? phases.latest : 'exited';
  const sentAt = Date.now();
  try {
    process.kill(-trace.group, interrupt.signal);
  } catch (error) {
    throw new Error(`the run ended before the signal (${landed})`, { cause: error });
  }
  let exited = exit();
  while (exited === undefined) {
    if (Date.now() - sentAt > returnAfterSignalWithinMs) {
      throw new Error(`the command did not return within ${returnAfterSignalWithinMs / 1000} s of ${interrupt.signal} (landed in ${landed})${stuckState(trace, stderr())}${await harnessWaits(trace, reportDir)}`);
    }
    await sleep(10);
    exited = exit();
  }
  if (interrupt.signal === 'SIGKILL') {
    // npm's exit is seen before its child (the harness) has finished dying; it must be gone before leftovers can be.
    const deadline = Date.now() + 5_000;
    while (groupOf(trace.group).length > 0 && Date.now() < deadline) await sleep(10);
  }
  return { out, trace, landed, code: exited.code, exitSignal: exited.signal, signalToExitMs: exited.at - sentAt, groupAtExit: exited.group, stderr: stderr() };
}

/**
 * Where a stuck harness waits: the processes it spawned that still run, and from a Node diagnostic
 * report (asked for with SIGUSR2) its JavaScript stack and the handles its event loop waits on.
 */
async function harnessWaits(trace: RunTrace, reportDir: string): Promise<string> {
  const pid = trace.harnessPid;
  if (pid === undefined || !pidAlive(pid)) return '\nthe harness: not found or gone';
  const children = processTable()
    .filter((row) => row.ppid === pid)
    .map((row) => `  ${row.pid} ${commandLine(row.pid).slice(0, 160)}`);
  process.kill(pid, 'SIGUSR2');
  const lines = [`\nthe harness (pid ${pid}) has these processes running:`, ...(children.length > 0 ? children : ['  (none)'])];
  // The report is written in pieces: it is read once it parses whole.
  let report: NodeReport | undefined;
  for (let waited = 0; report === undefined && waited < 10_000; waited += 100) {
    await sleep(100);
    const name = readdirSync(reportDir).find((file) => file.endsWith('.json') && file.includes(`.${pid}.`));
    try {
      if (name !== undefined) report = JSON.parse(readFileSync(join(reportDir, name), 'utf8')) as NodeReport;
    } catch {
      // not whole yet
    }
  }
  if (report === undefined) return [...lines, 'no whole diagnostic report within 10 s'].join('\n');
  const stack = report.javascriptStack?.stack?.slice(0, 15) ?? [];
  const handles = (report.libuv ?? [])
    // The loop's own machinery (async, check, prepare, idle, signal) says nothing about what the run waits on.
    .filter((handle) => handle.is_active === true && !['async', 'check', 'prepare', 'idle', 'signal'].includes(handle.type))
    .map((handle) => `  ${handle.type}${handle.remoteEndpoint?.port === undefined ? '' : ` to ${handle.remoteEndpoint.host ?? '?'}:${handle.remoteEndpoint.port}`}${handle.details === undefined ? '' : ` ${handle.details}`}`);
  return [...lines, `its JavaScript stack: ${report.javascriptStack?.message ?? ''}`, ...stack.map((frame) => `  ${frame}`), 'its active handles:', ...handles.slice(0, 40)].join('\n');
}

/** What the stuck-run message reads of a Node diagnostic report. */
interface NodeReport {
  readonly javascriptStack?: { readonly message?: string; readonly stack?: readonly string[] };
  readonly libuv?: readonly { readonly type: string; readonly is_active?: boolean; readonly details?: string; readonly remoteEndpoint?: { readonly host?: string; readonly port?: number } }[];
}

/** What a stuck command's group was doing, for the failure message. */
function stuckState(trace: RunTrace, stderr: string): string {
  const group = groupOf(trace.group).map((pid) => `  ${pid} ${commandLine(pid)}`);
  return `\nits process group:\n${group.join('\n') || '  (empty)'}\nits stderr:\n${stderr.slice(-4_000)}`;
}

function groupOf(group: number): number[] {
  return processTable()
    .filter((row) => row.pgrp === group)
    .map((row) => row.pid);
}
