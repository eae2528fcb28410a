import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import type { RunPhase } from '../observe/history-types.js';
import type { Architecture } from '../scenario/types.js';

export type ProgressMode = 'tty' | 'plain' | 'json';

export interface ProgressUpdate {
  readonly architecture: Architecture;
  readonly phase: RunPhase;
  readonly elapsedMs: number;
  /** Scenario hours since T0 (negative before the timeline starts). */
  readonly scenarioHours: number;
  readonly online: number;
  /** Online clients as a fraction of steady state; null before steady state is known. */
  readonly onlineFraction: number | null;
  readonly supernodesServing: number;
  readonly supernodesTotal: number;
  /** Logged-in clients re-reading an inbox they take for invalid (not online); absent or 0 shows nothing. */
  readonly resyncing?: number;
  readonly lastEvent?: string;
}

export interface ProgressView {
  update(progress: ProgressUpdate): void;
  /** Something happened worth a line of its own (a fault injected, a remedy applied). */
  event(text: string): void;
  /** Leaves the last state on screen; later calls do nothing. */
  done(): void;
}

export interface ProgressViewOptions {
  readonly mode: ProgressMode;
  readonly stream: NodeJS.WritableStream;
  /** plain mode: least time between two status lines of one architecture (phase changes always print). */
  readonly plainIntervalMs?: number;
  readonly color?: boolean;
  readonly now?: () => number;
}

/** `--json` silences progress; otherwise a TTY gets a live block, anything else (CI logs) gets throttled lines. */
export function progressModeFor(options: { readonly json: boolean; readonly isTTY: boolean }): ProgressMode {
  if (options.json) return 'json';
  return options.isTTY ? 'tty' : 'plain';
}

export function createProgressView(options: ProgressViewOptions): ProgressView {
  if (options.mode === 'json') return { update: () => {}, event: () => {}, done: () => {} };
  return options.mode === 'tty' ? ttyView(options) : plainView(options);
}

const RECENT_EVENTS = 4;

function ttyView(options: ProgressViewOptions): ProgressView {
  const c = pc.createColors(options.color ?? true);
  const log = createLogUpdate(options.stream);
  const states = new Map<Architecture, ProgressUpdate>();
  const recent: string[] = [];
  let finished = false;

  const render = (): void => {
    const lines = [...states.values()].map((s) => `${c.bold(c.cyan(s.architecture.padEnd(9)))} ${statusText(s, c)}`);
    const events = recent.map((e) => c.dim(`  · ${e}`));
    log([...lines, ...events].join('\n'));
  };

  return {
    update(progress) {
      if (finished) return;
      states.set(progress.architecture, progress);
      render();
    },
    event(text) {
      if (finished) return;
      recent.push(text);
      if (recent.length > RECENT_EVENTS) recent.shift();
      render();
    },
    done() {
      if (finished) return;
      finished = true;
      if (states.size > 0 || recent.length > 0) render();
      log.done();
    },
  };
}

function plainView(options: ProgressViewOptions): ProgressView {
  const c = pc.createColors(options.color ?? false);
  const interval = options.plainIntervalMs ?? 5_000;
  const now = options.now ?? Date.now;
  const printed = new Map<Architecture, { at: number; phase: RunPhase; line: string }>();
  const latest = new Map<Architecture, ProgressUpdate>();
  let finished = false;

  const print = (progress: ProgressUpdate): void => {
    const line = `[${progress.architecture}] ${statusText(progress, c)}`;
    options.stream.write(`${line}\n`);
    printed.set(progress.architecture, { at: now(), phase: progress.phase, line });
  };

  return {
    update(progress) {
      if (finished) return;
      latest.set(progress.architecture, progress);
      const last = printed.get(progress.architecture);
      if (last === undefined || last.phase !== progress.phase || now() - last.at >= interval) print(progress);
    },
    event(text) {
      if (finished) return;
      options.stream.write(`${c.dim('·')} ${text}\n`);
    },
    done() {
      if (finished) return;
      finished = true;
      for (const progress of latest.values()) {
        const line = `[${progress.architecture}] ${statusText(progress, c)}`;
        if (printed.get(progress.architecture)?.line !== line) print(progress);
      }
    },
  };
}

function statusText(s: ProgressUpdate, c: ReturnType<typeof pc.createColors>): string {
  const hours = `T${s.scenarioHours < 0 ? '' : '+'}${s.scenarioHours.toFixed(1)}h`;
  const pct = s.onlineFraction === null ? '' : ` (${(s.onlineFraction * 100).toFixed(0)}%)`;
  const onlineText = `${s.online}${pct}`;
  const online = s.onlineFraction === null ? onlineText : s.onlineFraction < 0.5 ? c.red(onlineText) : s.onlineFraction < 0.9 ? c.yellow(onlineText) : c.green(onlineText);
  const parts = [
    s.phase.padEnd(12),
    `${(s.elapsedMs / 1000).toFixed(1)}s ${hours}`.padEnd(16),
    `online ${online}`,
    `supernodes ${s.supernodesServing}/${s.supernodesTotal}`,
  ];
  if (s.resyncing !== undefined && s.resyncing > 0) parts.push(c.yellow(`re-syncing ${s.resyncing}`));
  if (s.lastEvent !== undefined) parts.push(c.dim(s.lastEvent));
  return parts.join('  ');
}
