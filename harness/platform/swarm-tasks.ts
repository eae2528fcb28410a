/** A swarm task as `GET /tasks` lists it (the fields the platform reads). */
export interface SwarmTask {
  readonly ID: string;
  readonly CreatedAt?: string | undefined;
  readonly NodeID?: string | undefined;
  readonly DesiredState?: string | undefined;
  readonly Status?:
    | {
        readonly State?: string | undefined;
        readonly Message?: string | undefined;
        readonly Err?: string | undefined;
        readonly ContainerStatus?: { readonly ContainerID?: string | undefined; readonly ExitCode?: number | undefined } | undefined;
      }
    | undefined;
}

export type TaskProgress =
  | { readonly kind: 'running'; readonly taskId: string; readonly containerId: string; readonly nodeId: string }
  | { readonly kind: 'waiting'; readonly detail: string }
  | { readonly kind: 'failed'; readonly reason: string };

/** States a task never leaves for `running` (swarmkit's TaskState). */
const endedStates = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);

/**
 * An RFC 3339 time as the engine writes it (Go drops trailing zeros of the fraction), with the fraction
 * padded to nanoseconds, so that two of them sort as text.
 */
export function sortableTime(time: string | undefined): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(.*)$/.exec(time ?? '');
  if (match === null) return time ?? '';
  return `${match[1] ?? ''}.${(match[2] ?? '').padEnd(9, '0')}${match[3] ?? ''}`;
}

/** The newest task (by creation time) not among `seen`: the one the last create or update asked for. */
export function newestTask(tasks: readonly SwarmTask[], seen: ReadonlySet<string> = new Set()): SwarmTask | undefined {
  return tasks
    .filter((task) => !seen.has(task.ID))
    .reduce<SwarmTask | undefined>(
      (newest, task) => (newest === undefined || sortableTime(task.CreatedAt) > sortableTime(newest.CreatedAt) ? task : newest),
      undefined,
    );
}

/** Where a task stands on its way to running, from its listed status. */
export function taskProgress(task: SwarmTask | undefined): TaskProgress {
  if (task === undefined) return { kind: 'waiting', detail: 'no task yet' };
  const state = task.Status?.State ?? 'new';
  const said = [task.Status?.Err, task.Status?.Message].find((text) => text !== undefined && text !== '') ?? '';
  const detail = said === '' ? `task ${task.ID} ${state}` : `task ${task.ID} ${state}: ${said}`;
  if (endedStates.has(state)) {
    const code = task.Status?.ContainerStatus?.ExitCode;
    return { kind: 'failed', reason: code === undefined ? detail : `${detail} (exit code ${code})` };
  }
  const containerId = task.Status?.ContainerStatus?.ContainerID ?? '';
  if (state === 'running' && containerId !== '') return { kind: 'running', taskId: task.ID, containerId, nodeId: task.NodeID ?? '' };
  return { kind: 'waiting', detail };
}
