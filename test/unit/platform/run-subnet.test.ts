import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { ipv4SubnetOf, parseSubnet, RunAddresses } from '../../../harness/platform/run-subnet.js';

describe('run addresses', () => {
  it('hands out host addresses in order, skipping the gateway, the network and the broadcast address', () => {
    const addresses = new RunAddresses({ subnet: '172.19.0.0/16', gateway: '172.19.0.1' });
    expect([addresses.take(), addresses.take(), addresses.take()]).toEqual(['172.19.0.2', '172.19.0.3', '172.19.0.4']);
  });

  it('skips a gateway that is not the first address', () => {
    const addresses = new RunAddresses({ subnet: '10.9.0.0/29', gateway: '10.9.0.3' });
    expect([addresses.take(), addresses.take(), addresses.take(), addresses.take()]).toEqual(['10.9.0.2', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
    expect(() => addresses.take()).toThrow(/no address left/);
  });

  it('crosses octet boundaries', () => {
    const addresses = new RunAddresses({ subnet: '192.168.16.0/20', gateway: '192.168.16.1' });
    const taken = Array.from({ length: 300 }, () => addresses.take());
    expect(taken.at(-1)).toBe('192.168.17.45');
    expect(new Set(taken).size).toBe(300);
  });

  it('refuses what is not an IPv4 subnet, naming it', () => {
    expect(() => parseSubnet('fd00::/64')).toThrow(ChaosError);
    expect(() => parseSubnet('10.0.0.0/31')).toThrow(/at least 4 addresses/);
    expect(() => new RunAddresses({ subnet: '10.0.0.0/24', gateway: '10.0.0.256' })).toThrow(/10\.0\.0\.256 is not an IPv4 address/);
  });

  it('aligns a subnet written from a host address', () => {
    expect(parseSubnet('172.19.3.7/16')).toEqual({ base: 172 * 2 ** 24 + 19 * 2 ** 16, size: 65_536 });
  });

  it('reads the first IPv4 subnet and gateway of a network inspect', () => {
    expect(ipv4SubnetOf({ IPAM: { Config: [{ Subnet: 'fd00::/64', Gateway: 'fd00::1' }, { Subnet: '172.20.0.0/16', Gateway: '172.20.0.1' }] } })).toEqual({
      subnet: '172.20.0.0/16',
      gateway: '172.20.0.1',
    });
    expect(ipv4SubnetOf({ IPAM: { Config: null } })).toBeUndefined();
    expect(ipv4SubnetOf({})).toBeUndefined();
  });
});
