import { exitCauseOf } from '../../services/protocol/exit-codes.js';
import type { NodeHandle } from '../platform/platform.js';
import type { HistoryEvent } from '../observe/history-types.js';
import { errorMessage } from '../errors.js';
import type { DownCause } from './restart-policy.js';

type NodeEvent = Omit<Extract<HistoryEvent, { type: 'node' }>, 't'>;

export interface NodeSupervisorOptions {
  /** Records a node event on the run's clock. */
  readonly record: (event: NodeEvent | { type: 'error'; message: string }) => void;
  /** Real milliseconds a user takes to restart a node that went down for `cause` (seeded draw); undefined: never restarted. */
  readonly restartDelayMs: (node: NodeHandle, cause: DownCause) => number | undefined;
}

interface Watched {
  readonly node: NodeHandle;
  down: boolean;
  restartTimer: NodeJS.Timeout | undefined;
}

/**
 * Notices nodes that went away (a crash, self-protection, a kill), records why from the exit
 * code, and plays the user who restarts the machine after a while.
 */
export class NodeSupervisor {
  private readonly watched = new Map<string, Watched>();
  private readonly causeOverride = new Map<string, 'fault'>();
  private readonly restarts = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: NodeSupervisorOptions) {}

  watch(node: NodeHandle): void {
    this.watched.set(node.name, { node, down: false, restartTimer: undefined });
  }

  /** The harness is about to kill this node itself: record the loss as caused by the fault. */
  expectKill(name: string): void {
    this.causeOverride.set(name, 'fault');
  }

  /** Checks the nodes whose control port did not answer on the last sample. */
  async check(suspects: readonly string[]): Promise<void> {
    await Promise.all(
      suspects.map(async (name) => {
        const entry = this.watched.get(name);
        if (entry === undefined || entry.down) return;
        const state = await entry.node.inspect().catch(() => undefined);
        if (state?.state !== 'exited' || entry.down) return;
        entry.down = true;
        const cause = this.causeOverride.get(name) ?? exitCauseOf(state.exitCode);
        this.causeOverride.delete(name);
        this.options.record({
          type: 'node',
          node: name,
          role: entry.node.role,
          change: 'down',
          cause,
          ...(state.exitCode === undefined ? {} : { exitCode: state.exitCode }),
        });
        this.scheduleRestart(entry, cause);
      }),
    );
  }

  private scheduleRestart(entry: Watched, cause: DownCause): void {
    if (this.stopped) return;
    const delay = this.options.restartDelayMs(entry.node, cause);
    if (delay === undefined) return;
    entry.restartTimer = setTimeout(() => {
      entry.restartTimer = undefined;
      if (this.stopped) return;
      const restart = entry.node
        .restart()
        .then(() => {
          entry.down = false;
          this.options.record({ type: 'node', node: entry.node.name, role: entry.node.role, change: 'restarted', cause: 'user-restart' });
        })
        .catch((error: unknown) => {
          this.options.record({ type: 'error', message: `restart of ${entry.node.name} failed: ${errorMessage(error)}` });
        })
        .finally(() => this.restarts.delete(restart));
      this.restarts.add(restart);
    }, delay);
  }

  /** Cancels pending restarts and waits for the ones under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.watched.values()) {
      if (entry.restartTimer !== undefined) clearTimeout(entry.restartTimer);
    }
    await Promise.allSettled([...this.restarts]);
  }
}
