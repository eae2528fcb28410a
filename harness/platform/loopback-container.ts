import { GenericContainer } from 'testcontainers';
import type { PortWithOptionalBinding, StartedNetwork, StartedTestContainer } from 'testcontainers';
import type { EngineLanes } from './engine-lanes.js';
import type { CreationGate } from './owned-start.js';

/**
 * A GenericContainer whose mapped ports listen on 127.0.0.1 only, never on every host interface, and
 * which tells its owner when it is about to be created and when it exists (see startOwned).
 */
export class LoopbackContainer extends GenericContainer {
  private gate: CreationGate | undefined;
  private lanes: EngineLanes | undefined;
  private releaseLane: (() => void) | undefined;

  override withExposedPorts(...ports: PortWithOptionalBinding[]): this {
    super.withExposedPorts(...ports);
    const bindings = this.hostConfig.PortBindings as Record<string, { HostIp?: string; HostPort?: string }[]> | undefined;
    for (const list of Object.values(bindings ?? {})) {
      for (const binding of list) binding.HostIp = '127.0.0.1';
    }
    return this;
  }

  /**
   * Creates the container on `network` alone, at a fixed address. testcontainers' network aliases
   * would create it on the engine's default bridge and connect it to the network afterwards: one more
   * endpoint per container for the engine to create and delete, and one with external connectivity.
   */
  withFixedAddress(network: StartedNetwork, address: string): this {
    this.withNetwork(network);
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network.getName()]: { IPAMConfig: { IPv4Address: address } } } };
    return this;
  }

  withCreationGate(gate: CreationGate): this {
    this.gate = gate;
    return this;
  }

  /** Creates and starts the container in the `join` lane (see EngineLanes); the wait for health runs outside it. */
  withLanes(lanes: EngineLanes): this {
    this.lanes = lanes;
    return this;
  }

  override async start(): Promise<StartedTestContainer> {
    try {
      return await super.start();
    } finally {
      this.releaseLane?.();
    }
  }

  protected override async beforeContainerCreated(): Promise<void> {
    this.gate?.beforeCreate();
    if (this.lanes !== undefined) this.releaseLane = await this.lanes.acquire('join');
  }

  protected override async containerCreated(): Promise<void> {
    this.gate?.created();
  }

  protected override async containerStarting(): Promise<void> {
    this.releaseLane?.();
  }
}
