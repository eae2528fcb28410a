import type { Clock } from '../engine/clock.js';

export interface DeadManOptions {
  readonly clock: Clock;
  /** Real milliseconds without an operator after which every fault heals; 0 turns the switch off. */
  readonly afterMs: number;
  /** Heals every fault; called once each time the switch trips (not again until an operator came back). */
  readonly trip: (idleMs: number) => Promise<void> | void;
  /** Whether there is anything to heal: the switch trips only then. */
  readonly faultsInPlace: () => boolean;
}

/**
 * The dead-man switch: an operator is present while a page with the operator's token is connected,
 * and for `afterMs` after their last command at the prompt or the page's last word. When nobody
 * has been present for `afterMs` and faults are in place, every fault heals by itself.
 */
export class DeadManSwitch {
  private connections = 0;
  private lastSeen: number;
  private tripped = false;

  constructor(private readonly options: DeadManOptions) {
    this.lastSeen = options.clock.now();
  }

  get enabled(): boolean {
    return this.options.afterMs > 0;
  }

  /** An operator's page connected; returns the function to call when it disconnects. */
  connected(): () => void {
    this.connections += 1;
    this.seen();
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.connections -= 1;
      this.seen();
    };
  }

  /** The operator did something (a command, a page's ping). */
  seen(): void {
    this.lastSeen = this.options.clock.now();
    this.tripped = false;
  }

  /** Real milliseconds since an operator was last present; 0 while one is connected. */
  idleMs(): number {
    return this.connections > 0 ? 0 : Math.max(0, this.options.clock.now() - this.lastSeen);
  }

  /** Milliseconds left before the switch trips (null when off or nothing to heal). */
  remainingMs(): number | null {
    if (!this.enabled || this.connections > 0 || !this.options.faultsInPlace()) return null;
    return Math.max(0, this.options.afterMs - this.idleMs());
  }

  /** Trips when due; returns whether it did. Called on a tick. */
  async check(): Promise<boolean> {
    if (!this.enabled || this.tripped || this.connections > 0) return false;
    const idle = this.idleMs();
    if (idle < this.options.afterMs || !this.options.faultsInPlace()) return false;
    this.tripped = true;
    await this.options.trip(idle);
    return true;
  }

  /** Checks every `everyMs` until the signal aborts. */
  async watch(signal: AbortSignal, everyMs = 250): Promise<void> {
    while (!signal.aborted) {
      await this.check().catch(() => undefined);
      await this.options.clock.sleep(everyMs, signal);
    }
  }
}
