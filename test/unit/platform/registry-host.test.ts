import { describe, expect, it } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { registryHostProblem } from '../../../harness/platform/registry-host.js';

const entry = (address: string): NetworkInterfaceInfo =>
  ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: address.startsWith('127.'), cidr: `${address}/24` }) as NetworkInterfaceInfo;
const machine = { lo: [entry('127.0.0.1')], 'sc-w1-host': [entry('10.213.0.1')] };

describe('registryHostProblem', () => {
  it("takes loopback and any other address of this machine's", () => {
    expect(registryHostProblem('127.0.0.1', machine)).toBeUndefined();
    expect(registryHostProblem('10.213.0.1', machine)).toBeUndefined();
  });

  it('refuses a name, every interface at once, and an address this machine does not have, each with the addresses it has', () => {
    expect(registryHostProblem('registry.lan', machine)).toBe('"registry.lan" is not an IP address; give one of this machine\'s addresses that the other swarm nodes reach');
    expect(registryHostProblem('0.0.0.0', machine)).toBe('0.0.0.0 listens on every interface; give the one address the other swarm nodes reach (127.0.0.1, 10.213.0.1)');
    expect(registryHostProblem('10.9.9.9', machine)).toBe('10.9.9.9 is not an address of this machine (it has 127.0.0.1, 10.213.0.1); give one the other swarm nodes reach');
  });
});
