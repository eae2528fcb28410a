import { describe, expect, it } from 'vitest';
import type { NodeSpec } from '../../../harness/platform/platform.js';
import { DeployedTopology } from '../../../harness/topology/deploy-topology.js';
import { FakeLinks, FakePlatform, type FakeNode, smallPlan } from '../runner/fake-network.js';

/** A platform whose nodes finish starting in the reverse of the order they were asked for. */
class ReverseStartPlatform extends FakePlatform {
  private asked = 0;

  override async startNode(spec: NodeSpec): Promise<FakeNode> {
    this.asked += 1;
    await new Promise((done) => setTimeout(done, 40 - this.asked * 5));
    return super.startNode(spec);
  }
}

describe('the deployed topology', () => {
  it('lists its nodes in plan order whatever order they started in, so seeded victims are the same every run', async () => {
    const journal: string[] = [];
    const platform = new ReverseStartPlatform(journal);
    const topology = await DeployedTopology.deploy({ plan: smallPlan(), platform, links: new FakeLinks(journal), configFor: () => ({}), reportsReady: async () => true });
    expect([...platform.started.keys()].filter((name) => name.startsWith('sn-'))).toEqual(['sn-03', 'sn-02', 'sn-01']);
    expect(topology.nodes('supernodes').map((node) => node.handle.name)).toEqual(['sn-01', 'sn-02', 'sn-03', 'peer-01']);
    expect(topology.nodes().map((node) => node.handle.name)).toEqual(smallPlan().nodes.map((node) => node.name));
  });
});
