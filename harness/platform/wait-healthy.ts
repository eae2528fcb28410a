import { setTimeout as delay } from 'node:timers/promises';

export interface WaitHealthyOptions {
  readonly timeoutMs: number;
  /** When the timeout began (epoch ms), if earlier than this call: the wait ends at `startedAt + timeoutMs`. */
  readonly startedAt?: number;
  readonly intervalMs?: number;
  /** Polled between attempts: a reason to give up early (the process exited), or undefined. */
  readonly gaveUp?: () => Promise<string | undefined> | string | undefined;
  /** Gives up at once when aborted (the run was interrupted). */
  readonly signal?: AbortSignal;
}

export type WaitOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Polls `url` until it answers 2xx. */
export async function waitForHttpOk(url: string, options: WaitHealthyOptions): Promise<WaitOutcome> {
  const deadline = (options.startedAt ?? Date.now()) + options.timeoutMs;
  let last = 'no answer yet';
  const { signal } = options;
  while (Date.now() < deadline) {
    if (signal?.aborted === true) return { ok: false, reason: 'interrupted' };
    const stop = await options.gaveUp?.();
    if (stop !== undefined) return { ok: false, reason: stop };
    try {
      const timeout = AbortSignal.timeout(1_000);
      const response = await fetch(url, { signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]) });
      await response.arrayBuffer();
      if (response.ok) return { ok: true };
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    await delay(options.intervalMs ?? 50, undefined, signal === undefined ? undefined : { signal }).catch(() => undefined);
  }
  if (signal?.aborted === true) return { ok: false, reason: 'interrupted' };
  return { ok: false, reason: `${url} did not answer OK within ${options.timeoutMs} ms (last: ${last})` };
}
