import { setTimeout as delay } from 'node:timers/promises';

export interface WaitHealthyOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Polled between attempts: a reason to give up early (the process exited), or undefined. */
  readonly gaveUp?: () => Promise<string | undefined> | string | undefined;
}

export type WaitOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Polls `url` until it answers 2xx. */
export async function waitForHttpOk(url: string, options: WaitHealthyOptions): Promise<WaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const stop = await options.gaveUp?.();
    if (stop !== undefined) return { ok: false, reason: stop };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return { ok: true };
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    await delay(options.intervalMs ?? 50);
  }
  return { ok: false, reason: `${url} did not answer OK within ${options.timeoutMs} ms (last: ${last})` };
}
