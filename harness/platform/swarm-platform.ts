import { ChaosError, errorMessage } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import { boundedCall } from '../network/bounded-call.js';
import type { ImageNames } from '../config/images.js';
import { demuxDockerLogs, imagePresent, type DockerApi } from './docker-engine.js';
import { networkRemovalApi, removeNetworkWithEndpoints } from './docker-network.js';
import { addressOn, mappedPort, TOXIPROXY_API_PORT } from './docker-reach.js';
import { engineBoundFromEnv, listNetworksProbe, unlessEngineLost, watchEngine } from './engine-watch.js';
import { pushImage } from './image-registry.js';
import { runLabels } from './labels.js';
import { cleanEarlierRuns } from './leftovers.js';
import { checkNodeName } from './node-names.js';
import { startOwned } from './owned-start.js';
import { currentHarness } from './process-identity.js';
import { readToxiproxyVersion } from './toxiproxy-version.js';
import {
  CONTROL_PORT,
  SERVICE_PORT,
  ServiceEnv,
  type Endpoint,
  type NodeHandle,
  type NodeSpec,
  type Platform,
  type ProxyPort,
  type ToxiproxyAccess,
} from './platform.js';
import {
  createService,
  listSwarmNodes,
  localImageId,
  removeServiceAndContainers,
  serviceContainerIds,
  waitForRunningTask,
  type RunningTask,
} from './swarm-engine.js';
import { SwarmNode, taskControl, type PlacedNode } from './swarm-node.js';
import { connectNodeEngines, enginesByNode, type NodeEngineAddress, type NodeEngineConnector } from './swarm-node-engines.js';
import { Placer, placementTargets, requirePullableImages, type PlacementPlan, type PlacementPolicy, type SwarmNodeInfo } from './swarm-placement.js';
import { overlayNetworkSpec, swarmNetworkName, swarmServiceName, swarmServiceSpec, type SwarmServiceRequest } from './swarm-specs.js';
import { waitForHttpOk } from './wait-healthy.js';

const hostProxyPortBase = 20_000;
const internalProxyPortBase = 21_000;
/** How often a start's health wait asks the engine whether the container exited. */
const exitCheckMs = 250;
/** Each engine call of a teardown gives up after this long, as on the Docker platform. */
const engineCallTimeoutMs = 30_000;

export interface SwarmPlatformOptions {
  readonly owner: ResourceOwner;
  readonly runId: string;
  readonly images: ImageNames;
  readonly api: DockerApi;
  /** This engine's swarm node (a manager): Toxiproxy, login and offline-messages run there, and every task under `place: 'manager'`. */
  readonly nodeId: string;
  /** Where supernodes and fleets run (default `manager`; see swarm-placement.ts). */
  readonly place?: PlacementPolicy | undefined;
  /**
   * A registry's `host:port`: the images are pushed there before anything is created and the services
   * name them by the digest it returned. Absent, by their local IDs (this node only).
   */
  readonly registry?: string | undefined;
  /**
   * Other nodes' engines (CHAOS_SWARM_ENGINES), checked against the swarm before anything is created: a
   * task placed on one of those nodes is crashed, paused, stopped and its logs read through it.
   */
  readonly nodeEngines?: readonly NodeEngineAddress[] | undefined;
  /** How a node engine's API is made (tests give fakes). */
  readonly connectNodeEngine?: NodeEngineConnector;
  /** Proxy listeners published at start for links the harness itself dials. */
  readonly hostProxyPorts?: number;
  readonly readyTimeoutMs?: number;
  readonly engineBoundMs?: number;
}

async function requireImages(api: DockerApi, images: readonly string[]): Promise<void> {
  const present = await Promise.all(images.map((image) => imagePresent(api, image)));
  const missing = images.filter((_, i) => present[i] === false);
  if (missing.length > 0) {
    throw new ChaosError('IMAGE_UNAVAILABLE', `image${missing.length > 1 ? 's' : ''} not present: ${missing.join(', ')}`, {
      hint: 'run `npm run setup` (or `chaos images`) to build or pull them',
    });
  }
}

/**
 * What the services name their images by: the local images' IDs, or, with a registry, the `repo@digest`
 * each was pushed as (one after the other: the engine pushes layers side by side anyway), each push
 * given up after `pushTimeoutMs`.
 */
export async function swarmImageRefs(api: DockerApi, images: readonly string[], registry: string | undefined, signal?: AbortSignal, pushTimeoutMs = 300_000): Promise<string[]> {
  await requireImages(api, images);
  if (registry === undefined) return Promise.all(images.map((image) => localImageId(api, image)));
  const refs: string[] = [];
  for (const image of images) {
    const bound = AbortSignal.timeout(pushTimeoutMs);
    try {
      refs.push(await pushImage(api, image, registry, undefined, signal === undefined ? bound : AbortSignal.any([signal, bound])));
    } catch (error) {
      if (!bound.aborted || signal?.aborted === true) throw error;
      throw new ChaosError('IMAGE_UNAVAILABLE', `pushing ${image} to ${registry} did not finish within ${pushTimeoutMs / 1000} s`, {
        hint: `check that the registry takes pushes (\`docker push\` a small image to ${registry})`,
        cause: error,
      });
    }
  }
  return refs;
}

/** The swarm platform also says where it placed each service. */
export interface SwarmPlatform extends Platform {
  placement(): PlacementPlan;
}

/**
 * Where the harness reaches a task on `node`: this engine's node on 127.0.0.1, another at its address,
 * and its container through that node's engine when `engines` (by node ID) has it.
 */
export function placedNode(node: SwarmNodeInfo, localNodeId: string, engines: ReadonlyMap<string, DockerApi> = new Map()): PlacedNode {
  const local = node.id === localNodeId;
  const engine = local ? undefined : engines.get(node.id);
  return { nodeId: node.id, hostname: node.hostname, local, host: local ? '127.0.0.1' : node.addr, ...(engine === undefined ? {} : { engine }) };
}

/**
 * The run on a swarm: an attachable overlay network of its own, Toxiproxy and every node as services of
 * one task each, placed by `options.place` (Toxiproxy always on this engine's node, a manager). The
 * harness dials published ports (mode host) on 127.0.0.1, or at the address of the node a task runs on;
 * Toxiproxy dials a node by its service name, nodes dial Toxiproxy by its task's address on the overlay.
 * See docs/platforms.md, the swarm platform.
 */
export async function startSwarmPlatform(options: SwarmPlatformOptions): Promise<SwarmPlatform> {
  const owned = options.owner.scope(`swarm platform ${options.runId}`);
  const boundMs = options.engineBoundMs ?? engineBoundFromEnv();
  const engine = watchEngine({ probe: listNetworksProbe(swarmNetworkName(options.runId), boundMs), what: 'the network list (GET /networks)', boundMs });
  owned.register('engine watch', () => engine.stop());
  engine.lost.addEventListener('abort', () => options.owner.abandon(engine.lost.reason as Error), { once: true });
  return owned.unwindOnFailure(() => unlessEngineLost(engine.lost, () => buildSwarmPlatform(options, owned, engine.lost)));
}

async function buildSwarmPlatform(options: SwarmPlatformOptions, owned: ResourceOwner, engineLost: AbortSignal): Promise<SwarmPlatform> {
  const { runId, api, owner } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const harness = currentHarness();
  const own = owned.register.bind(owned);
  const interrupted = owner.interrupted;
  const inEngine = <T>(call: () => Promise<T>): Promise<T> => unlessEngineLost(engineLost, call);

  // Refused before anything is pushed or created: a node other than this one cannot run an image by local ID.
  const swarmNodes = await inEngine(() => listSwarmNodes(api));
  const targets = placementTargets(swarmNodes, options.nodeId, options.place ?? 'manager');
  requirePullableImages(targets, options.registry);
  const placer = new Placer(targets);
  // So is a node engine of CHAOS_SWARM_ENGINES that is not its node's, or does not answer.
  const connect = options.connectNodeEngine === undefined ? {} : { connect: options.connectNodeEngine };
  const nodeEngines = enginesByNode(await connectNodeEngines(options.nodeEngines ?? [], swarmNodes, connect), options.nodeId);

  const images = [options.images.toxiproxy, options.images.services];
  const [toxiproxyImage, servicesImage] = (await swarmImageRefs(api, images, options.registry, interrupted)) as [string, string];
  const cleaning = cleanEarlierRuns(runId).catch(() => []);

  owner.throwIfInterrupted(`swarm platform ${runId}`);
  const networkName = swarmNetworkName(runId);
  await api.createNetwork(overlayNetworkSpec(networkName, runLabels(runId, harness, 'network')));
  // Removed last, once every service's containers are gone; a network the swarm still counts a task on is tried again.
  own(`network ${networkName}`, () =>
    inEngine(() => removeNetworkWithEndpoints(networkRemovalApi(api), networkName, { tries: 8, retryDelayMs: 250, callTimeoutMs: engineCallTimeoutMs })),
  );

  /** The service's removal waits for its containers on this engine and on the engine of the node it was placed on, when given. */
  const removeServiceNamed = (name: string, nodeId: string): Promise<void> => {
    const nodeEngine = nodeEngines.get(nodeId);
    const removal = nodeEngine === undefined ? {} : { nodeEngines: [nodeEngine] };
    return inEngine(() => boundedCall(`remove service ${name}`, () => removeServiceAndContainers(api, name, removal), { timeoutMs: 45_000, tries: 1 }));
  };

  /** Creates a service (its removal registered first) and waits until its task runs. */
  const startService = (label: string, request: SwarmServiceRequest, batch?: string): Promise<{ serviceId: string; task: RunningTask }> =>
    startOwned({
      owner,
      own,
      label,
      ...(batch === undefined ? {} : { batch }),
      settleMs: readyTimeoutMs,
      remove: () => removeServiceNamed(request.name, request.nodeId),
      start: async (gate) => {
        gate.beforeCreate();
        const serviceId = await inEngine(() => createService(api, swarmServiceSpec(request)));
        gate.created();
        const task = await inEngine(() => waitForRunningTask(api, serviceId, `service ${request.name}`, { timeoutMs: readyTimeoutMs, signal: interrupted }));
        return { serviceId, task };
      },
    });

  /** The last lines of a service's containers, for a start that failed: through the engine of its node (this one, or one given). */
  const serviceOutput = async (serviceName: string, engine: DockerApi = api): Promise<string[]> => {
    const ids = await boundedCall(`containers of ${serviceName}`, () => serviceContainerIds(engine, serviceName), { timeoutMs: 10_000, tries: 1 }).catch(() => [] as readonly string[]);
    const last = ids.at(-1);
    if (last === undefined) return [];
    const raw = await boundedCall(`logs of ${serviceName}`, () => engine.getContainer(last).logs({ stdout: true, stderr: true, tail: 10, follow: false }), { timeoutMs: 10_000, tries: 1 }).catch(() => undefined);
    return raw === undefined ? [] : demuxDockerLogs(raw).trim().split('\n').filter((line) => line !== '');
  };

  const poolSize = options.hostProxyPorts ?? 2;
  const poolPorts = Array.from({ length: poolSize }, (_, i) => hostProxyPortBase + i);
  const toxiproxyName = `sc-${runId}-toxiproxy`;
  let toxiproxy: ToxiproxyAccess;
  let freeHostPorts: ProxyPort[];
  try {
    const { task } = await startService(`service ${toxiproxyName}`, {
      name: toxiproxyName,
      image: toxiproxyImage,
      labels: runLabels(runId, harness, 'toxiproxy'),
      network: networkName,
      nodeId: placer.place({ name: 'toxiproxy', role: 'toxiproxy' }).id,
      publish: [TOXIPROXY_API_PORT, ...poolPorts],
    });
    const inspect = await inEngine(() => api.getContainer(task.containerId).inspect());
    const published = (port: number): Endpoint => {
      const hostPort = mappedPort(inspect, port);
      if (hostPort === undefined) throw new Error(`the engine reports no published port for ${port} on Toxiproxy's container`);
      return { host: '127.0.0.1', port: hostPort };
    };
    const api8474 = published(TOXIPROXY_API_PORT);
    const apiUrl = `http://${api8474.host}:${api8474.port}`;
    const ready = await waitForHttpOk(`${apiUrl}/version`, { timeoutMs: readyTimeoutMs, signal: interrupted });
    if (!ready.ok) throw new Error(ready.reason);
    // Toxiproxy is never restarted within a run, so its task's address is as stable as a fixed one, and
    // nodes dialling it by address never ask the engine's DNS server.
    const dialHost = addressOn(inspect, networkName);
    if (dialHost === undefined) throw new Error(`the engine reports no address for Toxiproxy's container on network ${networkName}`);
    toxiproxy = { apiUrl, listenHost: '0.0.0.0', dialHost, version: await readToxiproxyVersion(apiUrl), ownedByRun: true };
    freeHostPorts = poolPorts.map((port) => ({ listenPort: port, hostEndpoint: published(port) }));
  } catch (error) {
    if (interrupted.aborted) throw error;
    throw new ChaosError('TOXIPROXY_UNAVAILABLE', `the Toxiproxy service did not start: ${errorMessage(error)}`, {
      hint: `check the image ${options.images.toxiproxy} (chaos doctor; npm run setup rebuilds it) and \`docker service ps --no-trunc ${toxiproxyName}\``,
      details: await serviceOutput(toxiproxyName),
      cause: error,
    });
  }
  let nextInternalPort = internalProxyPortBase;
  await cleaning;

  const reserved = new Map<string, Endpoint>();
  const nodes = new Map<string, SwarmNode>();

  const platform: SwarmPlatform = {
    kind: 'swarm',
    runId,
    toxiproxy,
    async reserveNode(name) {
      checkNodeName(name);
      // By service name: a swarm gives a task no fixed address, and a restart is a new task (see docs/platforms.md, the swarm platform).
      const endpoint = reserved.get(name) ?? { host: swarmServiceName(runId, name), port: SERVICE_PORT };
      reserved.set(name, endpoint);
      return endpoint;
    },
    async reserveProxyPort({ hostReachable }): Promise<ProxyPort> {
      if (!hostReachable) return { listenPort: nextInternalPort++ };
      const port = freeHostPorts.shift();
      if (port === undefined) {
        throw new ChaosError('INVALID_LINK', `all ${poolSize} host-reachable proxy ports of this run are taken`, {
          hint: 'make fewer links hostReachable (only links the harness itself dials need it), or start the platform with more hostProxyPorts',
        });
      }
      return port;
    },
    async startNode(spec: NodeSpec): Promise<NodeHandle> {
      if (nodes.has(spec.name)) {
        throw new ChaosError('INVALID_CONFIG', `node ${spec.name} is already started in run ${runId}`, { hint: 'give every node a unique name' });
      }
      owner.throwIfInterrupted(`node ${spec.name}`);
      // Placed before the first await: the nodes are placed in the order the run starts them.
      const placedOn = placedNode(placer.place({ name: spec.name, role: spec.role }), options.nodeId, nodeEngines);
      const upstream = await platform.reserveNode(spec.name);
      const serviceName = upstream.host;
      try {
        const { serviceId, task } = await startService(
          `service ${serviceName}`,
          {
            name: serviceName,
            image: servicesImage,
            labels: { ...spec.labels, ...runLabels(runId, harness, spec.role) },
            env: {
              [ServiceEnv.role]: spec.role,
              [ServiceEnv.name]: spec.name,
              [ServiceEnv.bindHost]: '0.0.0.0',
              [ServiceEnv.servicePort]: String(SERVICE_PORT),
              [ServiceEnv.controlPort]: String(CONTROL_PORT),
              [ServiceEnv.config]: JSON.stringify(spec.config),
            },
            network: networkName,
            nodeId: placedOn.nodeId,
            publish: [CONTROL_PORT],
          },
          // Removed side by side with the other nodes (the owner batches them).
          'node services',
        );
        const control = await inEngine(() => taskControl(api, task, placedOn));
        if (control === undefined) throw new Error(`no published port for ${CONTROL_PORT} is reported for the task (node ${placedOn.hostname})`);
        const node = new SwarmNode({ api, serviceId, serviceName, name: spec.name, role: spec.role, upstream, task, control, placedOn, readyTimeoutMs, interrupted, engineLost });
        let checkedAt = Date.now();
        const healthy = await waitForHttpOk(`${node.controlUrl()}/healthz`, {
          timeoutMs: readyTimeoutMs,
          signal: interrupted,
          // The container is asked whether it exited a few times a second, not at every poll of its port.
          gaveUp: async () => {
            if (Date.now() - checkedAt < exitCheckMs) return undefined;
            checkedAt = Date.now();
            const now = await node.containerState();
            return now.state === 'exited' ? `the container exited with code ${now.exitCode ?? '?'}` : undefined;
          },
        });
        if (!healthy.ok) throw new Error(healthy.reason);
        nodes.set(spec.name, node);
        return node;
      } catch (error) {
        if (interrupted.aborted) throw interrupted.reason;
        throw new ChaosError('NODE_START_FAILED', `node ${spec.name} (${spec.role}) did not start: ${errorMessage(error)}`, {
          hint: `read the node output below and \`docker service ps --no-trunc ${serviceName}\`; after changing services, run \`npm run build\` and rebuild the services image (chaos images)`,
          details: await serviceOutput(serviceName, placedOn.local ? api : placedOn.engine),
          cause: error,
        });
      }
    },
    nodes: () => [...nodes.values()],
    placement: () => placer.plan(),
    engineLost,
    dispose: () => owned.releaseOrThrow(),
  };
  return platform;
}
