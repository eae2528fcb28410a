import type { ContainerRuntimeClient } from 'testcontainers';
import { ChaosError, errorMessage } from '../errors.js';
import { hostAddresses, networkGateways, reachFromGateways, type DockerReach } from './docker-reach.js';
import { ipv4SubnetOf, type RunSubnet } from './run-subnet.js';

export interface RunNetworkRequest {
  readonly client: ContainerRuntimeClient;
  readonly networkName: string;
  /** Undefined: decide from the network's gateway (`auto`). */
  readonly requestedReach: DockerReach | undefined;
  readonly labels: Record<string, string>;
}

type DockerNetwork = Awaited<ReturnType<ContainerRuntimeClient['network']['create']>>;

export interface RunNetwork {
  readonly dockerNetwork: DockerNetwork;
  readonly reach: DockerReach;
  readonly subnet: RunSubnet;
}

/** Another run took the pool between the probe and the creation: the engine then says so. */
const poolTaken = (error: unknown): boolean => /overlap|already in use/i.test(errorMessage(error));

const attempts = 3;

/**
 * The run's network, with a subnet of its own: the engine picks a free pool for a probe network, which
 * is removed and created again with that pool as a user-configured subnet (the engine assigns fixed
 * container addresses only on such a network). `ip` reach gets an `--internal` network: no container
 * gets external connectivity, whose revocation costs the engine a conntrack table dump per container
 * at teardown, and test traffic cannot leave the run's network.
 */
export async function createRunNetwork(request: RunNetworkRequest): Promise<RunNetwork> {
  const { client, networkName, labels } = request;
  const create = (internal: boolean, subnet?: RunSubnet): Promise<DockerNetwork> =>
    client.network.create({
      Name: networkName,
      CheckDuplicate: true,
      Driver: 'bridge',
      Internal: internal,
      Labels: labels,
      ...(subnet === undefined ? {} : { IPAM: { Driver: 'default', Config: [{ Subnet: subnet.subnet, Gateway: subnet.gateway }] } }),
    });
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const probe = await create(request.requestedReach !== 'ports').catch((error: unknown) => {
      throw /non-overlapping|address pool/i.test(errorMessage(error))
        ? new ChaosError('DOCKER_UNAVAILABLE', `the engine has no free address pool left for network ${networkName}: ${errorMessage(error)}`, {
            hint: 'remove leftover networks with `chaos doctor --clean`; networks the engine refuses to remove are freed by restarting dockerd (then `chaos doctor --clean` again)',
            cause: error,
          })
        : error;
    });
    const inspect = await probe.inspect();
    // Read while the probe's bridge, and so its gateway address, still exists on this host.
    const reach = request.requestedReach ?? reachFromGateways(networkGateways(inspect), hostAddresses());
    await probe.remove();
    const subnet = ipv4SubnetOf(inspect);
    if (subnet === undefined) {
      throw new ChaosError('DOCKER_UNAVAILABLE', `the engine gave network ${networkName} no IPv4 subnet`, {
        hint: "give the engine IPv4 address pools (default-address-pools in /etc/docker/daemon.json), then restart dockerd",
      });
    }
    try {
      return { dockerNetwork: await create(reach === 'ip', subnet), reach, subnet };
    } catch (error) {
      if (!poolTaken(error)) throw error;
      lastError = error;
    }
  }
  throw new ChaosError('DOCKER_UNAVAILABLE', `network ${networkName} could not be created on a free subnet in ${attempts} tries: ${errorMessage(lastError)}`, {
    hint: 'other networks are being created at the same time; run again, or remove unused networks (docker network prune)',
  });
}
