import type { NodeRuntimeState } from './platform.js';

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
        /** The ports published in host mode, as the node that runs the task bound them. */
        readonly PortStatus?: { readonly Ports?: readonly { readonly TargetPort?: number; readonly PublishedPort?: number }[] | null | undefined } | undefined;
      }
    | undefined;
}

export type TaskProgress =
  | {
      readonly kind: 'running';
      readonly taskId: string;
      readonly containerId: string;
      readonly nodeId: string;
      /** Container port to the port published on the task's node (host mode), as the swarm reports them; absent when it reports none. */
      readonly ports?: Readonly<Record<number, number>>;
    }
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
  if (state === 'running' && containerId !== '') {
    const ports = publishedPorts(task);
    return { kind: 'running', taskId: task.ID, containerId, nodeId: task.NodeID ?? '', ...(ports === undefined ? {} : { ports }) };
  }
  return { kind: 'waiting', detail };
}

function publishedPorts(task: SwarmTask): Record<number, number> | undefined {
  const entries = (task.Status?.PortStatus?.Ports ?? []).flatMap((port) =>
    port.TargetPort === undefined || port.PublishedPort === undefined || port.PublishedPort === 0 ? [] : [[port.TargetPort, port.PublishedPort] as const],
  );
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/**
 * A node's state from its task as the swarm reports it, for a task on a node whose engine the harness
 * does not talk to: running until the task ends, then exited with its container's exit code. A paused
 * container still reads running.
 */
export function taskRunState(task: SwarmTask | undefined): NodeRuntimeState {
  const state = task?.Status?.State ?? 'orphaned';
  if (!endedStates.has(state)) return { state: 'running' };
  const code = task?.Status?.ContainerStatus?.ExitCode;
  return code === undefined ? { state: 'exited' } : { state: 'exited', exitCode: code };
}
