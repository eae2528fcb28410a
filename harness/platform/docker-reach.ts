import { readFileSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { ChaosError } from '../errors.js';
import { RUN_LABEL, type Endpoint } from './platform.js';

/**
 * How the harness reaches a Docker run's containers. `ip`: the run's network is `--internal` and the
 * harness dials each container's address on it (no published ports). `ports`: a plain bridge network,
 * with the ports the harness dials published on 127.0.0.1.
 */
export type DockerReach = 'ip' | 'ports';

export const DOCKER_REACH_ENV = 'SUPERNODE_CHAOS_DOCKER_REACH';

const reaches: readonly DockerReach[] = ['ip', 'ports'];

export const TOXIPROXY_API_PORT = 8474;

export function runNetworkName(runId: string): string {
  return `sc-${runId}`;
}

/**
 * The reach SUPERNODE_CHAOS_DOCKER_REACH asks for: `ip`, `ports`, or undefined for `auto` (the
 * default, when unset or empty: the run's network decides, see reachFromGateways).
 */
export function requestedDockerReach(value: string | undefined): DockerReach | undefined {
  if (value === undefined || value === '' || value === 'auto') return undefined;
  const reach = reaches.find((r) => r === value);
  if (reach === undefined) {
    throw new ChaosError('INVALID_CONFIG', `${DOCKER_REACH_ENV}=${value} is not a reach mode: allowed are auto, ip and ports`, {
      hint: `set ${DOCKER_REACH_ENV} to auto (ip where container addresses are routable from here, else ports; the default), ip (dial containers by address) or ports (publish ports on 127.0.0.1), or unset it`,
    });
  }
  return reach;
}

/**
 * `ip` when a gateway of the run's network is an address of this host: the engine's bridge is then in
 * the harness's own network namespace and container addresses are routable from here. Otherwise
 * (Docker Desktop, a remote engine, a socket mounted into the harness's container) `ports`.
 */
export function reachFromGateways(gateways: readonly string[], hostAddresses: Iterable<string>): DockerReach {
  const own = new Set([...hostAddresses].map((address) => address.toLowerCase()));
  return gateways.some((gateway) => own.has(gateway.toLowerCase())) ? 'ip' : 'ports';
}

/** The addresses of a `networkInterfaces()` result. */
export function interfaceAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  return Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .map((info) => info.address);
}

/**
 * The IPv4 addresses the kernel's local routing table holds (`/proc/net/fib_trie`: an address line,
 * then `/32 host LOCAL`). Unlike `networkInterfaces()`, it includes bridges without carrier, which
 * a new Docker network's bridge is until its first container joins.
 */
export function fibTrieLocalAddresses(text: string): string[] {
  const lines = text.split('\n');
  const found = new Set<string>();
  lines.forEach((line, i) => {
    const address = /\|-- (\d+\.\d+\.\d+\.\d+)\s*$/.exec(line)?.[1];
    if (address !== undefined && /\/32 host LOCAL/.test(lines[i + 1] ?? '')) found.add(address);
  });
  return [...found];
}

/** This host's addresses: its interfaces', and on Linux every local address in the routing table. */
export function hostAddresses(): string[] {
  let table = '';
  try {
    table = readFileSync('/proc/net/fib_trie', 'utf8');
  } catch {
    // Not Linux, or no procfs: the interfaces alone.
  }
  return [...interfaceAddresses(networkInterfaces()), ...fibTrieLocalAddresses(table)];
}

/** The gateways of a network, from its inspect result. */
export function networkGateways(inspect: { IPAM?: { Config?: readonly { Gateway?: string | undefined }[] | undefined } | undefined }): string[] {
  return (inspect.IPAM?.Config ?? []).flatMap((config) => (config.Gateway === undefined || config.Gateway === '' ? [] : [config.Gateway]));
}

interface ContainerNetworks {
  readonly NetworkSettings: {
    readonly Ports?: Readonly<Record<string, readonly { HostPort: string }[] | null | undefined>> | undefined;
    readonly Networks?: Readonly<Record<string, { readonly IPAddress?: string | undefined } | undefined>> | undefined;
  };
}

/** The host port Docker mapped a container port to, from an inspect result. */
export function mappedPort(inspect: ContainerNetworks, port: number): number | undefined {
  const binding = inspect.NetworkSettings.Ports?.[`${port}/tcp`]?.[0];
  return binding === undefined ? undefined : Number(binding.HostPort);
}

/** A container's address on a network, from an inspect or list result; undefined when it has none there. */
export function addressOn(inspect: ContainerNetworks, network: string): string | undefined {
  const address = inspect.NetworkSettings.Networks?.[network]?.IPAddress;
  return address === undefined || address === '' ? undefined : address;
}

/** Where the harness dials a container's port, from an inspect result: by address on the network, or the published port. */
export function containerEndpoint(reach: DockerReach, network: string, port: number, inspect: ContainerNetworks): Endpoint | undefined {
  if (reach === 'ip') {
    const host = addressOn(inspect, network);
    return host === undefined ? undefined : { host, port };
  }
  const published = mappedPort(inspect, port);
  return published === undefined ? undefined : { host: '127.0.0.1', port: published };
}

/** A container as `docker ps` (the engine's list) describes it. */
export interface ListedContainer {
  readonly Labels: Readonly<Record<string, string>>;
  readonly Ports: readonly { readonly PrivatePort: number; readonly PublicPort?: number | undefined }[];
  readonly NetworkSettings?: ContainerNetworks['NetworkSettings'] | undefined;
}

/** The API URL of a run's listed Toxiproxy container: its published port, else its address on the run's network. */
export function listedToxiproxyApi(container: ListedContainer): string | undefined {
  const published = container.Ports.find((port) => port.PrivatePort === TOXIPROXY_API_PORT && port.PublicPort !== undefined);
  if (published !== undefined) return `http://127.0.0.1:${published.PublicPort}`;
  const runId = container.Labels[RUN_LABEL];
  const settings = container.NetworkSettings;
  const address = runId === undefined || settings === undefined ? undefined : addressOn({ NetworkSettings: settings }, runNetworkName(runId));
  return address === undefined ? undefined : `http://${address}:${TOXIPROXY_API_PORT}`;
}
