import { readdirSync, readFileSync } from 'node:fs';
import { dockerApi } from '../../../harness/platform/docker-engine.js';
import { listedToxiproxyApi } from '../../../harness/platform/docker-reach.js';
import { HARNESS_LABEL } from '../../../harness/platform/labels.js';
import { RUN_LABEL, ROLE_LABEL } from '../../../harness/platform/platform.js';
import { isAlive } from '../../../harness/platform/process-identity.js';
import { readRunRecords } from '../../../harness/platform/run-registry.js';

/*
 * What one `chaos run` made, learnt while it runs, so that afterwards Docker, the OS and Toxiproxy
 * can be asked whether anything of it remains. Scoped to the run (its harness's identity, its run
 * ids), so other runs on the machine are neither counted nor touched.
 */

interface ProcessRow {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly startTicks: string;
}

/** Every process, from /proc/<pid>/stat (fields after the command: state, ppid, pgrp, ..., starttime). */
export function processTable(): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      rows.push({ pid: Number(entry), ppid: Number(fields[1]), pgrp: Number(fields[2]), startTicks: fields[19] ?? '' });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return rows;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

export class RunTrace {
  harnessPid: number | undefined;
  harnessTicks: string | undefined;
  readonly runIds = new Set<string>();
  /** Processes the harness spawned (Toxiproxy, nodes), with their start ticks. */
  readonly children = new Map<number, string>();
  readonly toxiproxyApis = new Set<string>();
  /** Toxiproxy containers reached by address (not loopback): their API URL's container. */
  private readonly toxiproxyContainers = new Map<string, string>();

  /** `group`: the process group the test spawned the command in (npm, or node itself); `engine`: where the run's nodes live. */
  constructor(
    readonly group: number,
    private readonly registry: string,
    private readonly engine: 'none' | 'docker' | 'swarm',
  ) {}

  private get docker(): boolean {
    return this.engine !== 'none';
  }

  /** One look at the OS, the run registry and (on Docker) the engine. */
  async observe(): Promise<void> {
    const table = processTable();
    if (this.harnessPid === undefined) {
      const harness = table.find((row) => row.pgrp === this.group && commandLine(row.pid).includes('harness/cli.ts'));
      if (harness === undefined) return;
      this.harnessPid = harness.pid;
      this.harnessTicks = harness.startTicks;
    }
    for (const row of table) if (row.ppid === this.harnessPid) this.children.set(row.pid, row.startTicks);
    for (const record of await readRunRecords(this.registry)) {
      if (record.harness.pid !== this.harnessPid) continue;
      this.runIds.add(record.runId);
      if (record.toxiproxyApi !== undefined) this.toxiproxyApis.add(record.toxiproxyApi);
    }
    if (this.docker) await this.observeDocker();
  }

  private get identity(): string | undefined {
    return this.harnessPid === undefined ? undefined : `${this.harnessPid}:${this.harnessTicks}`;
  }

  private async observeDocker(): Promise<void> {
    const identity = this.identity;
    if (identity === undefined) return;
    const api = await dockerApi();
    for (const container of await api.listContainers({ all: true, filters: { label: [`${HARNESS_LABEL}=${identity}`] } })) {
      const runId = container.Labels[RUN_LABEL];
      if (runId !== undefined) this.runIds.add(runId);
      const apiUrl = container.Labels[ROLE_LABEL] === 'toxiproxy' ? listedToxiproxyApi(container) : undefined;
      if (apiUrl !== undefined) this.toxiproxyApis.add(apiUrl);
      if (apiUrl !== undefined && new URL(apiUrl).hostname !== '127.0.0.1') this.toxiproxyContainers.set(apiUrl, container.Id);
    }
  }

  /**
   * Whatever of the run still exists, each as a line saying what and where it was found; [] when nothing.
   * `records: false` leaves the run registry out (a killed run's file there names only dead processes
   * once cleaned; the next run's start prunes it).
   */
  async remains(options: { readonly records?: boolean } = {}): Promise<string[]> {
    const found: string[] = [];
    const table = processTable();
    for (const row of table) if (row.pgrp === this.group) found.push(`process ${row.pid} (${commandLine(row.pid)}) still in the command's process group`);
    for (const [pid, startTicks] of this.children) {
      // isAlive: the same process (start time), not a zombie (killed, waiting for a parent that may never reap it).
      if (isAlive({ pid, startTicks })) found.push(`process ${pid} (${commandLine(pid)}) the harness started is alive`);
    }
    for (const row of table) {
      const line = commandLine(row.pid);
      for (const runId of this.runIds) if (line.includes(`--chaos-run=${runId}`)) found.push(`node process ${row.pid} of run ${runId} is alive`);
    }
    for (const record of options.records === false ? [] : await readRunRecords(this.registry)) {
      if (this.runIds.has(record.runId) || record.harness.pid === this.harnessPid) found.push(`run record ${record.runId} is still registered`);
    }
    found.push(...(await this.dockerRemains()), ...(await this.toxiproxyRemains()));
    return found;
  }

  private async dockerRemains(): Promise<string[]> {
    if (!this.docker) return [];
    const api = await dockerApi();
    const filters = [...this.runIds].map((runId) => `${RUN_LABEL}=${runId}`);
    if (this.identity !== undefined) filters.push(`${HARNESS_LABEL}=${this.identity}`);
    const found: string[] = [];
    for (const label of filters) {
      const containers = await api.listContainers({ all: true, filters: { label: [label] } });
      const networks = await api.listNetworks({ filters: { label: [label] } });
      const services = this.engine === 'swarm' ? await api.listServices({ filters: { label: [label] } }) : [];
      found.push(...services.map((service) => `service ${service.Spec?.Name ?? service.ID} labelled ${label}`));
      found.push(...containers.map((c) => `container ${c.Names[0] ?? c.Id} (${c.State}) labelled ${label}`));
      found.push(...networks.map((n) => `network ${n.Name} labelled ${label}`));
    }
    return [...new Set(found)];
  }

  /** Proxies (and with them toxics) of the run that a Toxiproxy it used still holds; a server that does not answer holds none. */
  private async toxiproxyRemains(): Promise<string[]> {
    const found: string[] = [];
    for (const apiUrl of this.toxiproxyApis) {
      // A Toxiproxy reached by address is asked only while its container runs: once its network is gone,
      // that address routes off the host. A removed container holds no proxies.
      const containerId = this.toxiproxyContainers.get(apiUrl);
      if (containerId !== undefined && !(await this.containerRunning(containerId))) continue;
      const proxies = await fetch(`${apiUrl}/proxies`, { signal: AbortSignal.timeout(2_000) })
        .then(async (response) => (response.ok ? Object.keys((await response.json()) as Record<string, unknown>) : []))
        .catch(() => []);
      for (const name of proxies) {
        if ([...this.runIds].some((runId) => name.startsWith(`${runId}.`))) found.push(`proxy ${name} on ${apiUrl}`);
      }
    }
    return found;
  }

  private async containerRunning(id: string): Promise<boolean> {
    const api = await dockerApi();
    return api
      .getContainer(id)
      .inspect()
      .then((inspect) => inspect.State.Running, () => false);
  }
}
