import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import {
  containerEndpoint,
  DOCKER_REACH_ENV,
  requestedDockerReach,
  listedToxiproxyApi,
  networkGateways,
  fibTrieLocalAddresses,
  interfaceAddresses,
  reachFromGateways,
} from '../../../harness/platform/docker-reach.js';
import { RUN_LABEL } from '../../../harness/platform/platform.js';

const iface = (address: string, family: 'IPv4' | 'IPv6' = 'IPv4'): NetworkInterfaceInfo =>
  family === 'IPv4'
    ? { address, family, netmask: '255.255.0.0', mac: '02:42:00:00:00:00', internal: false, cidr: `${address}/16` }
    : { address, family, netmask: 'ffff:ffff:ffff:ffff::', mac: '02:42:00:00:00:00', internal: false, cidr: `${address}/64`, scopeid: 0 };

/** A host whose dockerd runs in its own network namespace: one bridge per network, with the gateway on it. */
const sharedNamespace = { lo: [iface('127.0.0.1'), iface('::1', 'IPv6')], eth0: [iface('10.0.2.15')], 'br-1a2b3c': [iface('172.19.0.1'), iface('fd00:19::1', 'IPv6')] };
/** Docker Desktop, a remote engine or a mounted socket: the gateway is on another machine or namespace. */
const elsewhere = { lo: [iface('127.0.0.1')], eth0: [iface('172.17.0.3')] };

describe('docker reach', () => {
  it('is ip when a gateway of the network is an address of this host, else ports', () => {
    expect(reachFromGateways(['172.19.0.1'], interfaceAddresses(sharedNamespace))).toBe('ip');
    expect(reachFromGateways(['FD00:19::1'], interfaceAddresses(sharedNamespace))).toBe('ip');
    expect(reachFromGateways(['172.20.0.1', '172.19.0.1'], interfaceAddresses(sharedNamespace))).toBe('ip');
    expect(reachFromGateways(['172.19.0.1'], interfaceAddresses(elsewhere))).toBe('ports');
    expect(reachFromGateways([], interfaceAddresses(sharedNamespace))).toBe('ports');
    expect(reachFromGateways(['172.19.0.1'], interfaceAddresses({ 'br-gone': undefined }))).toBe('ports');
  });

  it('reads every local IPv4 address from the kernel routing table, bridges without carrier included', () => {
    // /proc/net/fib_trie of a host with docker0 and a new run network no container has joined yet.
    const table = [
      'Main:',
      '  +-- 0.0.0.0/0 3 0 4',
      '     |-- 0.0.0.0',
      '        /0 universe UNICAST',
      '     +-- 127.0.0.0/8 2 0 2',
      '           |-- 127.0.0.1',
      '              /32 host LOCAL',
      '        |-- 127.255.255.255',
      '           /32 link BROADCAST',
      '        +-- 172.17.0.0/31 1 0 0',
      '           |-- 172.17.0.0',
      '              /16 link UNICAST',
      '           |-- 172.17.0.1',
      '              /32 host LOCAL',
      '           |-- 192.168.192.1',
      '              /32 host LOCAL',
      'Local:',
      '           |-- 127.0.0.1',
      '              /32 host LOCAL',
    ].join('\n');
    expect(fibTrieLocalAddresses(table)).toEqual(['127.0.0.1', '172.17.0.1', '192.168.192.1']);
    expect(fibTrieLocalAddresses('')).toEqual([]);
    expect(reachFromGateways(['192.168.192.1'], fibTrieLocalAddresses(table))).toBe('ip');
  });

  it('reads the gateways from a network inspect result', () => {
    const network = { Name: 'sc-r1', IPAM: { Driver: 'default', Config: [{ Subnet: '172.19.0.0/16', Gateway: '172.19.0.1' }, { Gateway: '' }, {}] } };
    expect(networkGateways(network)).toEqual(['172.19.0.1']);
    expect(networkGateways({})).toEqual([]);
    expect(networkGateways({ IPAM: {} })).toEqual([]);
  });

  it('is forced by SUPERNODE_CHAOS_DOCKER_REACH; unset or empty leaves it to the network', () => {
    expect(requestedDockerReach('ip')).toBe('ip');
    expect(requestedDockerReach('ports')).toBe('ports');
    expect(requestedDockerReach(undefined)).toBeUndefined();
    expect(requestedDockerReach('')).toBeUndefined();
    expect(requestedDockerReach('auto')).toBeUndefined();
  });

  it('refuses any other value as INVALID_CONFIG naming the variable and the allowed values', () => {
    const error = (() => {
      try {
        requestedDockerReach('IP');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).code).toBe('INVALID_CONFIG');
    expect((error as ChaosError).message).toBe(`${DOCKER_REACH_ENV}=IP is not a reach mode: allowed are auto, ip and ports`);
    expect((error as ChaosError).hint).toContain(DOCKER_REACH_ENV);
  });
});

describe('container endpoints', () => {
  const inspect = {
    NetworkSettings: {
      Ports: { '7100/tcp': [{ HostIp: '127.0.0.1', HostPort: '49153' }], '7000/tcp': null },
      Networks: { 'sc-r1': { IPAddress: '172.19.0.5' }, bridge: { IPAddress: '' } },
    },
  };

  it('is the address on the run network in ip reach, the published port on 127.0.0.1 in ports reach', () => {
    expect(containerEndpoint('ip', 'sc-r1', 7100, inspect)).toEqual({ host: '172.19.0.5', port: 7100 });
    expect(containerEndpoint('ports', 'sc-r1', 7100, inspect)).toEqual({ host: '127.0.0.1', port: 49153 });
  });

  it('is undefined when Docker reports no address there, or no mapping', () => {
    expect(containerEndpoint('ip', 'bridge', 7100, inspect)).toBeUndefined();
    expect(containerEndpoint('ip', 'sc-r2', 7100, inspect)).toBeUndefined();
    expect(containerEndpoint('ports', 'sc-r1', 7000, inspect)).toBeUndefined();
    expect(containerEndpoint('ports', 'sc-r1', 7100, { NetworkSettings: {} })).toBeUndefined();
  });

  it("finds a listed Toxiproxy's API by its published port, else by its address on its run's network", () => {
    const labels = { [RUN_LABEL]: 'r1' };
    const networks = { NetworkSettings: { Networks: { 'sc-r1': { IPAddress: '172.19.0.2' } } } };
    expect(listedToxiproxyApi({ Labels: labels, Ports: [{ PrivatePort: 8474, PublicPort: 49200 }], ...networks })).toBe('http://127.0.0.1:49200');
    expect(listedToxiproxyApi({ Labels: labels, Ports: [{ PrivatePort: 8474 }], ...networks })).toBe('http://172.19.0.2:8474');
    expect(listedToxiproxyApi({ Labels: labels, Ports: [] })).toBeUndefined();
    expect(listedToxiproxyApi({ Labels: {}, Ports: [], ...networks })).toBeUndefined();
    expect(listedToxiproxyApi({ Labels: { [RUN_LABEL]: 'r2' }, Ports: [], ...networks })).toBeUndefined();
  });
});
