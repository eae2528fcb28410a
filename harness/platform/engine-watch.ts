import { request } from 'node:http';
import { ChaosError } from '../errors.js';
import { unboundedController } from '../lifecycle/owner.js';
import { unlessAborted } from '../lifecycle/unless-aborted.js';
import { engineAddress } from './docker-engine.js';

/**
 * How long the engine may leave its network list unanswered before a run counts it as gone. Under a
 * restart storm's teardown the list answers within a second or two here; a deadlocked libnetwork
 * (moby/moby#42545) never answers.
 */
export const ENGINE_SILENCE_BOUND_MS = 30_000;
const probeIntervalMs = 2_000;
export const ENGINE_BOUND_ENV = 'SUPERNODE_CHAOS_ENGINE_BOUND_MS';

/** The bound SUPERNODE_CHAOS_ENGINE_BOUND_MS sets (at least 3 s), or the default when unset. */
export function engineBoundFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = env[ENGINE_BOUND_ENV];
  if (value === undefined || value === '') return ENGINE_SILENCE_BOUND_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 3_000) {
    throw new ChaosError('INVALID_CONFIG', `${ENGINE_BOUND_ENV}=${value} is not a whole number of milliseconds of at least 3000`, {
      hint: `unset it (default ${ENGINE_SILENCE_BOUND_MS} ms) or set a bound such as 30000`,
    });
  }
  return ms;
}

export const engineRestartHint =
  'restart dockerd (`systemctl restart docker`, or where `npm run setup` started it: `kill -9 $(cat /var/run/docker.pid)`, then `npm run setup`), ' +
  'then `chaos doctor --clean` removes what the run left behind';

export function engineNotAnswering(silentMs: number, what: string): ChaosError {
  return new ChaosError('ENGINE_NOT_ANSWERING', `Docker engine not answering: ${what} had no answer for ${Math.round(silentMs / 1_000)} s`, {
    hint: engineRestartHint,
  });
}

export interface EngineWatch {
  /** Aborted, with ENGINE_NOT_ANSWERING as its reason, once the engine has been silent past the bound. */
  readonly lost: AbortSignal;
  stop(): void;
}

export interface EngineWatchOptions {
  /** Resolves when the engine answered; rejects (or never settles) otherwise. */
  readonly probe: () => Promise<void>;
  /** What the probe asks, for the message. */
  readonly what: string;
  readonly boundMs?: number;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/**
 * Asks the engine a cheap question every few seconds, one at a time, and gives up on it once no
 * answer has come for `boundMs`: every later engine call of the run can then fail at once instead of
 * waiting on an engine that will not answer.
 */
export function watchEngine(options: EngineWatchOptions): EngineWatch {
  const boundMs = options.boundMs ?? ENGINE_SILENCE_BOUND_MS;
  const now = options.now ?? Date.now;
  const controller = unboundedController();
  let lastAnswer = now();
  let asking = false;
  const check = (): void => {
    if (controller.signal.aborted) return;
    const silent = now() - lastAnswer;
    if (silent > boundMs) {
      controller.abort(engineNotAnswering(silent, options.what));
      clearInterval(timer);
      return;
    }
    if (asking) return;
    asking = true;
    options.probe().then(
      () => {
        asking = false;
        lastAnswer = now();
      },
      () => {
        asking = false;
      },
    );
  };
  const timer = setInterval(check, options.intervalMs ?? probeIntervalMs);
  timer.unref();
  return {
    lost: controller.signal,
    stop: () => clearInterval(timer),
  };
}

/** `GET /networks` (filtered to one name): the engine's network list, the call a libnetwork deadlock blocks. */
export function listNetworksProbe(networkName: string, timeoutMs = ENGINE_SILENCE_BOUND_MS, env: NodeJS.ProcessEnv = process.env): () => Promise<void> {
  const path = `/networks?filters=${encodeURIComponent(JSON.stringify({ name: [networkName] }))}`;
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ ...engineAddress(env), path, method: 'GET', timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET /networks: HTTP ${res.statusCode ?? '?'}`))));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('GET /networks: timeout')));
      req.on('error', reject);
      req.end();
    });
}

/** `call`, or the engine's loss as soon as `lost` aborts (the call itself is left to its own timeout). */
export function unlessEngineLost<T>(lost: AbortSignal, call: () => Promise<T>): Promise<T> {
  return unlessAborted(lost, call);
}
