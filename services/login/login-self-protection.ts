import type { Clock } from '../common/clock.js';
import { exitForSelfProtection, type ProcessHooks } from '../common/process-hooks.js';
import { SaturationWatch } from './saturation-watch.js';

export interface LoginShutdown {
  readonly name: string;
  readonly hooks: ProcessHooks;
  /** Stops answering and turns every connection away. */
  readonly stop: () => void;
}

/**
 * Login's self-protection: once its directory has refused requests for the grace period, it stops
 * answering and exits 75 (`NodeExitCode.selfProtection`), the code of an overloaded supernode, so
 * the harness records an overload, not a failure, and restarts it.
 */
export class LoginSelfProtection {
  private readonly watch: SaturationWatch;
  private ended = false;

  constructor(
    graceMs: number,
    clock: Clock,
    private readonly shutdown: LoginShutdown,
  ) {
    this.watch = new SaturationWatch(clock, graceMs);
  }

  get shuttingDown(): boolean {
    return this.ended;
  }

  /** The directory refused a request: shuts login down once the refusals have lasted the grace period. */
  refused(): void {
    if (this.ended || !this.watch.refused()) return;
    this.ended = true;
    const reason = `directory refusing requests (queue full) for ${Math.round(this.watch.saturatedForMs())} ms`;
    const { name, hooks, stop } = this.shutdown;
    stop();
    exitForSelfProtection(name, hooks, reason);
  }
}
