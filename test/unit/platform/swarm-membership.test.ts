import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { choosePlatformKind, type PlatformProbes } from '../../../harness/platform/create-platform.js';
import { describeSwarm, requireSwarmManager, swarmMembershipOf, type SwarmMembership } from '../../../harness/platform/swarm-membership.js';

const manager = swarmMembershipOf({ NodeID: 'n1', NodeAddr: '127.0.0.1', LocalNodeState: 'active', ControlAvailable: true, Nodes: 1, Managers: 1 });
const worker = swarmMembershipOf({ NodeID: 'n2', NodeAddr: '10.0.0.2', LocalNodeState: 'active', ControlAvailable: false });
const outside = swarmMembershipOf({ NodeID: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '' });

function refusal(call: () => unknown): ChaosError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(ChaosError);
    return error as ChaosError;
  }
  throw new Error('expected a refusal');
}

describe('swarm membership', () => {
  it('reads role and counts from GET /info', () => {
    expect(manager).toEqual({ inSwarm: true, role: 'manager', nodeId: 'n1', nodeAddr: '127.0.0.1', nodes: 1, managers: 1 });
    expect(worker).toEqual({ inSwarm: true, role: 'worker', nodeId: 'n2', nodeAddr: '10.0.0.2' });
    expect(outside).toEqual({ inSwarm: false, state: 'inactive' });
    expect(swarmMembershipOf(undefined)).toEqual({ inSwarm: false, state: 'inactive' });
    expect(swarmMembershipOf({ LocalNodeState: 'error', Error: 'raft failed' })).toEqual({ inSwarm: false, state: 'error', error: 'raft failed' });
  });

  it('a manager passes, with its node ID', () => {
    expect(requireSwarmManager(manager)).toEqual({ nodeId: 'n1' });
  });

  it('an engine in no swarm is refused with exit 2 and the two fixes', () => {
    const error = refusal(() => requireSwarmManager(outside));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('the Docker engine is not in a swarm');
    expect(error.hint).toBe('run `docker swarm init` (single node) or use --platform docker');
  });

  it('a worker is refused: services are created through a manager', () => {
    const error = refusal(() => requireSwarmManager(worker));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('swarm worker, not a manager');
  });

  it('describes itself in one line for the doctor', () => {
    expect(describeSwarm(manager)).toBe('manager n1 at 127.0.0.1, 1 node (1 manager)');
    expect(describeSwarm(worker)).toBe('worker n2 at 10.0.0.2');
    expect(describeSwarm(outside)).toBe('not in a swarm (inactive)');
  });
});

describe('choosePlatformKind and swarm', () => {
  const probes = (docker: boolean, membership: SwarmMembership): PlatformProbes & { asked: number } => {
    const fake = {
      asked: 0,
      dockerAnswers: async () => docker,
      toxiproxyServer: () => '/usr/bin/toxiproxy-server',
      async swarmMembership() {
        fake.asked += 1;
        return membership;
      },
    };
    return fake;
  };

  it('swarm is chosen by name on a manager', async () => {
    expect(await choosePlatformKind('swarm', probes(true, manager))).toBe('swarm');
  });

  it('swarm on an engine in no swarm is INVALID_CONFIG (exit 2) naming docker swarm init', async () => {
    const error = await choosePlatformKind('swarm', probes(true, outside)).then(
      () => undefined,
      (caught: unknown) => caught as ChaosError,
    );
    expect(error?.code).toBe('INVALID_CONFIG');
    expect(error?.exitCode).toBe(2);
    expect(error?.hint).toContain('docker swarm init');
  });

  it('swarm without an engine is DOCKER_UNAVAILABLE', async () => {
    const error = await choosePlatformKind('swarm', probes(false, manager)).then(
      () => undefined,
      (caught: unknown) => caught as ChaosError,
    );
    expect(error?.code).toBe('DOCKER_UNAVAILABLE');
  });

  it('auto never picks swarm, and does not even ask, on a swarm manager', async () => {
    const fake = probes(true, manager);
    expect(await choosePlatformKind('auto', fake)).toBe('docker');
    expect(await choosePlatformKind('docker', fake)).toBe('docker');
    expect(fake.asked).toBe(0);
  });
});
