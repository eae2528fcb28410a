import { request } from 'node:http';
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';

/** The Docker API testcontainers itself uses (dockerode). */
export type DockerApi = ContainerRuntimeClient['container']['dockerode'];

type EngineAddress = { readonly socketPath: string } | { readonly host: string; readonly port: number };

/** Where DOCKER_HOST (or the default socket) says the engine listens; only unix and tcp are understood. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): EngineAddress {
  const configured = env['DOCKER_HOST'];
  if (configured === undefined || configured === '') return { socketPath: '/var/run/docker.sock' };
  if (configured.startsWith('unix://')) return { socketPath: configured.slice('unix://'.length) };
  const url = new URL(configured.replace(/^tcp:\/\//, 'http://'));
  return { host: url.hostname, port: Number(url.port || 2375) };
}

/** A quick `GET /_ping` with a short timeout: true when an engine answers OK. Never throws. */
export function pingDocker(timeoutMs = 1_000, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return new Promise((resolve) => {
    let address: EngineAddress;
    try {
      address = engineAddress(env);
    } catch {
      resolve(false);
      return;
    }
    const req = request({ ...address, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * The ports the harness publishes (`ports` reach) are mapped to 127.0.0.1 only. testcontainers, when
 * it runs inside a container itself (/.dockerenv), would instead reach mapped ports through the bridge
 * gateway, where nothing listens, and every wait strategy would time out. For an engine on a local
 * unix socket the host is therefore pinned to loopback, unless the user set it.
 */
export function pinLoopbackHost(env: NodeJS.ProcessEnv = process.env): void {
  if (env['TESTCONTAINERS_HOST_OVERRIDE'] !== undefined) return;
  let address: EngineAddress;
  try {
    address = engineAddress(env);
  } catch {
    return;
  }
  if ('socketPath' in address) env['TESTCONTAINERS_HOST_OVERRIDE'] = '127.0.0.1';
}

/** testcontainers' runtime client, with the host pinned first (it is resolved once and cached). */
export async function containerRuntimeClient(): Promise<ContainerRuntimeClient> {
  pinLoopbackHost();
  return getContainerRuntimeClient();
}

export async function dockerApi(): Promise<DockerApi> {
  const client = await containerRuntimeClient();
  return client.container.dockerode;
}

export function isDockerNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && error.statusCode === 404;
}

/** 304 (already stopped/started) and 409 (already paused, conflict) mean "already in that state". */
export function isDockerNoop(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && (error.statusCode === 304 || error.statusCode === 409);
}

export async function imagePresent(api: DockerApi, name: string): Promise<boolean> {
  try {
    await api.getImage(name).inspect();
    return true;
  } catch (error) {
    if (isDockerNotFound(error)) return false;
    throw error;
  }
}

const defaultRyukImage = 'testcontainers/ryuk:0.14.0';

/**
 * testcontainers starts its Ryuk reaper from a registry image; offline it is absent and every
 * start would fail. The harness removes what it creates itself, so Ryuk is turned off unless
 * the user chose otherwise or the image is here. Must run before testcontainers starts anything.
 */
export async function settleRyuk(api: DockerApi, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env['TESTCONTAINERS_RYUK_DISABLED'] !== undefined) return;
  const image = env['RYUK_CONTAINER_IMAGE'] || defaultRyukImage;
  if (!(await imagePresent(api, image))) env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
}

/** Docker's multiplexed log stream (8-byte frame headers) as plain text. */
export function demuxDockerLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    if ((kind !== 0 && kind !== 1 && kind !== 2) || buffer[offset + 1] !== 0) return buffer.toString('utf8');
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
