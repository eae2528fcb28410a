import { isIPv4, isIPv6 } from 'node:net';
import { ChaosError, errorMessage } from '../errors.js';
import type { DockerApi } from './docker-engine.js';

/**
 * Images through a registry, for `--platform swarm`: a node of a multi-node swarm can only run an image
 * it can pull. The harness pushes the local images there and names them by the digest the registry
 * returned (see docs/platforms.md, images through a registry).
 */

export const REGISTRY_ENV = 'CHAOS_REGISTRY';

const addressExample = '127.0.0.1:5000';
const hostnamePattern = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function addressProblem(value: string): string | undefined {
  if (value === '') return 'it is empty';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'it has a scheme; the registry is always asked over HTTP';
  if (value.includes('/')) return 'it has a path';
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(value);
  const separator = value.lastIndexOf(':');
  const host = bracketed?.[1] ?? (separator < 0 ? value : value.slice(0, separator));
  const port = bracketed === null ? (separator < 0 ? undefined : value.slice(separator + 1)) : bracketed[2];
  if (bracketed !== null ? !isIPv6(host) : host.includes(':') || !hostnamePattern.test(host)) return `"${host}" is not a hostname, an IPv4 address or a bracketed IPv6 address`;
  if (/^[\d.]+$/.test(host) && !isIPv4(host)) return `"${host}" is not an IPv4 address`;
  if (port === undefined || port === '') return 'it has no port';
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) return `port "${port}" is not a port from 1 to 65535`;
  return undefined;
}

/** A registry's `host:port` (hostname, IPv4 or `[IPv6]`), from `source` (`--registry` or CHAOS_REGISTRY); INVALID_CONFIG (exit 2) otherwise. */
export function parseRegistryAddress(value: string, source: string): string {
  const problem = addressProblem(value);
  if (problem === undefined) return value;
  const example = source.startsWith('--') ? `${source} ${addressExample}` : `${source}=${addressExample}`;
  throw new ChaosError('INVALID_CONFIG', `${source} "${value}" is not a registry address (host:port): ${problem}`, {
    hint: `give the registry as host:port with no scheme or path, e.g. ${example}`,
  });
}

/** CHAOS_REGISTRY, parsed; undefined when unset or empty. */
export function registryFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[REGISTRY_ENV];
  return value === undefined || value === '' ? undefined : parseRegistryAddress(value, REGISTRY_ENV);
}

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^\w[\w.-]{0,127}$/;

export interface RegistryImageName {
  /** `registry/path`, without tag. */
  readonly repo: string;
  readonly tag: string;
}

/**
 * The name `image` gets in `registry`: its own registry host dropped (a first component with `.` or
 * `:`, or `localhost`), its repository path and tag kept (`latest` when it has none). A digest in the
 * source name is dropped: the pushed image is named by the digest this registry returns.
 */
export function registryImageName(registry: string, image: string): RegistryImageName {
  const withoutDigest = image.split('@')[0] ?? '';
  const components = withoutDigest.split('/');
  const first = components[0] ?? '';
  if (components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) components.shift();
  const last = components.pop() ?? '';
  const colon = last.indexOf(':');
  const tag = colon < 0 ? 'latest' : last.slice(colon + 1);
  components.push(colon < 0 ? last : last.slice(0, colon));
  const named = !image.startsWith('sha256:') && components.every((component) => pathComponent.test(component)) && tagPattern.test(tag);
  if (!named) {
    throw new ChaosError('INVALID_CONFIG', `"${image}" is not an image name the registry can take (repository path and tag)`, {
      hint: 'name the image as [host/]path[:tag], e.g. supernode-chaos/services:dev (see CHAOS_TOXIPROXY_IMAGE, CHAOS_SERVICES_IMAGE)',
    });
  }
  return { repo: `${registry}/${components.join('/')}`, tag };
}

const registryFix = 'start one with `chaos registry start` (then --registry 127.0.0.1:5000), or start your registry and pass its host:port with --registry or CHAOS_REGISTRY';
const reachTimeoutMs = 3_000;

/** `GET http://<registry>/v2/` within 3 s: 200 or 401 (a registry that wants a login) means a registry answers; IMAGE_UNAVAILABLE (exit 3) otherwise. */
export async function checkRegistryReachable(registry: string, fetchImpl: typeof fetch = fetch): Promise<void> {
  const url = `http://${registry}/v2/`;
  let status: number;
  try {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(reachTimeoutMs) });
    await response.arrayBuffer().catch(() => undefined);
    status = response.status;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : errorMessage(error);
    throw new ChaosError('IMAGE_UNAVAILABLE', `no registry answers at ${registry} (GET ${url}: ${cause})`, { hint: registryFix, cause: error });
  }
  if (status === 200 || status === 401) return;
  throw new ChaosError('IMAGE_UNAVAILABLE', `${registry} answers GET ${url} with HTTP ${status}, not as a registry (200 or 401)`, { hint: registryFix });
}

/** One entry of the engine's JSON-lines progress stream. */
export interface PushEvent {
  readonly status?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
  readonly aux?: { readonly Tag?: string; readonly Digest?: string; readonly Size?: number };
}

/** The digest a push stream ends with (`aux.Digest`); IMAGE_UNAVAILABLE with the registry's words when the stream reports an error. */
export function pushedDigest(events: readonly PushEvent[], ref: string): string {
  const failed = events.find((event) => event.error !== undefined || event.errorDetail !== undefined);
  if (failed !== undefined) {
    throw new ChaosError('IMAGE_UNAVAILABLE', `pushing ${ref} failed: ${failed.errorDetail?.message ?? failed.error}`, {
      hint: 'check that the registry answers and takes pushes over HTTP (an engine pushes over plain HTTP only to 127.0.0.0/8 and to its insecure-registries)',
    });
  }
  const digest = events.map((event) => event.aux?.Digest).find((d) => d !== undefined && /^sha256:[0-9a-f]{64}$/.test(d));
  if (digest === undefined) {
    throw new ChaosError('IMAGE_UNAVAILABLE', `pushing ${ref} ended without the digest the registry stored (no aux.Digest in the engine's stream)`, {
      hint: 'push it by hand (`docker push`) to see what the engine says',
    });
  }
  return digest;
}

function followPush(api: DockerApi, stream: NodeJS.ReadableStream, onProgress: ((event: PushEvent) => void) | undefined): Promise<PushEvent[]> {
  return new Promise((resolve, reject) => {
    api.modem.followProgress(
      stream,
      (error: Error | null, events: PushEvent[]) => (error === null ? resolve(events) : reject(error)),
      (event: PushEvent) => onProgress?.(event),
    );
  });
}

/**
 * Tags `localImage` as its registry name, pushes it, and returns the pinned reference `repo@sha256:...`:
 * every swarm node then runs exactly the bytes pushed. The registry-named tag stays on this engine.
 */
export async function pushImage(api: DockerApi, localImage: string, registry: string, onProgress?: (event: PushEvent) => void, signal?: AbortSignal): Promise<string> {
  const { repo, tag } = registryImageName(registry, localImage);
  const ref = `${repo}:${tag}`;
  let events: PushEvent[];
  try {
    await api.getImage(localImage).tag({ repo, tag });
    // The engine wants X-Registry-Auth on a push; an empty one is an anonymous push.
    const stream = (await api.getImage(repo).push({ tag, authconfig: {}, ...(signal === undefined ? {} : { abortSignal: signal }) })) as NodeJS.ReadableStream;
    events = await followPush(api, stream, onProgress);
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw new ChaosError('IMAGE_UNAVAILABLE', `cannot push ${localImage} to ${registry} as ${ref}: ${errorMessage(error)}`, { hint: registryFix, cause: error });
  }
  if (signal?.aborted === true) throw signal.reason;
  return `${repo}@${pushedDigest(events, ref)}`;
}
