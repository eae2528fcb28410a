import { errorMessage, isChaosError } from '../errors.js';
import { faultKindNamed, type ExecutableAction } from '../faults/registry.js';
import type { HistoryRecord } from '../observe/history-types.js';
import type { Architecture, ScenarioDefinition, TimelineAction, TimelineStep } from '../scenario/types.js';
import { helpText, parseOperatorCommand } from './operator-command.js';
import { RecordedTimeline } from './recorded-timeline.js';
import { checkOperatorStep, scenarioOffset } from './rehearsal-scenario.js';

/** Who gave a command: the prompt, the page, or a safety switch. */
export type CommandSource = 'prompt' | 'page' | 'kill-switch' | 'dead-man' | 'end';

export interface ConsoleReply {
  readonly ok: boolean;
  /** One or more lines for the operator (the refusal names every problem). */
  readonly message: string;
}

/** A fault in place, as the page and `faults` show it. */
export interface ActiveFault {
  readonly id: string;
  readonly kind: string;
  readonly command: string;
  /** Real milliseconds since T0 when it was injected. */
  readonly sinceMs: number;
  /** Whether a heal undoes it (a crash is not undone: users restart the machines). */
  readonly healable: boolean;
}

export interface OperatorConsoleOptions {
  readonly architecture: Architecture;
  /** The rehearsal's scenario (rehearsalDefinition): every step is checked against it. */
  readonly scenario: ScenarioDefinition;
  readonly msPerScenarioHour: number;
  readonly elapsedMs: () => number;
  /** Carries out a step: the run's ActionExecutor, as for a timeline step. */
  readonly execute: (action: ExecutableAction, key: string) => Promise<void>;
  /** Fault ids whose heal the executor still holds. */
  readonly activeFaults: () => readonly string[];
  readonly record: (event: HistoryRecord) => void;
  /** The operator asked to end the session. */
  readonly end: (source: CommandSource) => void;
  readonly status: () => string;
}

/**
 * The one way anything acts on a rehearsal: a line of the command language, from the prompt, the
 * page or a safety switch, becomes a timeline step, is checked as a scenario step is, runs through
 * the run's executor, and is written to the history as a `command` event. Commands run one at a time.
 */
export class OperatorConsole {
  private readonly accepted: TimelineStep[] = [];
  private readonly described = new Map<string, ActiveFault>();
  private readonly counters = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();
  /** What a recording of the session keeps so far: each step runs under its replay's key. */
  private readonly recorded = new RecordedTimeline();

  constructor(private readonly options: OperatorConsoleOptions) {}

  /** Runs a command line; never throws (a refusal or failure is the reply). */
  submit(line: string, source: CommandSource): Promise<ConsoleReply> {
    return this.serial(() => this.run(line, source));
  }

  /** Heals every fault that can be healed; the reply says what it healed and why. */
  healAll(source: CommandSource, why: string): Promise<ConsoleReply> {
    return this.serial(() => this.healEverything(source, why));
  }

  faults(): ActiveFault[] {
    const active = new Set(this.options.activeFaults());
    return [...this.described.values()].filter((fault) => active.has(fault.id));
  }

  /** Whether a heal has anything to undo. */
  hasHealableFaults(): boolean {
    return this.faults().some((fault) => fault.healable);
  }

  faultIds(): string[] {
    return this.faults().map((fault) => fault.id);
  }

  /** The steps accepted so far, as a scenario's timeline holds them. */
  steps(): readonly TimelineStep[] {
    return [...this.accepted];
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private nextId = (kind: string): string => {
    const taken = new Set([...this.described.keys(), ...this.options.activeFaults()]);
    let id: string;
    do {
      const n = (this.counters.get(kind) ?? 0) + 1;
      this.counters.set(kind, n);
      id = `${kind}-${n}`;
    } while (taken.has(id));
    return id;
  };

  private async run(line: string, source: CommandSource): Promise<ConsoleReply> {
    let command;
    try {
      command = parseOperatorCommand(line, this.nextId);
    } catch (error) {
      return this.refuse(line, source, undefined, error);
    }
    switch (command.kind) {
      case 'help':
        return { ok: true, message: helpText(command.topic) };
      case 'faults': {
        const faults = this.faults();
        return { ok: true, message: faults.length === 0 ? 'no fault in place' : faults.map((f) => `${f.id}: ${f.command}${f.healable ? '' : ' (not undone: users restart)'}`).join('\n') };
      }
      case 'status':
        return { ok: true, message: this.options.status() };
      case 'end':
        this.options.end(source);
        return { ok: true, message: 'ending: healing every fault, tearing down, writing the reports' };
      case 'heal-all':
        return this.healEverything(source, `heal all (${source})`);
      case 'step':
        return this.step(line, command.action, source);
    }
  }

  private async step(text: string, action: TimelineAction, source: CommandSource): Promise<ConsoleReply> {
    const givenMs = this.options.elapsedMs();
    let step: TimelineStep;
    try {
      step = checkOperatorStep(this.options.scenario, this.accepted, {
        at: scenarioOffset(givenMs, this.options.msPerScenarioHour),
        action,
        only: [this.options.architecture],
      });
    } catch (error) {
      return this.refuse(text, source, action, error, givenMs);
    }
    // The step's offset is when the executor starts it (after the check): a replay starts it there.
    const startedMs = this.options.elapsedMs();
    this.accepted.push({ ...step, at: scenarioOffset(startedMs, this.options.msPerScenarioHour) });
    const key = this.recorded.nextKey();
    const id = 'id' in step.action ? step.action.id : undefined;
    if (id !== undefined && step.action.do !== 'heal') {
      const healable = faultKindNamed(step.action.do).heals === 'healable';
      this.described.set(id, { id, kind: step.action.do, command: text.trim(), sinceMs: startedMs, healable });
    }
    try {
      await this.options.execute(step.action as ExecutableAction, key);
    } catch (error) {
      const message = `${text.trim()} failed: ${errorMessage(error)}`;
      this.options.record({ type: 'command', source, text: text.trim(), outcome: 'failed', offsetMs: Math.round(startedMs), action: { ...step.action }, message });
      this.options.record({ type: 'error', message: `step ${key} (${step.action.do}) failed: ${errorMessage(error)}`, ...(isChaosError(error) ? { code: error.code } : {}) });
      return { ok: false, message };
    }
    this.recorded.keep(step.action);
    this.options.record({ type: 'command', source, text: text.trim(), outcome: 'done', offsetMs: Math.round(startedMs), action: { ...step.action } });
    return { ok: true, message: `${describeDone(step.action)}` };
  }

  private async healEverything(source: CommandSource, why: string): Promise<ConsoleReply> {
    const healable = this.faults().filter((fault) => fault.healable);
    this.options.record({ type: 'mark', label: `${why}: healing ${healable.length} fault${healable.length === 1 ? '' : 's'}${healable.length === 0 ? '' : ` (${healable.map((f) => f.id).join(', ')})`}` });
    const lines: string[] = [];
    let ok = true;
    for (const fault of healable) {
      const reply = await this.step(`heal ${fault.id}`, { do: 'heal', id: fault.id }, source);
      ok &&= reply.ok;
      lines.push(reply.message);
    }
    return { ok, message: lines.length === 0 ? 'no fault to heal' : lines.join('\n') };
  }

  private refuse(text: string, source: CommandSource, action: TimelineAction | undefined, error: unknown, offsetMs = this.options.elapsedMs()): ConsoleReply {
    const message = isChaosError(error) ? error.describe() : errorMessage(error);
    this.options.record({
      type: 'command',
      source,
      text: text.trim(),
      outcome: 'refused',
      offsetMs: Math.round(offsetMs),
      ...(action === undefined ? {} : { action: { ...action } }),
      message,
    });
    return { ok: false, message };
  }
}

function describeDone(action: TimelineAction): string {
  switch (action.do) {
    case 'mark':
      return `marked: ${action.label}`;
    case 'heal':
      return `healed ${action.id}`;
    case 'add-supernodes':
      return `added ${action.count} supernode${action.count === 1 ? '' : 's'}`;
    default:
      return `${action.do} ${action.id} in place`;
  }
}
