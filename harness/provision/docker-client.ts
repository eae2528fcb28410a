import { ChaosError, errorMessage } from '../errors.js';
import { containerRuntimeClient, type DockerApi } from '../platform/docker-engine.js';

export interface DockerConnection {
  readonly api: DockerApi;
  readonly version: string;
  /** Where the engine was reached: a unix socket path or a tcp URL. */
  readonly endpoint: string;
}

export type EngineProbe =
  | {
      readonly answers: true;
      readonly version: string;
      readonly endpoint: string;
      /** False when the engine answers its ping but not its network list: libnetwork is stuck (see engine-watch). */
      readonly networksAnswer?: boolean;
    }
  | { readonly answers: false; readonly reason: string };

/** Where testcontainers actually reached the engine (it falls back to the default socket when DOCKER_HOST fails). */
function endpointOf(api: DockerApi): string {
  const modem = api.modem as unknown as { socketPath?: unknown; host?: unknown; port?: unknown; protocol?: unknown };
  if (typeof modem.socketPath === 'string' && modem.socketPath !== '') return modem.socketPath;
  if (typeof modem.host === 'string') return `${String(modem.protocol ?? 'http')}://${modem.host}:${String(modem.port ?? '')}`;
  return 'unknown';
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Connects to the engine testcontainers would use (DOCKER_HOST, ~/.testcontainers.properties, the default socket). */
export async function connectDocker(timeoutMs = 10_000): Promise<DockerConnection> {
  try {
    const client = await withTimeout(containerRuntimeClient(), timeoutMs, 'the Docker engine');
    const api = client.container.dockerode;
    const version = await withTimeout(api.version(), timeoutMs, 'the Docker engine');
    return { api, version: version.Version, endpoint: endpointOf(api) };
  } catch (error) {
    throw new ChaosError('DOCKER_UNAVAILABLE', `no Docker engine answers (${errorMessage(error)})`, {
      hint: 'run `npm run setup` (installs and starts docker.io on Debian as root), start dockerd yourself, or use --platform local',
      cause: error,
    });
  }
}

export async function probeEngine(timeoutMs = 10_000): Promise<EngineProbe> {
  try {
    const connection = await connectDocker(timeoutMs);
    return { answers: true, version: connection.version, endpoint: connection.endpoint };
  } catch (error) {
    return { answers: false, reason: errorMessage(error) };
  }
}
