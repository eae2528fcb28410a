import { errorMessage } from '../errors.js';
import { dockerApi, pingDocker } from '../platform/docker-engine.js';
import { listedToxiproxyApi } from '../platform/docker-reach.js';
import { PROJECT_NAME } from '../platform/labels.js';
import { sameArgv } from '../platform/leftovers.js';
import { PROJECT_LABEL, ROLE_LABEL, RUN_LABEL } from '../platform/platform.js';
import { isAlive, processArgv, type ProcessIdentity } from '../platform/process-identity.js';
import { readRunRecords } from '../platform/run-registry.js';
import { readFileSync } from 'node:fs';
import { readRehearsalRecords, type RehearsalRecord } from './rehearsal-registry.js';

/**
 * `chaos heal`: the machine-wide kill switch. It removes every fault of every harness on this
 * machine, whoever started it: first it asks each running rehearsal to heal through its own
 * executor (so its history says why), then it sweeps every Toxiproxy a run registered (local runs)
 * or labelled (Docker runs, reached by published port or by address): every toxic removed, every
 * disabled proxy enabled; paused nodes resumed.
 */

export interface ToxicState {
  readonly name: string;
  readonly type: string;
}

export interface ProxyState {
  readonly name: string;
  readonly enabled: boolean;
  readonly toxics: readonly ToxicState[];
}

export interface ToxiproxyTarget {
  readonly api: string;
  readonly runId: string;
}

export interface PausedThing {
  readonly id: string;
  readonly name: string;
  readonly runId: string;
}

/** Everything the kill switch touches, so what it decides can be tested with fakes. */
export interface KillSwitchWorld {
  rehearsals(): Promise<readonly RehearsalRecord[]>;
  isAlive(identity: ProcessIdentity): boolean;
  /** Asks a rehearsal to heal everything; returns its reply. */
  pullRehearsal(record: RehearsalRecord, caller: string): Promise<{ ok: boolean; message: string }>;
  toxiproxies(): Promise<readonly ToxiproxyTarget[]>;
  proxies(api: string): Promise<readonly ProxyState[]>;
  removeToxic(api: string, proxy: string, toxic: string): Promise<void>;
  enableProxy(api: string, proxy: string): Promise<void>;
  /** Nodes of local runs stopped with SIGSTOP, and paused containers of Docker runs. */
  paused(): Promise<readonly PausedThing[]>;
  resume(thing: PausedThing): Promise<void>;
}

export interface KillSwitchReport {
  /** One line per thing removed or resumed, and per rehearsal asked. */
  readonly lines: readonly string[];
  /** Faults removed: toxics, proxies enabled, nodes resumed (the rehearsals' own count apart). */
  readonly removed: number;
  readonly failures: readonly string[];
}

export async function pullKillSwitch(world: KillSwitchWorld, caller: string): Promise<KillSwitchReport> {
  const lines: string[] = [];
  const failures: string[] = [];
  let removed = 0;
  for (const record of await world.rehearsals()) {
    if (!world.isAlive(record.harness)) continue;
    try {
      const reply = await world.pullRehearsal(record, caller);
      const body = reply.message.split('\n').map((line) => `  ${line}`).join('\n');
      lines.push(`rehearsal ${record.scenario} (${record.architecture}, pid ${record.harness.pid}):\n${body}`);
      if (!reply.ok) failures.push(`rehearsal pid ${record.harness.pid}: ${reply.message}`);
    } catch (error) {
      failures.push(`rehearsal pid ${record.harness.pid} at ${record.url}: ${errorMessage(error)}`);
    }
  }
  for (const target of await world.toxiproxies()) {
    let proxies: readonly ProxyState[];
    try {
      proxies = await world.proxies(target.api);
    } catch (error) {
      failures.push(`Toxiproxy ${target.api} of run ${target.runId}: ${errorMessage(error)}`);
      continue;
    }
    for (const proxy of proxies) {
      for (const toxic of proxy.toxics) {
        try {
          await world.removeToxic(target.api, proxy.name, toxic.name);
          removed += 1;
          lines.push(`removed ${toxic.type} toxic ${toxic.name} from ${proxy.name} (run ${target.runId})`);
        } catch (error) {
          failures.push(`toxic ${toxic.name} on ${proxy.name}: ${errorMessage(error)}`);
        }
      }
      if (!proxy.enabled) {
        try {
          await world.enableProxy(target.api, proxy.name);
          removed += 1;
          lines.push(`brought ${proxy.name} back up (run ${target.runId})`);
        } catch (error) {
          failures.push(`enable ${proxy.name}: ${errorMessage(error)}`);
        }
      }
    }
  }
  for (const thing of await world.paused()) {
    try {
      await world.resume(thing);
      removed += 1;
      lines.push(`resumed ${thing.name} (run ${thing.runId})`);
    } catch (error) {
      failures.push(`resume ${thing.name}: ${errorMessage(error)}`);
    }
  }
  return { lines, removed, failures };
}

export function renderKillSwitchReport(report: KillSwitchReport): string {
  const out = [...report.lines];
  out.push(report.removed === 0 && report.lines.length === 0 ? 'nothing to heal: no fault in place on this machine' : `kill switch: ${report.removed} fault${report.removed === 1 ? '' : 's'} removed from Toxiproxy and nodes directly`);
  for (const failure of report.failures) out.push(`failed: ${failure}`);
  return out.join('\n');
}

const timeout = (): AbortSignal => AbortSignal.timeout(3_000);

async function toxiproxyJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, signal: timeout() });
  if (!response.ok && response.status !== 404) throw new Error(`Toxiproxy answered HTTP ${response.status} to ${init?.method ?? 'GET'} ${url}`);
  return (response.status === 204 || response.status === 404 ? undefined : await response.json()) as T;
}

function stoppedState(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[Tt]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/**
 * The machine as it is: the run and rehearsal registries, their Toxiproxy APIs, and (unless
 * `docker` is false) the Docker engine's labelled Toxiproxy containers and paused containers.
 */
export function systemKillSwitchWorld(options: { readonly docker: boolean } = { docker: true }): KillSwitchWorld {
  const dockerAnswers = async (): Promise<boolean> => options.docker && (await pingDocker(1_000));
  return {
  rehearsals: () => readRehearsalRecords(),
  isAlive,
  async pullRehearsal(record, caller) {
    const response = await fetch(`${record.url}/api/heal-all`, {
      method: 'POST',
      headers: { authorization: `Bearer ${record.killSwitchToken}`, 'x-chaos-caller': caller },
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json().catch(() => ({}))) as { ok?: unknown; message?: unknown };
    return { ok: response.ok && body.ok !== false, message: typeof body.message === 'string' ? body.message : `HTTP ${response.status}` };
  },
  async toxiproxies() {
    const targets: ToxiproxyTarget[] = [];
    for (const record of await readRunRecords()) {
      if (record.toxiproxyApi !== undefined) targets.push({ api: record.toxiproxyApi, runId: record.runId });
    }
    if (await dockerAnswers()) {
      try {
        const api = await dockerApi();
        const containers = await api.listContainers({ filters: { label: [`${PROJECT_LABEL}=${PROJECT_NAME}`, `${ROLE_LABEL}=toxiproxy`], status: ['running'] } });
        for (const container of containers) {
          const apiUrl = listedToxiproxyApi(container);
          if (apiUrl !== undefined) targets.push({ api: apiUrl, runId: container.Labels[RUN_LABEL] ?? '?' });
        }
      } catch {
        // An engine that answers the ping but fails the listing: its runs are left to chaos doctor.
      }
    }
    return targets;
  },
  async proxies(api) {
    const listed = (await toxiproxyJson<Record<string, { name: string; enabled: boolean; toxics?: { name: string; type: string }[] }>>(`${api}/proxies`).catch((error: unknown) => {
      // A Toxiproxy that no longer answers took its toxics with it.
      if (/fetch failed|ECONNREFUSED|aborted|timeout/i.test(errorMessage(error))) return {};
      throw error;
    })) ?? {};
    return Object.values(listed).map((proxy) => ({ name: proxy.name, enabled: proxy.enabled, toxics: (proxy.toxics ?? []).map((t) => ({ name: t.name, type: t.type })) }));
  },
  async removeToxic(api, proxy, toxic) {
    await toxiproxyJson(`${api}/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`, { method: 'DELETE' });
  },
  async enableProxy(api, proxy) {
    await toxiproxyJson(`${api}/proxies/${encodeURIComponent(proxy)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true }) });
  },
  async paused() {
    const found: PausedThing[] = [];
    for (const record of await readRunRecords()) {
      for (const registered of record.processes) {
        if (registered.kind === 'node' && sameArgv(processArgv(registered.pid), registered.argv) && stoppedState(registered.pid)) {
          found.push({ id: `pid:${registered.pid}`, name: `node ${registered.name} (pid ${registered.pid})`, runId: record.runId });
        }
      }
    }
    if (await dockerAnswers()) {
      try {
        const api = await dockerApi();
        const containers = await api.listContainers({ filters: { label: [`${PROJECT_LABEL}=${PROJECT_NAME}`], status: ['paused'] } });
        for (const c of containers) found.push({ id: `container:${c.Id}`, name: `container ${(c.Names[0] ?? c.Id).replace(/^\//, '')}`, runId: c.Labels[RUN_LABEL] ?? '?' });
      } catch {
        // as above
      }
    }
    return found;
  },
  async resume(thing) {
    if (thing.id.startsWith('pid:')) {
      process.kill(Number(thing.id.slice(4)), 'SIGCONT');
      return;
    }
    const api = await dockerApi();
    await api.getContainer(thing.id.slice('container:'.length)).unpause();
  },
};
}

