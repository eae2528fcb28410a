import type { DockerApi } from '../../harness/platform/docker-engine.js';
import { readContainerUsage, resolveContainerCgroup, type CgroupVersion, type ContainerCgroup } from './container-cgroup.js';
import type { ContainerReading, CostSample } from './container-cost-summary.js';
import { descendantsOf, readAllProcessTicks, readMachineTicks } from './proc-stat.js';
import { listRunContainers, runStartedBy, type RunContainer } from './run-containers.js';

/**
 * Samples of the containers of the run a given process started (the bench's child, `npx chaos run`,
 * or a process below it): until the first of them appears, every project container is listed and
 * the run is recognised by the pid of the harness that labelled it; then only that run's.
 */
export class ContainerCostSampler {
  private runId: string | undefined;
  private readonly cgroups = new Map<string, ContainerCgroup>();
  private readonly versionsSeen = new Set<CgroupVersion>();
  private unread = 0;
  private readonly taken: CostSample[] = [];

  constructor(
    private readonly api: DockerApi,
    private readonly runRootPid: number,
  ) {}

  async sample(): Promise<CostSample> {
    const containers = (await this.containersOfTheRun()).filter((container): container is RunContainer & { role: string } => container.role !== undefined);
    const atMs = Date.now();
    const [machine, readings] = await Promise.all([readMachineTicks(), Promise.all(containers.map((container) => this.read(container)))]);
    const sample = { atMs, machine, containers: readings.filter((reading): reading is ContainerReading => reading !== undefined) };
    this.taken.push(sample);
    return sample;
  }

  samples(): readonly CostSample[] {
    return this.taken;
  }

  run(): string | undefined {
    return this.runId;
  }

  unreadReadings(): number {
    return this.unread;
  }

  cgroupVersions(): CgroupVersion[] {
    return [...this.versionsSeen].sort();
  }

  private async containersOfTheRun(): Promise<RunContainer[]> {
    if (this.runId !== undefined) return listRunContainers(this.api, this.runId);
    const all = await listRunContainers(this.api);
    if (all.length === 0) return [];
    const ours = new Set([this.runRootPid, ...descendantsOf(this.runRootPid, await readAllProcessTicks()).map((process) => process.pid)]);
    this.runId = runStartedBy(all, ours);
    return this.runId === undefined ? [] : all.filter((container) => container.runId === this.runId);
  }

  private async read(container: RunContainer & { role: string }): Promise<ContainerReading | undefined> {
    const cgroup = this.cgroups.get(container.id) ?? (await resolveContainerCgroup(container.id));
    const usage = cgroup === undefined ? undefined : await readContainerUsage(cgroup);
    if (cgroup === undefined || usage === undefined) {
      this.cgroups.delete(container.id);
      this.unread += 1;
      return undefined;
    }
    this.cgroups.set(container.id, cgroup);
    this.versionsSeen.add(cgroup.version);
    return { id: container.id, role: container.role, ...usage };
  }
}
