import { ChaosError } from '../errors.js';

/** The specs the swarm platform sends to the engine (`/networks/create`, `/services/create`), as plain values. */

/** Swarm service names are DNS labels: at most 63 characters. */
const maxServiceNameLength = 63;
/** A graceful stop (SIGTERM, then SIGKILL), as `docker stop -t 10` on the Docker platform. */
export const STOP_GRACE_SECONDS = 10;
const nanosPerSecond = 1_000_000_000;

export function swarmNetworkName(runId: string): string {
  return `sc-${runId}`;
}

/** A node's service name: the run's prefix and the node's name, a DNS label (it is the upstream Toxiproxy dials). */
export function swarmServiceName(runId: string, node: string): string {
  const name = `sc-${runId}-${node}`;
  if (name.length > maxServiceNameLength) {
    throw new ChaosError('INVALID_CONFIG', `node name "${node}" makes the swarm service name ${name} longer than ${maxServiceNameLength} characters`, {
      hint: `use node names of at most ${maxServiceNameLength - name.length + node.length} characters on --platform swarm, or use --platform docker`,
    });
  }
  return name;
}

export interface OverlayNetworkSpec {
  readonly Name: string;
  readonly Driver: 'overlay';
  readonly Attachable: true;
  readonly CheckDuplicate: true;
  readonly Labels: Readonly<Record<string, string>>;
}

/**
 * The run's overlay network. Attachable, so a plain container (a debugging shell, a test probe) can
 * join it; not internal, since published ports reach a task through the node's docker_gwbridge.
 */
export function overlayNetworkSpec(name: string, labels: Readonly<Record<string, string>>): OverlayNetworkSpec {
  return { Name: name, Driver: 'overlay', Attachable: true, CheckDuplicate: true, Labels: labels };
}

export interface SwarmServiceRequest {
  readonly name: string;
  /**
   * An image ID (`sha256:...`), which the engine never asks a registry for but only this node has; or,
   * with `--registry`, `repo@sha256:...`, pulled by every node that has not got it, the same bytes on
   * each (see docs/platforms.md, the swarm platform).
   */
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  /** The run's overlay network. */
  readonly network: string;
  /** The swarm node the task must run on (the manager the harness talks to). */
  readonly nodeId: string;
  /** Container ports published on the node (mode host, a port the engine picks), for the harness to dial. */
  readonly publish: readonly number[];
}

/** The `/services/create` body (and, with ForceUpdate raised, the `/services/{id}/update` body). */
export interface SwarmServiceSpec {
  readonly Name: string;
  readonly Labels: Readonly<Record<string, string>>;
  readonly TaskTemplate: {
    readonly ContainerSpec: {
      readonly Image: string;
      readonly Labels: Readonly<Record<string, string>>;
      readonly Env: readonly string[];
      readonly StopGracePeriod: number;
    };
    readonly RestartPolicy: { readonly Condition: 'none' };
    readonly Placement: { readonly Constraints: readonly string[] };
    readonly Networks: readonly { readonly Target: string }[];
    readonly ForceUpdate: number;
  };
  readonly Mode: { readonly Replicated: { readonly Replicas: 1 } };
  readonly UpdateConfig: { readonly Parallelism: 1; readonly Delay: 0; readonly FailureAction: 'continue'; readonly Order: 'stop-first' };
  readonly EndpointSpec: {
    readonly Mode: 'dnsrr';
    readonly Ports: readonly { readonly Protocol: 'tcp'; readonly TargetPort: number; readonly PublishMode: 'host' }[];
  };
}

/**
 * One replica, never restarted by the swarm (restarts are the harness's), pinned to one node, on the
 * run's overlay. `dnsrr`: the service name resolves to its task's address, with no virtual IP (whose
 * load balancing needs IPVS in the kernel, and adds a hop). Ports are published in host mode with no
 * fixed number: the engine binds a free port on the node, read back from the task's container.
 */
export function swarmServiceSpec(request: SwarmServiceRequest): SwarmServiceSpec {
  const env = Object.entries(request.env ?? {}).map(([key, value]) => `${key}=${value}`);
  return {
    Name: request.name,
    Labels: request.labels,
    TaskTemplate: {
      ContainerSpec: { Image: request.image, Labels: request.labels, Env: env, StopGracePeriod: STOP_GRACE_SECONDS * nanosPerSecond },
      RestartPolicy: { Condition: 'none' },
      Placement: { Constraints: [`node.id==${request.nodeId}`] },
      Networks: [{ Target: request.network }],
      ForceUpdate: 0,
    },
    Mode: { Replicated: { Replicas: 1 } },
    UpdateConfig: { Parallelism: 1, Delay: 0, FailureAction: 'continue', Order: 'stop-first' },
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports: request.publish.map((port) => ({ Protocol: 'tcp', TargetPort: port, PublishMode: 'host' })),
    },
  };
}

/** A service spec as the engine returned it, with ForceUpdate raised by one: the update that starts a new task. */
export function withForcedUpdate<T extends { TaskTemplate?: { ForceUpdate?: number | undefined } | undefined }>(spec: T): T {
  const template = spec.TaskTemplate ?? {};
  return { ...spec, TaskTemplate: { ...template, ForceUpdate: (template.ForceUpdate ?? 0) + 1 } };
}
