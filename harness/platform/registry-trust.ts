import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { ChaosError } from '../errors.js';
import type { DockerApi } from './docker-engine.js';

/**
 * Whether an engine speaks plain HTTP to a registry. The harness's registries (`chaos registry start`,
 * or any the user names) answer over HTTP, and an engine pushes and pulls over HTTP only to
 * 127.0.0.0/8 and to its `insecure-registries`: anything else it asks over HTTPS, and the push fails
 * minutes into a run. Read from `GET /info` (`RegistryConfig`).
 */

/** The part of `GET /info` that says which registries the engine asks over HTTP. */
export interface EngineRegistryConfig {
  readonly IndexConfigs?: Readonly<Record<string, { readonly Secure?: boolean | undefined } | undefined>> | null | undefined;
  readonly InsecureRegistryCIDRs?: readonly string[] | null | undefined;
}

function hostOf(registry: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(registry);
  if (bracketed !== null) return bracketed[1] ?? '';
  const separator = registry.lastIndexOf(':');
  return separator < 0 ? registry : registry.slice(0, separator);
}

function insecureRanges(cidrs: readonly string[]): BlockList {
  const ranges = new BlockList();
  for (const cidr of cidrs) {
    const [network, bits] = cidr.split('/');
    const prefix = Number(bits);
    if (network === undefined || !Number.isInteger(prefix)) continue;
    if (isIPv4(network)) ranges.addSubnet(network, prefix, 'ipv4');
    else if (isIPv6(network)) ranges.addSubnet(network, prefix, 'ipv6');
  }
  return ranges;
}

/** An `insecure-registries` entry for it (by name, or a range holding its IP address), or a loopback address. */
export function engineTrustsPlainHttp(registry: string, config: EngineRegistryConfig | undefined): boolean {
  if (config?.IndexConfigs?.[registry]?.Secure === false) return true;
  const host = hostOf(registry);
  const family = isIPv4(host) ? 'ipv4' : isIPv6(host) ? 'ipv6' : undefined;
  if (family === undefined) return false;
  const cidrs = config?.InsecureRegistryCIDRs ?? ['127.0.0.0/8'];
  return insecureRanges(cidrs).check(host, family);
}

export function untrustedRegistryError(registry: string): ChaosError {
  return new ChaosError('IMAGE_UNAVAILABLE', `this Docker engine would push to ${registry} over HTTPS, and the harness's registries answer over HTTP`, {
    hint:
      `add it to the engine's insecure registries on every swarm node: "insecure-registries": ["${registry}"] in /etc/docker/daemon.json, ` +
      'then `kill -HUP $(pidof dockerd)` (the engine reloads that list without a restart); or use a loopback registry with --place manager',
  });
}

/** IMAGE_UNAVAILABLE (exit 3), before anything starts, when this engine would not push to `registry` over HTTP. */
export async function checkEngineTrustsRegistry(api: Pick<DockerApi, 'info'>, registry: string): Promise<void> {
  const info = (await api.info()) as { RegistryConfig?: EngineRegistryConfig };
  if (!engineTrustsPlainHttp(registry, info.RegistryConfig)) throw untrustedRegistryError(registry);
}
