import { dockerApi, isDockerNotFound, pingDocker } from './docker-engine.js';
import { boundedCall } from '../network/bounded-call.js';
import { networkRemovalApi, removeNetworkWithEndpoints } from './docker-network.js';
import { PROJECT_NAME } from './labels.js';
import type { DockerObjectSummary, LeftoverActions, LeftoverProbes, MarkedProcess } from './leftovers.js';
import { PROJECT_LABEL } from './platform.js';
import { isAlive, listPids, processArgv, processEnvValue } from './process-identity.js';
import { listLabelledServices, removeLabelledService } from './swarm-leftover-access.js';
import { parseRunOwner, readRunRecords, registryDir, removeRunRecord, RUN_OWNER_ENV, RUN_REGISTRY_ENV, type RunOwner } from './run-registry.js';

/** The leftover probes and actions of this machine: the Docker engine, /proc, signals, Toxiproxy's API and the run registry. */

function summarize(id: string, name: string, labels: Record<string, string> | undefined, state?: string): DockerObjectSummary {
  return { id, name, labels: labels ?? {}, ...(state === undefined ? {} : { state }) };
}

function runOwnerOf(pid: number): RunOwner | undefined {
  return parseRunOwner(processEnvValue(pid, RUN_OWNER_ENV));
}

/** Every live process with RUN_OWNER_ENV in its environment whose run was registered in `registry`, from /proc. */
export function markedProcesses(registry: string = registryDir()): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  for (const pid of listPids()) {
    if (pid === process.pid) continue;
    const owner = runOwnerOf(pid);
    if (owner === undefined || processEnvValue(pid, RUN_REGISTRY_ENV) !== registry) continue;
    const argv = processArgv(pid);
    found.push(argv === undefined ? { pid, owner } : { pid, owner, argv });
  }
  return found;
}

const projectFilter = { label: [`${PROJECT_LABEL}=${PROJECT_NAME}`] };

export const systemLeftoverProbes: LeftoverProbes = {
  dockerAnswers: () => pingDocker(1_000),
  async listContainers() {
    const api = await dockerApi();
    const list = await api.listContainers({ all: true, filters: projectFilter });
    return list.map((c) => summarize(c.Id, (c.Names[0] ?? c.Id).replace(/^\//, ''), c.Labels, c.State));
  },
  async listNetworks() {
    const api = await dockerApi();
    const list = await api.listNetworks({ filters: projectFilter });
    return list.map((n) => summarize(n.Id, n.Name, n.Labels));
  },
  listServices: () => listLabelledServices(),
  readRunRecords: () => readRunRecords(),
  isAlive,
  processArgv,
  markedProcesses: () => markedProcesses(),
  async listProxies(apiUrl) {
    const response = await fetch(`${apiUrl}/proxies`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return [];
    return Object.keys((await response.json()) as Record<string, unknown>);
  },
};

export const systemLeftoverActions: LeftoverActions = {
  async removeContainer(id) {
    const api = await dockerApi();
    // One at a time (the caller's loop), and never waited on forever: a stuck engine fails it instead.
    await boundedCall(
      `remove container ${id}`,
      () =>
        api
          .getContainer(id)
          .remove({ force: true, v: true })
          .catch((error: unknown) => {
            if (!isDockerNotFound(error)) throw error;
          }),
      { timeoutMs: 30_000, tries: 1 },
    );
  },
  async removeNetwork(id) {
    // Its endpoints force-disconnected first: a network the engine says "has active endpoints" goes too.
    await removeNetworkWithEndpoints(networkRemovalApi(await dockerApi()), id);
  },
  readRunRecords: () => readRunRecords(),
  processArgv,
  runOwnerOf,
  kill(pid) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  },
  async deleteProxy(url) {
    // A Toxiproxy that no longer answers took its proxies with it.
    const response = await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (response === undefined) return;
    if (!response.ok && response.status !== 404) throw new Error(`Toxiproxy answered HTTP ${response.status}`);
  },
  removeRunRecord: (runId) => removeRunRecord(runId),
  removeService: (id) => removeLabelledService(id),
};
