import { GenericContainer } from 'testcontainers';
import type { PortWithOptionalBinding } from 'testcontainers';
import type { CreationGate } from './owned-start.js';

/**
 * A GenericContainer whose mapped ports listen on 127.0.0.1 only, never on every host interface, and
 * which tells its owner when it is about to be created and when it exists (see startOwned).
 */
export class LoopbackContainer extends GenericContainer {
  private gate: CreationGate | undefined;

  override withExposedPorts(...ports: PortWithOptionalBinding[]): this {
    super.withExposedPorts(...ports);
    const bindings = this.hostConfig.PortBindings as Record<string, { HostIp?: string; HostPort?: string }[]> | undefined;
    for (const list of Object.values(bindings ?? {})) {
      for (const binding of list) binding.HostIp = '127.0.0.1';
    }
    return this;
  }

  withCreationGate(gate: CreationGate): this {
    this.gate = gate;
    return this;
  }

  protected override async beforeContainerCreated(): Promise<void> {
    this.gate?.beforeCreate();
  }

  protected override async containerCreated(): Promise<void> {
    this.gate?.created();
  }
}
