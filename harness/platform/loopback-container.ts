import { GenericContainer } from 'testcontainers';
import type { PortWithOptionalBinding } from 'testcontainers';

/** A GenericContainer whose mapped ports listen on 127.0.0.1 only, never on every host interface. */
export class LoopbackContainer extends GenericContainer {
  override withExposedPorts(...ports: PortWithOptionalBinding[]): this {
    super.withExposedPorts(...ports);
    const bindings = this.hostConfig.PortBindings as Record<string, { HostIp?: string; HostPort?: string }[]> | undefined;
    for (const list of Object.values(bindings ?? {})) {
      for (const binding of list) binding.HostIp = '127.0.0.1';
    }
    return this;
  }
}
