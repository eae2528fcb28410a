import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { overlayNetworkSpec, swarmNetworkName, swarmServiceName, swarmServiceSpec, withForcedUpdate } from '../../../harness/platform/swarm-specs.js';

const request = {
  name: 'sc-rabc-echo-1',
  image: 'sha256:0123',
  labels: { 'org.supernode-chaos.run': 'rabc' },
  env: { CHAOS_ROLE: 'echo', CHAOS_NODE_CONFIG: '{"a":1}' },
  network: 'sc-rabc',
  nodeId: 'node7',
  publish: [7100],
};

describe('swarmServiceSpec', () => {
  const spec = swarmServiceSpec(request);

  it('is one replica the swarm never restarts, pinned to the given node, on the run network', () => {
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'none' });
    expect(spec.TaskTemplate.Placement.Constraints).toEqual(['node.id==node7']);
    expect(spec.TaskTemplate.Networks).toEqual([{ Target: 'sc-rabc' }]);
    expect(spec.TaskTemplate.ForceUpdate).toBe(0);
  });

  it('labels both the service and its containers, names the image as given, and passes the environment', () => {
    expect(spec.Labels).toEqual(request.labels);
    expect(spec.TaskTemplate.ContainerSpec.Labels).toEqual(request.labels);
    expect(spec.TaskTemplate.ContainerSpec.Image).toBe('sha256:0123');
    expect(spec.TaskTemplate.ContainerSpec.Env).toEqual(['CHAOS_ROLE=echo', 'CHAOS_NODE_CONFIG={"a":1}']);
    expect(spec.TaskTemplate.ContainerSpec.StopGracePeriod).toBe(10_000_000_000);
  });

  it('resolves by DNS round robin (no virtual IP) and publishes ports in host mode on a port the engine picks', () => {
    expect(spec.EndpointSpec).toEqual({ Mode: 'dnsrr', Ports: [{ Protocol: 'tcp', TargetPort: 7100, PublishMode: 'host' }] });
    expect(spec.EndpointSpec.Ports[0]).not.toHaveProperty('PublishedPort');
  });

  it('updates by stopping the old task first, without pausing on a failed one', () => {
    expect(spec.UpdateConfig).toEqual({ Parallelism: 1, Delay: 0, FailureAction: 'continue', Order: 'stop-first' });
  });
});

describe('withForcedUpdate', () => {
  it('raises ForceUpdate by one and keeps the rest of the spec', () => {
    const inspected = { Name: 'x', TaskTemplate: { ForceUpdate: 3, Other: true } };
    expect(withForcedUpdate(inspected)).toEqual({ Name: 'x', TaskTemplate: { ForceUpdate: 4, Other: true } });
    expect(inspected.TaskTemplate.ForceUpdate).toBe(3);
    const never = { Name: 'y' } as { Name: string; TaskTemplate?: { ForceUpdate?: number } };
    expect(withForcedUpdate(never)).toEqual({ Name: 'y', TaskTemplate: { ForceUpdate: 1 } });
  });
});

describe('names', () => {
  it('prefixes the run, as the Docker platform names containers and networks', () => {
    expect(swarmNetworkName('rabc')).toBe('sc-rabc');
    expect(swarmServiceName('rabc', 'supernode-3')).toBe('sc-rabc-supernode-3');
  });

  it('refuses a node name that makes the service name longer than a DNS label, saying how long it may be', () => {
    const runId = 'r0000000000000';
    const node = 'n'.repeat(46);
    expect(() => swarmServiceName(runId, node)).toThrow(ChaosError);
    try {
      swarmServiceName(runId, node);
    } catch (error) {
      expect((error as ChaosError).code).toBe('INVALID_CONFIG');
      expect((error as ChaosError).hint).toContain('at most 45 characters');
    }
    expect(swarmServiceName(runId, 'n'.repeat(45))).toHaveLength(63);
  });

  it('makes an attachable overlay network with the labels given', () => {
    expect(overlayNetworkSpec('sc-rabc', { a: 'b' })).toEqual({ Name: 'sc-rabc', Driver: 'overlay', Attachable: true, CheckDuplicate: true, Labels: { a: 'b' } });
  });
});
