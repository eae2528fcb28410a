import { describe, expect, it } from 'vitest';
import type { NodeSpec } from '../../../harness/platform/platform.js';
import { DeployedTopology, type StartupExit } from '../../../harness/topology/deploy-topology.js';
import { ChaosError } from '../../../harness/errors.js';
import { type FakeLink, FakeLinks, FakePlatform, type FakeNode, smallPlan } from '../runner/fake-network.js';

/** A platform whose nodes finish starting in the reverse of the order they were asked for. */
class ReverseStartPlatform extends FakePlatform {
  private asked = 0;

  override async startNode(spec: NodeSpec): Promise<FakeNode> {
    this.asked += 1;
    await new Promise((done) => setTimeout(done, 40 - this.asked * 5));
    return super.startNode(spec);
  }
}

/** A platform whose nodes each wrote 20 lines. */
class LoggingPlatform extends FakePlatform {
  override async startNode(spec: NodeSpec): Promise<FakeNode> {
    const node = await super.startNode(spec);
    node.logs = async () => `${Array.from({ length: 20 }, (_, i) => `${spec.name} line ${i + 1}`).join('\n')}\n`;
    return node;
  }
}

/** A platform where the named node exits with `exitCode` as soon as it starts, the first `times` times. */
class ExitingPlatform extends FakePlatform {
  restarts = 0;

  constructor(
    journal: string[],
    private readonly exiting: string,
    private readonly exitCode: number,
    private readonly times: number,
  ) {
    super(journal);
  }

  override async startNode(spec: NodeSpec): Promise<FakeNode> {
    const node = await super.startNode(spec);
    if (spec.name !== this.exiting) return node;
    node.state = { state: 'exited', exitCode: this.exitCode };
    const restart = node.restart.bind(node);
    node.restart = async () => {
      this.restarts += 1;
      await restart();
      if (this.restarts < this.times) node.state = { state: 'exited', exitCode: this.exitCode };
    };
    return node;
  }
}

const deployOn = (platform: FakePlatform, journal: string[], exits: StartupExit[], readyTimeoutMs = 5_000): Promise<DeployedTopology<FakeLink>> =>
  DeployedTopology.deploy({
    plan: smallPlan(),
    platform,
    links: new FakeLinks(journal),
    configFor: () => ({}),
    reportsReady: async (node) => (await node.inspect()).state === 'running',
    supernodesHandedOut: async () => 3,
    readyTimeoutMs,
    onStartupExit: (exit) => exits.push(exit),
    exitCheckEveryMs: 50,
  });

describe('nodes that exit while the network starts', () => {
  it('starts again at once a supernode its own overload guard stopped, and says so', async () => {
    const journal: string[] = [];
    const platform = new ExitingPlatform(journal, 'sn-02', 75, 1);
    const exits: StartupExit[] = [];
    await deployOn(platform, journal, exits);
    expect(exits.map(({ node, exitCode, cause, restarted }) => ({ node: node.name, exitCode, cause, restarted }))).toEqual([
      { node: 'sn-02', exitCode: 75, cause: 'self-protection', restarted: true },
    ]);
    expect(platform.started.has('fleet-1')).toBe(true);
  });

  it('fails at once, not after the ready timeout, on a node whose config was refused', async () => {
    const journal: string[] = [];
    const platform = new ExitingPlatform(journal, 'sn-01', 78, 1);
    const exits: StartupExit[] = [];
    // The ready timeout (30 s) is longer than the test's own: only an early failure passes.
    const error = await deployOn(platform, journal, exits, 30_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).code).toBe('NODE_NOT_READY');
    expect((error as ChaosError).message).toBe('sn-01 exited with code 78 (config-error) before the network was up');
    expect(exits.map((exit) => exit.restarted)).toEqual([false]);
    expect(platform.started.has('fleet-1')).toBe(false);
  });

  it('gives up on a supernode that protects itself again after three restarts', async () => {
    const journal: string[] = [];
    const platform = new ExitingPlatform(journal, 'sn-03', 75, 10);
    const exits: StartupExit[] = [];
    const error = await deployOn(platform, journal, exits, 30_000).catch((caught: unknown) => caught);
    expect((error as ChaosError).message).toBe('sn-03 exited with code 75 (self-protection) before the network was up, its 4th exit while the network started');
    expect(exits.map((exit) => exit.restarted)).toEqual([true, true, true, false]);
    expect(platform.restarts).toBe(3);
  });
});

describe('the deployed topology', () => {
  it('lists its nodes in plan order whatever order they started in, so seeded victims are the same every run', async () => {
    const journal: string[] = [];
    const platform = new ReverseStartPlatform(journal);
    const topology = await DeployedTopology.deploy({ plan: smallPlan(), platform, links: new FakeLinks(journal), configFor: () => ({}), reportsReady: async () => true, supernodesHandedOut: async () => Number.POSITIVE_INFINITY });
    expect([...platform.started.keys()].filter((name) => name.startsWith('sn-'))).toEqual(['sn-03', 'sn-02', 'sn-01']);
    expect(topology.nodes('supernodes').map((node) => node.handle.name)).toEqual(['sn-01', 'sn-02', 'sn-03', 'peer-01']);
    expect(topology.nodes().map((node) => node.handle.name)).toEqual(smallPlan().nodes.map((node) => node.name));
  });

  it('starts the fleets only once login hands out every serving supernode, not only once each says it serves', async () => {
    const journal: string[] = [];
    const platform = new FakePlatform(journal);
    const asked: { listed: number; fleetStarted: boolean }[] = [];
    const supernodesHandedOut = async (): Promise<number> => {
      const listed = Math.min(3, asked.length);
      asked.push({ listed, fleetStarted: platform.started.has('fleet-1') });
      return listed;
    };
    await DeployedTopology.deploy({ plan: smallPlan(), platform, links: new FakeLinks(journal), configFor: () => ({}), reportsReady: async () => true, supernodesHandedOut });
    // Three dedicated supernodes serve (the standby peer is not one): login was asked until it listed three, all before the fleet.
    expect(asked.map((one) => one.listed)).toEqual([0, 1, 2, 3]);
    expect(asked.every((one) => !one.fleetStarted)).toBe(true);
    expect(platform.started.has('fleet-1')).toBe(true);
  });

  it('names the shortfall when login never hands out every supernode, and starts no fleet', async () => {
    const journal: string[] = [];
    const platform = new FakePlatform(journal);
    const deploying = DeployedTopology.deploy({
      plan: smallPlan(),
      platform,
      links: new FakeLinks(journal),
      configFor: () => ({}),
      reportsReady: async () => true,
      supernodesHandedOut: async () => 2,
      readyTimeoutMs: 300,
    });
    await expect(deploying).rejects.toThrow(ChaosError);
    await expect(deploying).rejects.toThrow('login hands out 2 of the 3 serving supernodes after 300 ms');
    expect(platform.started.has('fleet-1')).toBe(false);
  });

  it('puts the last lines of each node not ready into the error, so it says why where it is read', async () => {
    const journal: string[] = [];
    const platform = new LoggingPlatform(journal);
    const deploying = DeployedTopology.deploy({
      plan: smallPlan(),
      platform,
      links: new FakeLinks(journal),
      configFor: () => ({}),
      reportsReady: async (node) => node.name !== 'sn-02',
      supernodesHandedOut: async () => 3,
      readyTimeoutMs: 300,
    });
    const error = await deploying.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).message).toBe('sn-02 not ready after 300 ms');
    expect((error as ChaosError).details).toEqual([`sn-02, last 12 lines of its log:\n${Array.from({ length: 12 }, (_, i) => `      sn-02 line ${i + 9}`).join('\n')}`]);
  });
});
