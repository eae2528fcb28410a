import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

type Interfaces = ReturnType<typeof networkInterfaces>;

/**
 * `chaos registry start --host`: the one address the registry listens on. It must be an IP address of
 * this machine (the other nodes of a swarm dial it), and never every interface at once. Returns the
 * problem and its fix in words, or undefined when the address is usable.
 */
export function registryHostProblem(host: string, interfaces: Interfaces = networkInterfaces()): string | undefined {
  if (isIP(host) === 0) return `"${host}" is not an IP address; give one of this machine's addresses that the other swarm nodes reach`;
  if (host === '0.0.0.0' || host === '::') return `${host} listens on every interface; give the one address the other swarm nodes reach (${localAddresses(interfaces).join(', ')})`;
  const local = localAddresses(interfaces);
  if (!local.includes(host)) return `${host} is not an address of this machine (it has ${local.join(', ')}); give one the other swarm nodes reach`;
  return undefined;
}

function localAddresses(interfaces: Interfaces): string[] {
  return Object.values(interfaces).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
}
