import type { DockerApi } from '../../harness/platform/docker-engine.js';
import { HARNESS_LABEL, PROJECT_NAME } from '../../harness/platform/labels.js';
import { PROJECT_LABEL, ROLE_LABEL, RUN_LABEL } from '../../harness/platform/platform.js';
import { parseIdentity } from '../../harness/platform/process-identity.js';

/** The running containers of one `chaos run`, found by the labels the Docker platform puts on each. */

export interface RunContainer {
  /** The full 64-hex id: the name of its cgroup. */
  readonly id: string;
  readonly name: string;
  /** `login`, `supernode`, `offline-messages`, `client-fleet`, `toxiproxy`; undefined for a container without the label. */
  readonly role: string | undefined;
  readonly runId: string | undefined;
  /** The pid of the harness process that started it. */
  readonly harnessPid: number | undefined;
}

/** The parts of the engine's container listing read here. */
export interface ListedContainer {
  readonly Id: string;
  readonly Names?: readonly string[];
  readonly Labels?: Readonly<Record<string, string>>;
}

export function runContainerOf(listed: ListedContainer): RunContainer {
  const labels = listed.Labels ?? {};
  return {
    id: listed.Id,
    name: (listed.Names?.[0] ?? listed.Id.slice(0, 12)).replace(/^\//, ''),
    role: labels[ROLE_LABEL],
    runId: labels[RUN_LABEL],
    harnessPid: parseIdentity(labels[HARNESS_LABEL])?.pid,
  };
}

/** The run id of the first container one of `harnessPids` started: other runs on the same engine are someone else's. */
export function runStartedBy(containers: readonly RunContainer[], harnessPids: ReadonlySet<number>): string | undefined {
  return containers.find((container) => container.runId !== undefined && container.harnessPid !== undefined && harnessPids.has(container.harnessPid))?.runId;
}

/** Running containers of this project; of one run only when `runId` is given. */
export async function listRunContainers(api: DockerApi, runId?: string): Promise<RunContainer[]> {
  const label = [`${PROJECT_LABEL}=${PROJECT_NAME}`, ...(runId === undefined ? [] : [`${RUN_LABEL}=${runId}`])];
  const listed = await api.listContainers({ filters: { label } });
  return listed.map(runContainerOf);
}
