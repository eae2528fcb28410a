import { basename } from 'node:path';
import { errorMessage } from '../errors.js';
import { boundedCall } from '../network/bounded-call.js';
import { HARNESS_LABEL, PROJECT_NAME } from './labels.js';
import { PROJECT_LABEL, RUN_LABEL } from './platform.js';
import { isAlive, parseIdentity, processArgv, type ProcessIdentity } from './process-identity.js';
import { readRunRecords, removeRunRecord, type RunOwner, type RunRecord } from './run-registry.js';
import { markedProcesses, systemLeftoverActions, systemLeftoverProbes } from './system-leftover-access.js';

export interface Leftover {
  readonly kind: 'container' | 'network' | 'process' | 'proxy' | 'service';
  readonly id: string;
  readonly runId: string;
  readonly description: string;
}

export interface DockerObjectSummary {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state?: string;
}

/** A live process whose environment says which run and harness started it (RUN_OWNER_ENV). */
export interface MarkedProcess {
  readonly pid: number;
  readonly owner: RunOwner;
  readonly argv?: readonly string[];
}

/** Everything leftovers need from the outside world, so the decisions can be tested with fakes. */
export interface LeftoverProbes {
  dockerAnswers(): Promise<boolean>;
  listContainers(): Promise<readonly DockerObjectSummary[]>;
  listNetworks(): Promise<readonly DockerObjectSummary[]>;
  readRunRecords(): Promise<readonly RunRecord[]>;
  isAlive(identity: ProcessIdentity): boolean;
  processArgv(pid: number): readonly string[] | undefined;
  /** Every live process that carries RUN_OWNER_ENV. */
  markedProcesses(): readonly MarkedProcess[];
  listProxies(apiUrl: string): Promise<readonly string[]>;
  /** Labelled swarm services (none when the engine is no swarm manager); absent, services are not asked for. */
  listServices?(): Promise<readonly DockerObjectSummary[]>;
}

export interface LeftoverActions {
  removeContainer(id: string): Promise<void>;
  removeNetwork(id: string): Promise<void>;
  readRunRecords(): Promise<readonly RunRecord[]>;
  processArgv(pid: number): readonly string[] | undefined;
  /** The RUN_OWNER_ENV of a live process, to check that a pid is still the process found. */
  runOwnerOf(pid: number): RunOwner | undefined;
  kill(pid: number): void;
  deleteProxy(url: string): Promise<void>;
  removeRunRecord(runId: string): Promise<void>;
  /** Removes a swarm service and waits until its containers are gone; absent, service leftovers stay. */
  removeService?(id: string): Promise<void>;
}

function harnessGone(labels: Readonly<Record<string, string>>, alive: (identity: ProcessIdentity) => boolean): boolean {
  const harness = parseIdentity(labels[HARNESS_LABEL]);
  return harness === undefined || !alive(harness);
}

/** Labelled engine objects of one kind whose harness is gone. */
function labelledLeftovers(
  kind: 'container' | 'network' | 'service',
  objects: readonly DockerObjectSummary[],
  alive: (identity: ProcessIdentity) => boolean,
  excludeRunId?: string,
): Leftover[] {
  return objects
    .filter((o) => o.labels[PROJECT_LABEL] === PROJECT_NAME)
    .filter((o) => excludeRunId === undefined || o.labels[RUN_LABEL] !== excludeRunId)
    .filter((o) => harnessGone(o.labels, alive))
    .map((o) => ({
      kind,
      id: o.id,
      runId: o.labels[RUN_LABEL] ?? '?',
      description: `${kind} ${o.name}${o.state === undefined ? '' : ` (${o.state})`}`,
    }));
}

/** Labelled containers and networks whose harness is gone. */
export function dockerLeftovers(
  containers: readonly DockerObjectSummary[],
  networks: readonly DockerObjectSummary[],
  alive: (identity: ProcessIdentity) => boolean,
  excludeRunId?: string,
): Leftover[] {
  return [...labelledLeftovers('container', containers, alive, excludeRunId), ...labelledLeftovers('network', networks, alive, excludeRunId)];
}

/** Labelled swarm services whose harness is gone (their tasks' containers carry the same labels). */
export function serviceLeftovers(services: readonly DockerObjectSummary[], alive: (identity: ProcessIdentity) => boolean, excludeRunId?: string): Leftover[] {
  return labelledLeftovers('service', services, alive, excludeRunId);
}

export function sameArgv(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((arg, i) => arg === b[i]);
}

/**
 * Processes of local runs whose harness is gone: those whose registered pid still runs the registered
 * argv, and those whose environment names such a run (a harness killed during a spawn, before its
 * record named the new pid; or a record removed), registered or not.
 */
export function processLeftovers(
  records: readonly RunRecord[],
  marked: readonly MarkedProcess[],
  alive: (identity: ProcessIdentity) => boolean,
  argvOf: (pid: number) => readonly string[] | undefined,
  excludeRunId?: string,
): Leftover[] {
  const registered = records
    .filter((r) => r.runId !== excludeRunId && !alive(r.harness))
    .flatMap((r) =>
      r.processes
        .filter((p) => sameArgv(argvOf(p.pid), p.argv))
        .map((p) => ({ kind: 'process' as const, id: String(p.pid), runId: r.runId, description: `${p.kind} ${p.name} (pid ${p.pid})` })),
    );
  const found = new Set(registered.map((l) => l.id));
  const unregistered = marked
    .filter((m) => m.owner.runId !== excludeRunId && !found.has(String(m.pid)) && !alive(m.owner.harness))
    .map((m) => {
      const entry = records.find((r) => r.runId === m.owner.runId)?.processes.find((p) => m.argv !== undefined && sameArgv(m.argv, p.argv));
      const what = entry === undefined ? `process ${basename(m.argv?.[0] ?? '?')}` : `${entry.kind} ${entry.name}`;
      return { kind: 'process' as const, id: String(m.pid), runId: m.owner.runId, description: `${what} (pid ${m.pid}, not in its run record)` };
    });
  return [...registered, ...unregistered];
}

const engineListTimeoutMs = 15_000;

export async function findLeftoversWith(probes: LeftoverProbes, options: { readonly excludeRunId?: string } = {}): Promise<Leftover[]> {
  const found: Leftover[] = [];
  const records = await probes.readRunRecords();
  const processes = processLeftovers(records, probes.markedProcesses(), probes.isAlive, probes.processArgv, options.excludeRunId);
  for (const record of records) {
    const toxiproxyAlive = record.processes.some(
      (p) => p.kind === 'toxiproxy' && processes.some((l) => l.runId === record.runId && l.id === String(p.pid)),
    );
    if (!toxiproxyAlive || record.toxiproxyApi === undefined) continue;
    const names = await probes.listProxies(record.toxiproxyApi).catch(() => []);
    for (const name of names) {
      found.push({
        kind: 'proxy',
        id: `${record.toxiproxyApi}/proxies/${encodeURIComponent(name)}`,
        runId: record.runId,
        description: `proxy ${name}`,
      });
    }
  }
  found.push(...processes);
  if (await probes.dockerAnswers()) {
    try {
      // A stuck engine answers its ping but never its lists: give up on them rather than wait forever.
      const listed = (what: string, list: () => Promise<readonly DockerObjectSummary[]>) => boundedCall(`list ${what}`, list, { timeoutMs: engineListTimeoutMs, tries: 1 });
      const listServices = probes.listServices?.bind(probes);
      const [services, containers, networks] = await Promise.all([
        listServices === undefined ? [] : listed('services', listServices),
        listed('containers', () => probes.listContainers()),
        listed('networks', () => probes.listNetworks()),
      ]);
      // Services first: removing one removes its containers, and the network is free once they are gone.
      found.push(...serviceLeftovers(services, probes.isAlive, options.excludeRunId));
      found.push(...dockerLeftovers(containers, networks, probes.isAlive, options.excludeRunId));
    } catch {
      // An engine that answers the ping but fails the listing: report nothing rather than throw.
    }
  }
  return found;
}

export async function removeLeftoversWith(actions: LeftoverActions, leftovers: readonly Leftover[]): Promise<string[]> {
  const failures: string[] = [];
  const order: Leftover['kind'][] = ['proxy', 'process', 'service', 'container', 'network'];
  const records = await actions.readRunRecords();
  for (const kind of order) {
    for (const leftover of leftovers.filter((l) => l.kind === kind)) {
      try {
        if (kind === 'proxy') await actions.deleteProxy(leftover.id);
        if (kind === 'service') {
          if (actions.removeService === undefined) throw new Error('swarm services cannot be removed here');
          await actions.removeService(leftover.id);
        }
        if (kind === 'container') await actions.removeContainer(leftover.id);
        if (kind === 'network') await actions.removeNetwork(leftover.id);
        if (kind === 'process') {
          const pid = Number(leftover.id);
          const registered = records.find((r) => r.runId === leftover.runId)?.processes.find((p) => p.pid === pid);
          // Still the process found (a pid can be reused meanwhile): its registered argv, or its run in its environment.
          const stillIt = (registered !== undefined && sameArgv(actions.processArgv(pid), registered.argv)) || actions.runOwnerOf(pid)?.runId === leftover.runId;
          if (stillIt) actions.kill(pid);
        }
      } catch (error) {
        failures.push(`${leftover.description} of run ${leftover.runId}: ${errorMessage(error)}`);
      }
    }
  }
  const touchedRuns = new Set(leftovers.filter((l) => l.kind === 'process').map((l) => l.runId));
  for (const runId of touchedRuns) await actions.removeRunRecord(runId).catch(() => undefined);
  return failures;
}

/** Docker objects (swarm services among them) and local processes of earlier runs whose harness is gone. Never throws. */
export async function findLeftovers(options: { readonly excludeRunId?: string } = {}): Promise<Leftover[]> {
  try {
    return await findLeftoversWith(systemLeftoverProbes, options);
  } catch {
    return [];
  }
}

/** Removes the given leftovers (proxies, processes, services, containers, then networks); returns failure messages. */
export async function removeLeftovers(leftovers: readonly Leftover[]): Promise<string[]> {
  return removeLeftoversWith(systemLeftoverActions, leftovers);
}

/**
 * Removes what dead earlier runs left behind, and their run records once none of their processes
 * runs (by registered pid or by environment). Called at each platform start.
 */
export async function cleanEarlierRuns(currentRunId: string): Promise<string[]> {
  const leftovers = await findLeftovers({ excludeRunId: currentRunId });
  const failures = await removeLeftovers(leftovers);
  const records = await readRunRecords().catch(() => []);
  const marked = markedProcesses();
  for (const record of records) {
    if (record.runId === currentRunId || isAlive(record.harness)) continue;
    if (record.processes.some((p) => sameArgv(processArgv(p.pid), p.argv))) continue;
    if (marked.some((m) => m.owner.runId === record.runId && isAlive({ pid: m.pid }))) continue;
    await removeRunRecord(record.runId).catch(() => undefined);
  }
  return failures;
}
