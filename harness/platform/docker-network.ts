import { setTimeout as delay } from 'node:timers/promises';
import { errorMessage } from '../errors.js';
import { boundedCall } from '../network/bounded-call.js';
import { isDockerNotFound, type DockerApi } from './docker-engine.js';
import { RUN_LABEL } from './platform.js';

/** The part of the Docker API a network removal uses (dockerode satisfies it; tests fake it). */
export interface NetworkRemovalApi {
  getNetwork(id: string): {
    inspect(): Promise<{ Labels?: Record<string, string> | null | undefined; Containers?: Record<string, { Name?: string | undefined }> | null | undefined }>;
    disconnect(options: { Container: string; Force: boolean }): Promise<unknown>;
    remove(): Promise<unknown>;
  };
  getContainer(id: string): {
    inspect(): Promise<{ Config?: { Labels?: Record<string, string> | null | undefined } | undefined }>;
    remove(options: { force: boolean; v: boolean }): Promise<unknown>;
  };
}

/** dockerode, seen through NetworkRemovalApi. */
export function networkRemovalApi(api: DockerApi): NetworkRemovalApi {
  return {
    getNetwork(id) {
      const network = api.getNetwork(id);
      return { inspect: () => network.inspect(), disconnect: (options) => network.disconnect(options), remove: () => network.remove() };
    },
    getContainer(id) {
      const container = api.getContainer(id);
      return { inspect: () => container.inspect(), remove: (options) => container.remove(options) };
    },
  };
}

export interface NetworkRemovalOptions {
  /** Attempts in all (each: clear the endpoints, then remove). */
  readonly tries?: number;
  /** Wait before the second attempt; doubled for each further one. */
  readonly retryDelayMs?: number;
  /** Each engine call gives up after this long. */
  readonly callTimeoutMs?: number;
}

const ignoreNotFound = (error: unknown): void => {
  if (!isDockerNotFound(error)) throw error;
};

/**
 * Clears what is still attached to the network: a container of the same run is removed (kill and
 * remove), anything else is disconnected with force; a stale endpoint (its container gone, listed as
 * `ep-...`) is force-disconnected by the name it had. Failures are left to the removal to report.
 */
async function clearEndpoints(api: NetworkRemovalApi, id: string, callTimeoutMs: number): Promise<void> {
  const network = api.getNetwork(id);
  const info = await boundedCall(`inspect network ${id}`, () => network.inspect(), { timeoutMs: callTimeoutMs, tries: 1 });
  const runId = info.Labels?.[RUN_LABEL];
  for (const [endpoint, attached] of Object.entries(info.Containers ?? {})) {
    const container = endpoint.startsWith('ep-') ? (attached.Name ?? endpoint) : endpoint;
    if (!endpoint.startsWith('ep-') && runId !== undefined) {
      const labels = await api
        .getContainer(endpoint)
        .inspect()
        .then((c) => c.Config?.Labels ?? {})
        .catch(() => ({}) as Record<string, string>);
      if (labels[RUN_LABEL] === runId) {
        await boundedCall(`remove container ${attached.Name ?? endpoint}`, () => api.getContainer(endpoint).remove({ force: true, v: true }).catch(ignoreNotFound), {
          timeoutMs: callTimeoutMs,
          tries: 1,
        }).catch(() => undefined);
      }
    }
    await boundedCall(`disconnect ${container} from network ${id}`, () => network.disconnect({ Container: container, Force: true }).catch(ignoreNotFound), {
      timeoutMs: callTimeoutMs,
      tries: 1,
    }).catch(() => undefined);
  }
}

/**
 * Removes a run's network even when the engine says it "has active endpoints": each try first removes
 * the run's containers still on it and force-disconnects every other endpoint, then removes the
 * network; tries again a little later (an endpoint of a container just removed can take a moment to
 * go). Already gone counts as removed. Throws, naming the network and the fix, when it still stays.
 */
export async function removeNetworkWithEndpoints(api: NetworkRemovalApi, id: string, options: NetworkRemovalOptions = {}): Promise<void> {
  const tries = options.tries ?? 4;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  let lastError: unknown;
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    try {
      await clearEndpoints(api, id, callTimeoutMs);
      await boundedCall(`remove network ${id}`, () => api.getNetwork(id).remove(), { timeoutMs: callTimeoutMs, tries: 1 });
      return;
    } catch (error) {
      if (isDockerNotFound(error)) return;
      lastError = error;
    }
    if (attempt < tries) await delay(retryDelayMs * 2 ** (attempt - 1));
  }
  throw new Error(
    `network ${id} was not removed after ${tries} tries (its endpoints force-disconnected each time): ${errorMessage(lastError)}; ` +
      'remove it with `chaos doctor --clean` (or `docker network rm` after `docker network disconnect -f`); if the engine still refuses, restart dockerd',
  );
}
