import { ChaosError } from '../errors.js';

/** An IPv4 subnet a run's network was created with, and its gateway (the host's end of the bridge). */
export interface RunSubnet {
  readonly subnet: string;
  readonly gateway: string;
}

/** The first two host addresses after the gateway are kept free (the gateway is usually the first). */
const firstHostOffset = 2;

function parseIpv4(address: string): number {
  const parts = address.split('.');
  const octets = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : Number.NaN));
  if (octets.length !== 4 || octets.some((octet) => Number.isNaN(octet) || octet > 255)) {
    throw new ChaosError('INVALID_CONFIG', `${address} is not an IPv4 address`, { hint: 'the run network must have an IPv4 subnet (check the engine\'s default-address-pools)' });
  }
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `a.b.c.d/n` as its first address and size. */
export function parseSubnet(cidr: string): { readonly base: number; readonly size: number } {
  const [address = '', bits = ''] = cidr.split('/');
  const prefix = /^\d{1,2}$/.test(bits) ? Number(bits) : Number.NaN;
  if (Number.isNaN(prefix) || prefix > 30) {
    throw new ChaosError('INVALID_CONFIG', `${cidr} is not an IPv4 subnet of at least 4 addresses`, { hint: 'the run network needs an IPv4 subnet of /30 or larger' });
  }
  const size = 2 ** (32 - prefix);
  return { base: parseIpv4(address) - (parseIpv4(address) % size), size };
}

/**
 * Hands out the fixed addresses of a run's containers, in order, on the run's subnet: never the
 * network's own address, its broadcast address or the gateway. Fixed addresses let Toxiproxy's
 * proxies name their upstreams by address before a node exists, so no connection through Toxiproxy
 * asks the engine's embedded DNS server for a name.
 */
export class RunAddresses {
  private readonly base: number;
  private readonly size: number;
  private readonly gateway: number;
  private next = firstHostOffset;

  constructor(readonly subnet: RunSubnet) {
    const parsed = parseSubnet(subnet.subnet);
    this.base = parsed.base;
    this.size = parsed.size;
    this.gateway = parseIpv4(subnet.gateway);
  }

  /** The next free address; throws when the subnet has none left. */
  take(): string {
    for (; this.next < this.size - 1; this.next += 1) {
      const candidate = this.base + this.next;
      if (candidate !== this.gateway) {
        this.next += 1;
        return formatIpv4(candidate);
      }
    }
    throw new ChaosError('INVALID_CONFIG', `the run network's subnet ${this.subnet.subnet} has no address left for another container`, {
      hint: 'use fewer nodes, or give the engine larger address pools (default-address-pools in daemon.json)',
    });
  }
}

/** The first IPv4 subnet and gateway of a network's inspect result. */
export function ipv4SubnetOf(inspect: { IPAM?: { Config?: readonly { Subnet?: string | undefined; Gateway?: string | undefined }[] | null | undefined } | undefined }): RunSubnet | undefined {
  for (const config of inspect.IPAM?.Config ?? []) {
    if (config.Subnet !== undefined && config.Gateway !== undefined && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(config.Subnet) && config.Gateway !== '') {
      return { subnet: config.Subnet, gateway: config.Gateway };
    }
  }
  return undefined;
}
