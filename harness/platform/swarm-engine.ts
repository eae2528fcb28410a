import { setTimeout as delay } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { ChaosError, errorMessage } from '../errors.js';
import { boundedCall } from '../network/bounded-call.js';
import { isDockerNoop, isDockerNotFound, type DockerApi } from './docker-engine.js';
import { swarmMembershipOf, type SwarmInfo, type SwarmMembership } from './swarm-membership.js';
import type { SwarmNodeInfo } from './swarm-placement.js';
import { withForcedUpdate, type SwarmServiceSpec } from './swarm-specs.js';
import { newestTask, taskProgress, type SwarmTask, type TaskProgress } from './swarm-tasks.js';

/** The swarm calls of the Docker Engine API the platform makes, through dockerode. */

export async function readSwarmMembership(api: DockerApi): Promise<SwarmMembership> {
  const info = (await api.info()) as { Swarm?: SwarmInfo };
  return swarmMembershipOf(info.Swarm);
}

/** A node as `GET /nodes` lists it (the fields the platform reads). */
export interface ListedSwarmNode {
  readonly ID: string;
  readonly Description?: { readonly Hostname?: string | undefined } | undefined;
  readonly Spec?: { readonly Role?: string | undefined; readonly Availability?: string | undefined } | undefined;
  readonly Status?: { readonly State?: string | undefined; readonly Addr?: string | undefined } | undefined;
  readonly ManagerStatus?: { readonly Addr?: string | undefined } | undefined;
}

/**
 * A listed node in plain values. Its address is `Status.Addr`; a manager's can read `0.0.0.0`, and then
 * the host of `ManagerStatus.Addr` (`host:2377`) is taken.
 */
export function swarmNodeInfo(node: ListedSwarmNode): SwarmNodeInfo {
  const status = node.Status?.Addr ?? '';
  const managerAddr = node.ManagerStatus?.Addr ?? '';
  const fromManager = managerAddr.slice(0, Math.max(managerAddr.lastIndexOf(':'), 0)).replace(/^\[|\]$/g, '');
  const addr = status !== '' && status !== '0.0.0.0' ? status : fromManager === '0.0.0.0' ? '' : fromManager;
  return {
    id: node.ID,
    hostname: node.Description?.Hostname ?? node.ID,
    role: node.Spec?.Role === 'manager' ? 'manager' : 'worker',
    availability: node.Spec?.Availability ?? 'unknown',
    state: node.Status?.State ?? 'unknown',
    addr,
  };
}

/** The swarm's nodes (`GET /nodes`, a manager's call). */
export async function listSwarmNodes(api: DockerApi): Promise<SwarmNodeInfo[]> {
  return ((await api.listNodes()) as ListedSwarmNode[]).map(swarmNodeInfo);
}

/** The local ID (`sha256:...`) of an image: a service naming it so is never pulled (see docs/platforms.md, the swarm platform). */
export async function localImageId(api: DockerApi, name: string): Promise<string> {
  const inspect = await api.getImage(name).inspect();
  return inspect.Id;
}

export async function createService(api: DockerApi, spec: SwarmServiceSpec): Promise<string> {
  // dockerode's ServiceSpec type has mutable arrays; the engine reads the same JSON.
  const created = (await api.createService(spec as Dockerode.CreateServiceOptions)) as unknown as { ID?: string; id?: string };
  const id = created.ID ?? created.id;
  if (id === undefined) throw new Error(`the engine created service ${spec.Name} but returned no ID`);
  return id;
}

/** Removes a service by name or ID; already gone counts as removed. */
export async function removeService(api: DockerApi, nameOrId: string): Promise<void> {
  await api
    .getService(nameOrId)
    .remove()
    .catch((error: unknown) => {
      if (!isDockerNotFound(error)) throw error;
    });
}

/** `update out of sequence`: another update went in between the inspect and this one. */
const outOfSequence = (error: unknown): boolean => /out of sequence/i.test(errorMessage(error));

/** `docker service update --force`: the swarm shuts the service's task down and starts a new one. */
export async function forceServiceUpdate(api: DockerApi, serviceId: string, tries = 3): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const service = (await api.getService(serviceId).inspect()) as { Version?: { Index?: number }; Spec?: { TaskTemplate?: { ForceUpdate?: number } } };
    const version = service.Version?.Index;
    if (version === undefined || service.Spec === undefined) throw new Error(`service ${serviceId} has no version or spec to update`);
    try {
      await api.getService(serviceId).update({ _query: { version }, _body: withForcedUpdate(service.Spec) });
      return;
    } catch (error) {
      if (!outOfSequence(error) || attempt >= tries) throw error;
    }
  }
}

export async function listServiceTasks(api: DockerApi, serviceId: string): Promise<readonly SwarmTask[]> {
  return (await api.listTasks({ filters: { service: [serviceId] } })) as SwarmTask[];
}

/** A task by ID (`GET /tasks/{id}`, through a manager wherever the task runs); undefined when the swarm no longer has it. */
export async function readTask(api: DockerApi, taskId: string): Promise<SwarmTask | undefined> {
  try {
    return (await api.getTask(taskId).inspect()) as SwarmTask;
  } catch (error) {
    if (isDockerNotFound(error)) return undefined;
    throw error;
  }
}

/** The containers of a service's tasks on this engine (by service name), exited ones included, oldest first. */
export async function serviceContainerIds(api: DockerApi, serviceName: string): Promise<readonly string[]> {
  const list = await api.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${serviceName}`] } });
  return [...list].sort((a, b) => a.Created - b.Created).map((container) => container.Id);
}

export interface TaskWaitOptions {
  /** Tasks of earlier starts, not to be taken for the new one. */
  readonly seen?: ReadonlySet<string>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly intervalMs?: number;
}

export type RunningTask = Extract<TaskProgress, { kind: 'running' }>;

/**
 * Waits until the service's newest task runs with a container, and returns it. A task that ends first
 * (rejected, failed) fails the wait with what the swarm said of it; so does the timeout, with the state
 * the task was in (`pending: no suitable node ...`).
 */
export async function waitForRunningTask(api: DockerApi, serviceId: string, what: string, options: TaskWaitOptions): Promise<RunningTask> {
  const deadline = Date.now() + options.timeoutMs;
  let last: TaskProgress = { kind: 'waiting', detail: 'no task yet' };
  while (Date.now() < deadline) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    last = taskProgress(newestTask(await listServiceTasks(api, serviceId), options.seen));
    if (last.kind === 'running') return last;
    if (last.kind === 'failed') throw new Error(`${what}: ${last.reason}`);
    await delay(options.intervalMs ?? 250);
  }
  throw new ChaosError('TIMEOUT', `${what}: no running task within ${options.timeoutMs} ms (last: ${last.detail})`, {
    hint: 'check the swarm (`docker service ps --no-trunc <service>`, `docker node ls`)',
  });
}

async function removeContainer(api: DockerApi, id: string): Promise<void> {
  await api
    .getContainer(id)
    .remove({ force: true, v: true })
    .catch((error: unknown) => {
      // 404: gone; 409: the swarm's own removal is under way.
      if (!isDockerNotFound(error) && !isDockerNoop(error)) throw error;
    });
}

export interface ServiceRemovalOptions {
  readonly graceMs?: number;
  readonly timeoutMs?: number;
  /**
   * Other nodes' engines (CHAOS_SWARM_ENGINES) asked too: a straggler there is removed as on this one.
   * One that fails to answer a call within `nodeCallTimeoutMs` is no longer asked (the swarm removes a
   * removed service's containers on its nodes itself).
   */
  readonly nodeEngines?: readonly DockerApi[];
  readonly nodeCallTimeoutMs?: number;
}

/**
 * Removes a service and waits until no container of it is left on this engine (and on the node engines
 * given): the run's network can only be removed once they are gone. The swarm removes them itself; what
 * it has not removed after `graceMs` is removed here (kill and remove), and what still stays after
 * `timeoutMs` fails the call.
 */
export async function removeServiceAndContainers(api: DockerApi, serviceName: string, options: ServiceRemovalOptions = {}): Promise<void> {
  await removeService(api, serviceName);
  const started = Date.now();
  const graceMs = options.graceMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const nodeCallTimeoutMs = options.nodeCallTimeoutMs ?? 5_000;
  const answering = new Set(options.nodeEngines ?? []);
  /** A node engine's call, or undefined (and the engine no longer asked) when it fails or does not answer. */
  const onNode = async <T>(engine: DockerApi, what: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await boundedCall(`${what} on a node engine`, call, { timeoutMs: nodeCallTimeoutMs, tries: 1 });
    } catch {
      answering.delete(engine);
      return undefined;
    }
  };
  const leftOver = async (): Promise<{ engine: DockerApi; id: string }[]> => {
    const here = (await serviceContainerIds(api, serviceName)).map((id) => ({ engine: api, id }));
    const there = await Promise.all([...answering].map(async (engine) => ((await onNode(engine, 'list containers', () => serviceContainerIds(engine, serviceName))) ?? []).map((id) => ({ engine, id }))));
    return [...here, ...there.flat()];
  };
  let forced = false;
  for (let left = await leftOver(); left.length > 0; left = await leftOver()) {
    const waited = Date.now() - started;
    if (waited > timeoutMs) throw new Error(`${left.length} container(s) of service ${serviceName} still there ${timeoutMs} ms after its removal`);
    if (!forced && waited > graceMs) {
      forced = true;
      for (const { engine, id } of left) {
        if (engine === api) await removeContainer(api, id);
        else await onNode(engine, 'remove container', () => removeContainer(engine, id));
      }
    }
    await delay(200);
  }
}
