/** Where nodes run: one interface, three implementations (`docker`, `local`, `swarm`). */

export type PlatformKind = 'docker' | 'local' | 'swarm';

export type ServiceRole = 'echo' | 'login' | 'supernode' | 'offline-messages' | 'client-fleet';

/** A host and port, as dialled by a particular party (the harness, Toxiproxy, or a node). */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface NodeSpec {
  /** Unique within a run; lower-case letters, digits and dashes (it is a DNS name in Docker). */
  readonly name: string;
  readonly role: ServiceRole;
  /** Role configuration, handed to the service as JSON in `CHAOS_NODE_CONFIG`. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Extra labels (Docker labels; kept in memory on the local platform). */
  readonly labels?: Readonly<Record<string, string>>;
}

export type NodeRunState = 'running' | 'paused' | 'exited';

export interface NodeRuntimeState {
  readonly state: NodeRunState;
  /** Set once the process has exited: its exit code (137 or null-ish for SIGKILL). */
  readonly exitCode?: number;
}

export interface NodeHandle {
  readonly name: string;
  readonly role: ServiceRole;
  /** Where Toxiproxy dials this node's service port. Stable across restarts. */
  readonly upstream: Endpoint;
  /** The control port's base URL as the harness reaches it (`http://host:port`); may change after a restart. */
  controlUrl(): string;
  /** SIGKILL: the crash. */
  kill(): Promise<void>;
  /** SIGTERM and wait: the graceful stop. */
  stop(): Promise<void>;
  /** SIGSTOP / docker pause. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Starts the node again (after a crash, a stop or while running) and waits until it is healthy. */
  restart(): Promise<void>;
  inspect(): Promise<NodeRuntimeState>;
  /** Everything the node wrote to stdout and stderr so far (bounded). */
  logs(): Promise<string>;
}

/** How Toxiproxy is reached, from the harness and from the nodes. */
export interface ToxiproxyAccess {
  /** The HTTP API as the harness reaches it, e.g. `http://127.0.0.1:8474`. */
  readonly apiUrl: string;
  /** Address proxies listen on inside Toxiproxy's own network namespace. */
  readonly listenHost: string;
  /** Host name the nodes dial to reach a proxy listener. */
  readonly dialHost: string;
  /** Version the running server reports. */
  readonly version: string;
  /** The run started this Toxiproxy and ends it at teardown, taking every proxy with it. */
  readonly ownedByRun?: boolean;
}

export interface ProxyPort {
  /** Port the proxy listens on (inside Toxiproxy's namespace). */
  readonly listenPort: number;
  /** How the harness itself reaches this listener; only for ports reserved with `hostReachable`. */
  readonly hostEndpoint?: Endpoint;
}

export interface Platform {
  readonly kind: PlatformKind;
  readonly runId: string;
  readonly toxiproxy: ToxiproxyAccess;
  /** Reserves the address a node will serve on, so links can be made before the node starts. */
  reserveNode(name: string): Promise<Endpoint>;
  /** Reserves a port for a proxy listener; `hostReachable` when the harness itself must dial it. */
  reserveProxyPort(options: { hostReachable: boolean }): Promise<ProxyPort>;
  /** Starts a node and waits until its `/healthz` answers. */
  startNode(spec: NodeSpec): Promise<NodeHandle>;
  nodes(): readonly NodeHandle[];
  /**
   * Aborted, with ENGINE_NOT_ANSWERING, when the engine the nodes run on stopped answering: every
   * later call to it fails at once. Absent where nothing can stop answering (local processes).
   */
  readonly engineLost?: AbortSignal;
  /** Where each node was placed, on a platform with more than one machine to place on (swarm). */
  placement?(): NodePlacement;
  /** Stops every node, Toxiproxy, and the run's network. Idempotent. */
  dispose(): Promise<void>;
}

/** The machines a run's nodes were placed on: each machine's hostname with the nodes (by name) it ran. */
export interface NodePlacement {
  readonly summary: string;
  readonly byHost: Readonly<Record<string, readonly string[]>>;
}

/** Labels every Docker object of a run carries, so leftovers can be found and removed. */
export const RUN_LABEL = 'org.supernode-chaos.run';
export const PROJECT_LABEL = 'org.supernode-chaos.project';
export const ROLE_LABEL = 'org.supernode-chaos.role';

/** Ports a service listens on inside its container (the local platform assigns free ones instead). */
export const SERVICE_PORT = 7000;
export const CONTROL_PORT = 7100;

/** Environment a service reads at start. */
export const ServiceEnv = {
  role: 'CHAOS_ROLE',
  name: 'CHAOS_NODE_NAME',
  bindHost: 'CHAOS_BIND_HOST',
  servicePort: 'CHAOS_SERVICE_PORT',
  controlPort: 'CHAOS_CONTROL_PORT',
  config: 'CHAOS_NODE_CONFIG',
} as const;
