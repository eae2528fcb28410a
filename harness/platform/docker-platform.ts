import pLimit from 'p-limit';
import { StartedNetwork, Wait, type StartedTestContainer } from 'testcontainers';
import { ChaosError, errorMessage } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import { boundedCall } from '../network/bounded-call.js';
import type { ImageNames } from '../config/images.js';
import { AddressHttpWait } from './address-wait.js';
import { containerRuntimeClient, demuxDockerLogs, engineAddress, imagePresent, isDockerNotFound, settleRyuk, type DockerApi } from './docker-engine.js';
import { DockerNode } from './docker-node.js';
import { lanesOfEngine } from './engine-lanes.js';
import { engineBoundFromEnv, listNetworksProbe, unlessEngineLost, watchEngine } from './engine-watch.js';
import { DOCKER_REACH_ENV, requestedDockerReach, runNetworkName, TOXIPROXY_API_PORT } from './docker-reach.js';
import { createRunNetwork } from './run-network.js';
import { RunAddresses } from './run-subnet.js';
import { networkRemovalApi, removeNetworkWithEndpoints } from './docker-network.js';
import { runLabels } from './labels.js';
import { cleanEarlierRuns } from './leftovers.js';
import { startOwned } from './owned-start.js';
import { LoopbackContainer } from './loopback-container.js';
import { checkNodeName } from './node-names.js';
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

const hostProxyPortBase = 20_000;
const internalProxyPortBase = 21_000;
/** testcontainers' HTTP wait polls once per read timeout; its 1 s default adds a second to every start. */
const pollMs = 250;
/**
 * Removals (`docker rm -f`: kill and remove in one call) queued at once at teardown; the engine's
 * lanes then hand them to the engine one at a time (see engine-lanes.ts).
 */
const removalConcurrency = 16;

export interface DockerPlatformOptions {
  readonly owner: ResourceOwner;
  readonly runId: string;
  readonly images: ImageNames;
  readonly api: DockerApi;
  /**
   * Proxy listeners published at start for links the harness itself dials, in `ports` reach (by
   * address, in `ip` reach, every listener is reachable).
   */
  readonly hostProxyPorts?: number;
  readonly readyTimeoutMs?: number;
  /** How long the engine may leave the network list unanswered (ENGINE_SILENCE_BOUND_MS by default). */
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

async function removeContainerNamed(api: DockerApi, name: string): Promise<void> {
  await api
    .getContainer(name)
    .remove({ force: true, v: true })
    .catch((error: unknown) => {
      if (!isDockerNotFound(error)) throw error;
    });
}

/**
 * One Docker network per run, a Toxiproxy container on it, nodes from the services image. The network
 * is `--internal` and the harness dials containers by address when it shares the engine's network
 * namespace (`ip` reach); otherwise it is a plain bridge with ports published on 127.0.0.1 (`ports`).
 */
export async function startDockerPlatform(options: DockerPlatformOptions): Promise<Platform> {
  const owned = options.owner.scope(`docker platform ${options.runId}`);
  // Registered first, so it watches until the network, the last thing removed, is gone.
  const boundMs = options.engineBoundMs ?? engineBoundFromEnv();
  const engine = watchEngine({ probe: listNetworksProbe(runNetworkName(options.runId), boundMs), what: 'the network list (GET /networks)', boundMs });
  owned.register('engine watch', () => engine.stop());
  engine.lost.addEventListener('abort', () => options.owner.abandon(engine.lost.reason as Error), { once: true });
  return owned.unwindOnFailure(() => unlessEngineLost(engine.lost, () => buildDockerPlatform(options, owned, engine.lost)));
}

async function buildDockerPlatform(options: DockerPlatformOptions, owned: ResourceOwner, engineLost: AbortSignal): Promise<Platform> {
  const { runId, images, api } = options;
  const requestedReach = requestedDockerReach(process.env[DOCKER_REACH_ENV]);
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const harness = currentHarness();
  const own = owned.register.bind(owned);
  const containerName = (node: string): string => `sc-${runId}-${node}`;
  const removals = pLimit(removalConcurrency);
  const lanes = lanesOfEngine(JSON.stringify(engineAddress()));
  const removeContainer = (name: string): Promise<void> =>
    unlessEngineLost(engineLost, () =>
      removals(() => lanes.run('leave', () => boundedCall(`remove container ${name}`, () => removeContainerNamed(api, name), { timeoutMs: 30_000, tries: 2 }), 'cleanup')),
    );

  await Promise.all([requireImages(api, [images.toxiproxy, images.services]), settleRyuk(api)]);
  const cleaning = cleanEarlierRuns(runId).catch(() => []);

  const client = await containerRuntimeClient();
  options.owner.throwIfInterrupted(`docker platform ${runId}`);
  const networkName = runNetworkName(runId);
  const { dockerNetwork, reach, subnet } = await createRunNetwork({ client, networkName, requestedReach, labels: runLabels(runId, harness, 'network') });
  // Removed last (after every container); what is still attached then is cleared first, and what the
  // engine still refuses is a teardown failure naming the network and the fix.
  own(`network ${networkName}`, () => unlessEngineLost(engineLost, () => removeNetworkWithEndpoints(networkRemovalApi(api), networkName)));
  const addresses = new RunAddresses(subnet);
  const network = new StartedNetwork(client, networkName, dockerNetwork);
  /** Where the harness dials a started container's port. */
  const endpointOf = (container: StartedTestContainer, port: number): Endpoint =>
    reach === 'ip' ? { host: container.getIpAddress(networkName), port } : { host: '127.0.0.1', port: container.getMappedPort(port) };
  /** Publishes `port` (and `published`) in `ports` reach, and waits until `path` on it answers. */
  const reachable = (container: LoopbackContainer, path: string, port: number, published: readonly number[] = []): LoopbackContainer =>
    reach === 'ip'
      ? container.withWaitStrategy(new AddressHttpWait({ network: networkName, port, path, signal: options.owner.interrupted }))
      : container.withExposedPorts(port, ...published).withWaitStrategy(Wait.forHttp(path, port, { abortOnContainerExit: true }).withReadTimeout(pollMs));

  // Each published port costs the engine a proxy process and rules to set up and tear down: only a
  // few links need one (the harness dials none in a scenario run).
  const poolSize = reach === 'ports' ? (options.hostProxyPorts ?? 2) : 0;
  const poolPorts = Array.from({ length: poolSize }, (_, i) => hostProxyPortBase + i);
  const toxiproxyAddress = addresses.take();
  const toxiproxyContainer = await startOwned({
    owner: options.owner,
    own,
    label: `container ${containerName('toxiproxy')}`,
    settleMs: readyTimeoutMs,
    remove: () => removeContainer(containerName('toxiproxy')),
    start: (gate) =>
      reachable(
        new LoopbackContainer(images.toxiproxy)
          .withCreationGate(gate)
          .withName(containerName('toxiproxy'))
          .withFixedAddress(network, toxiproxyAddress)
          .withLanes(lanes)
          .withLabels(runLabels(runId, harness, 'toxiproxy')),
        '/version',
        TOXIPROXY_API_PORT,
        poolPorts,
      )
        .withStartupTimeout(readyTimeoutMs)
        .start(),
  }).catch((error: unknown) => {
    if (options.owner.interrupted.aborted) throw error;
    const byAddress = `; the harness dials containers by address on the run's network here: if that is not routable from this host, set ${DOCKER_REACH_ENV}=ports`;
    throw new ChaosError('TOXIPROXY_UNAVAILABLE', `the Toxiproxy container did not start: ${errorMessage(error)}`, {
      hint: `check the image ${images.toxiproxy} (chaos doctor; npm run setup rebuilds it)${reach === 'ip' ? byAddress : ''}`,
      cause: error,
    });
  });
  const apiEndpoint = endpointOf(toxiproxyContainer, TOXIPROXY_API_PORT);
  const apiUrl = `http://${apiEndpoint.host}:${apiEndpoint.port}`;
  // Nodes dial Toxiproxy by address, not by name: Node does not cache lookups, so every reconnect of a restart
  // storm would be one more query to the engine's DNS server (in dockerd, the host's busiest process then).
  const dialHost = toxiproxyAddress;
  const toxiproxy: ToxiproxyAccess = { apiUrl, listenHost: '0.0.0.0', dialHost, version: await readToxiproxyVersion(apiUrl), ownedByRun: true };
  const freeHostPorts = poolPorts.map((port) => ({ listenPort: port, hostEndpoint: endpointOf(toxiproxyContainer, port) }));
  let nextInternalPort = internalProxyPortBase;
  await cleaning;

  const nodeContainer = (spec: NodeSpec, name: string, address: string): LoopbackContainer =>
    reachable(
      new LoopbackContainer(images.services)
        .withName(name)
        .withFixedAddress(network, address)
        .withLanes(lanes)
        .withLabels({ ...spec.labels, ...runLabels(runId, harness, spec.role) })
        .withEnvironment({
          [ServiceEnv.role]: spec.role,
          [ServiceEnv.name]: spec.name,
          [ServiceEnv.bindHost]: '0.0.0.0',
          [ServiceEnv.servicePort]: String(SERVICE_PORT),
          [ServiceEnv.controlPort]: String(CONTROL_PORT),
          [ServiceEnv.config]: JSON.stringify(spec.config),
        }),
      '/healthz',
      CONTROL_PORT,
    ).withStartupTimeout(readyTimeoutMs);

  const reserved = new Map<string, Endpoint>();
  const nodes = new Map<string, DockerNode>();

  const platform: Platform = {
    kind: 'docker',
    runId,
    toxiproxy,
    async reserveNode(name) {
      checkNodeName(name);
      // By address, never by name: Toxiproxy then never asks the engine's DNS server (see RunAddresses).
      const endpoint = reserved.get(name) ?? { host: addresses.take(), port: SERVICE_PORT };
      reserved.set(name, endpoint);
      return endpoint;
    },
    async reserveProxyPort({ hostReachable }): Promise<ProxyPort> {
      if (!hostReachable) return { listenPort: nextInternalPort++ };
      if (reach === 'ip') {
        const listenPort = nextInternalPort++;
        return { listenPort, hostEndpoint: { host: dialHost, port: listenPort } };
      }
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
      options.owner.throwIfInterrupted(`node ${spec.name}`);
      const upstream = await platform.reserveNode(spec.name);
      const name = containerName(spec.name);
      try {
        const started = await startOwned({
          owner: options.owner,
          own,
          label: `container ${name}`,
          // Removed side by side with the other nodes (the owner batches them).
          batch: 'node containers',
          settleMs: readyTimeoutMs,
          remove: () => removeContainer(name),
          start: (gate) => nodeContainer(spec, name, upstream.host).withCreationGate(gate).start(),
        });
        const node = new DockerNode({
          api,
          containerId: started.getId(),
          name: spec.name,
          role: spec.role,
          upstream,
          control: endpointOf(started, CONTROL_PORT),
          reach,
          network: networkName,
          readyTimeoutMs,
          interrupted: options.owner.interrupted,
          engineLost,
          lanes,
        });
        nodes.set(spec.name, node);
        return node;
      } catch (error) {
        if (options.owner.interrupted.aborted) throw options.owner.interrupted.reason;
        // testcontainers removes a container that fails its wait and puts its last log lines in the message.
        const [reason = '', output = ''] = errorMessage(error).split(/, last \d+ logs: /);
        const logs = output !== '' ? output : await api.getContainer(name).logs({ stdout: true, stderr: true, tail: 10, follow: false }).then(demuxDockerLogs, () => '');
        throw new ChaosError('NODE_START_FAILED', `node ${spec.name} (${spec.role}) did not start: ${reason}`, {
          hint: 'read the node output below; after changing services, run `npm run build` and rebuild the services image (chaos images)',
          details: logs.trim() === '' ? [] : logs.trim().split('\n'),
          cause: error,
        });
      }
    },
    nodes: () => [...nodes.values()],
    engineLost,
    dispose: () => owned.releaseOrThrow(),
  };
  return platform;
}

