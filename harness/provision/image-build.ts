import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TOXIPROXY_MODULE, TOXIPROXY_VERSION } from '../config/images.js';
import { ChaosError, errorMessage } from '../errors.js';
import type { DockerApi } from '../platform/docker-engine.js';
import { assembleNodeRootfs } from './host-node-rootfs.js';
import { ImageLabel } from './image-labels.js';
import { imageContextsDir, toxiproxyCacheBinary } from './paths.js';

interface ProgressEntry {
  readonly stream?: string;
  readonly status?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

function follow(api: DockerApi, stream: NodeJS.ReadableStream): Promise<ProgressEntry[]> {
  return new Promise((resolve, reject) => {
    api.modem.followProgress(stream, (error: Error | null, result: ProgressEntry[]) => {
      if (error !== null) reject(error);
      else resolve(result);
    });
  });
}

function failureOf(entries: readonly ProgressEntry[]): string | null {
  const failed = entries.find((entry) => entry.error !== undefined || entry.errorDetail !== undefined);
  return failed === undefined ? null : (failed.errorDetail?.message ?? failed.error ?? 'unknown error');
}

function outputTail(entries: readonly ProgressEntry[], lines = 6): string[] {
  return entries
    .map((entry) => (entry.stream ?? entry.status ?? entry.error ?? '').trimEnd())
    .filter((line) => line !== '')
    .slice(-lines);
}

export interface BuildRequest {
  readonly tag: string;
  /** Directory holding the Dockerfile and everything it copies. */
  readonly context: string;
  readonly files: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly buildArgs?: Readonly<Record<string, string>>;
}

/** Builds an image with the engine's builder and fails with the builder's own message. */
export async function buildImage(api: DockerApi, request: BuildRequest): Promise<void> {
  let entries: ProgressEntry[];
  try {
    const stream = await api.buildImage(
      { context: request.context, src: [...request.files] },
      { t: request.tag, labels: { ...request.labels }, buildargs: { ...(request.buildArgs ?? {}) }, rm: true, forcerm: true },
    );
    entries = await follow(api, stream);
  } catch (error) {
    throw new ChaosError('IMAGE_BUILD_FAILED', `building ${request.tag} failed: ${errorMessage(error)}`, {
      hint: 'check that the Docker engine answers (`npx chaos doctor`) and has disk space',
      cause: error,
    });
  }
  const failure = failureOf(entries);
  if (failure !== null) {
    throw new ChaosError('IMAGE_BUILD_FAILED', `building ${request.tag} failed: ${failure}`, {
      hint: 'see the builder output above; `npx chaos images --offline --rebuild` retries from scratch',
      details: outputTail(entries),
    });
  }
}

export type PullOutcome = { readonly pulled: true } | { readonly pulled: false; readonly reason: string };

/** Tries a registry pull, bounded in time; never throws (offline machines are expected). */
export async function tryPull(api: DockerApi, name: string, timeoutMs: number): Promise<PullOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const stream = await api.pull(name, { abortSignal: controller.signal });
    const failure = failureOf(await follow(api, stream));
    return failure === null ? { pulled: true } : { pulled: false, reason: failure };
  } catch (error) {
    const reason = controller.signal.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : errorMessage(error);
    return { pulled: false, reason: reason.split('\n')[0] ?? reason };
  } finally {
    clearTimeout(timer);
  }
}

async function withContext<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `supernode-chaos-${prefix}-`));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function copyDockerfile(role: string, dir: string): Promise<void> {
  await copyFile(path.join(imageContextsDir, role, 'Dockerfile'), path.join(dir, 'Dockerfile'));
}

/** What the offline Toxiproxy image says it holds: the project's own `go install`, or a binary found on the host. */
export function toxiproxySourceLabel(binary: string): string {
  return binary === toxiproxyCacheBinary
    ? `go install ${TOXIPROXY_MODULE}@v${TOXIPROXY_VERSION} (static)`
    : `static toxiproxy-server ${TOXIPROXY_VERSION} from ${binary}`;
}

/** `FROM scratch` Toxiproxy image holding a static server binary. */
export async function buildToxiproxyImage(api: DockerApi, tag: string, binary: string): Promise<void> {
  await withContext('toxiproxy', async (dir) => {
    await copyDockerfile('toxiproxy', dir);
    await copyFile(binary, path.join(dir, 'toxiproxy'));
    await chmod(path.join(dir, 'toxiproxy'), 0o755);
    await buildImage(api, {
      tag,
      context: dir,
      files: ['Dockerfile', 'toxiproxy'],
      labels: { [ImageLabel.offlineBuild]: 'true', [ImageLabel.source]: toxiproxySourceLabel(binary) },
    });
  });
}

/** `FROM scratch` Node image assembled from the host's node and the libraries ldd names. */
export async function buildNodeBaseImage(
  api: DockerApi,
  tag: string,
  host: { readonly nodePath: string; readonly nodeVersion: string; readonly lddPath: string },
): Promise<void> {
  await withContext('node-base', async (dir) => {
    await copyDockerfile('node-base', dir);
    await assembleNodeRootfs(path.join(dir, 'rootfs'), host.nodePath, host.lddPath);
    await buildImage(api, {
      tag,
      context: dir,
      files: ['Dockerfile', 'rootfs'],
      labels: { [ImageLabel.offlineBuild]: 'true', [ImageLabel.source]: `host-node ${host.nodeVersion}` },
    });
  });
}

/** The services image: the bundle on the configured node base, labelled with what it was built from. */
export async function buildServicesImage(
  api: DockerApi,
  tag: string,
  from: { readonly nodeImage: string; readonly nodeImageId: string; readonly bundlePath: string; readonly bundleSha256: string },
): Promise<void> {
  await withContext('services', async (dir) => {
    await copyDockerfile('services', dir);
    await copyFile(from.bundlePath, path.join(dir, 'services.cjs'));
    await buildImage(api, {
      tag,
      context: dir,
      files: ['Dockerfile', 'services.cjs'],
      buildArgs: { NODE_IMAGE: from.nodeImage },
      labels: { [ImageLabel.bundleSha256]: from.bundleSha256, [ImageLabel.nodeImageId]: from.nodeImageId },
    });
  });
}
