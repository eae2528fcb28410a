import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImageNames } from '../config/images.js';
import { isDockerNotFound, type DockerApi } from '../platform/docker-engine.js';
import { listNetworksProbe } from '../platform/engine-watch.js';
import { findOnPath } from '../platform/find-on-path.js';
import { REGISTRY_BINARY } from '../platform/registry-server.js';
import { findComposePlugin, findStandaloneCompose } from './compose/compose-cli.js';
import { connectDocker, type EngineProbe } from './docker-client.js';
import { isStaticElf } from './elf.js';
import { isExecutable, isWritableDir, runCommand } from './exec.js';
import { imageRoles, type ImageRole } from './image-labels.js';
import {
  bundlePath,
  chromiumPath,
  servicesSourceDir,
  systemBinDir,
  toxiproxyCacheBinary,
  userBinDir,
} from './paths.js';

/** Pure data about the machine: everything the plan decides from. */
export interface MachineProbes {
  readonly os: { readonly debian: boolean; readonly root: boolean };
  readonly engine: EngineProbe;
  /** `dockerd` installed (whether or not it runs). */
  readonly dockerdPath: string | null;
  readonly chromiumPath: string | null;
  /** Prometheus's `promtool` (the metrics exposition test runs it). */
  readonly promtoolPath: string | null;
  /** Debian's `docker-registry` (`chaos registry start` runs it). */
  readonly dockerRegistryPath: string | null;
  /** Docker Compose: the standalone `docker-compose` (Debian's 1.29) and the `docker compose` plugin's version. */
  readonly compose: { readonly standalone: { readonly path: string; readonly version: string | null } | null; readonly plugin: string | null };
  /** `toxiproxy-server` as found on PATH. */
  readonly toxiproxy: BinaryProbe | null;
  /** The binary a previous `go install` left in the project's cache. */
  readonly toxiproxyCache: BinaryProbe | null;
  readonly go: { readonly path: string; readonly version: string } | null;
  readonly node: { readonly path: string; readonly version: string };
  readonly lddPath: string | null;
  readonly binDirs: { readonly systemWritable: boolean; readonly userOnPath: boolean };
  /** Null when no engine answers: nothing is known about images then. */
  readonly images: readonly ImageProbe[] | null;
  readonly bundle: BundleProbe;
}

export interface BinaryProbe {
  readonly path: string;
  readonly version: string | null;
  readonly static: boolean | null;
}

export interface ImageProbe {
  readonly role: ImageRole;
  readonly name: string;
  readonly present: boolean;
  readonly id: string | null;
  readonly labels: Readonly<Record<string, string>>;
  /** It carries a registry digest: it came from a registry rather than a local build. */
  readonly pulled: boolean;
}

export interface BundleProbe {
  readonly path: string;
  readonly exists: boolean;
  readonly sha256: string | null;
  /** A file under services/ is newer than the bundle. */
  readonly stale: boolean;
}

export async function toxiproxyVersionOf(binary: string): Promise<string | null> {
  const result = await runCommand(binary, ['-version'], { timeoutMs: 10_000 });
  const match = /version\s+v?(\S+)/.exec(`${result.stdout}\n${result.stderr}`);
  return match?.[1] ?? null;
}

async function probeBinary(file: string | null): Promise<BinaryProbe | null> {
  if (file === null || !(await isExecutable(file))) return null;
  return { path: file, version: await toxiproxyVersionOf(file), static: await isStaticElf(file) };
}

async function probeGo(): Promise<MachineProbes['go']> {
  const goPath = findOnPath('go') ?? ((await isExecutable('/usr/local/go/bin/go')) ? '/usr/local/go/bin/go' : null);
  if (goPath === null) return null;
  const result = await runCommand(goPath, ['version'], { timeoutMs: 10_000 });
  const version = /go(\d+\.\d+(?:\.\d+)?)/.exec(result.stdout)?.[1];
  return version === undefined ? null : { path: goPath, version };
}

async function findDockerd(): Promise<string | null> {
  const found = findOnPath('dockerd');
  if (found !== undefined) return found;
  for (const candidate of ['/usr/sbin/dockerd', '/usr/bin/dockerd']) {
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

async function findChromium(): Promise<string | null> {
  if (await isExecutable(chromiumPath)) return chromiumPath;
  return findOnPath('chromium') ?? null;
}

async function probeCompose(): Promise<MachineProbes['compose']> {
  const [standalone, plugin] = await Promise.all([findStandaloneCompose(), findComposePlugin()]);
  return { standalone: standalone === null ? null : { path: standalone.command, version: standalone.version }, plugin: plugin?.version ?? null };
}

export async function sha256Of(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const info = await stat(path.join(entry.parentPath, entry.name));
    newest = Math.max(newest, info.mtimeMs);
  }
  return newest;
}

export async function probeBundle(file: string = bundlePath): Promise<BundleProbe> {
  if (!existsSync(file)) return { path: file, exists: false, sha256: null, stale: false };
  const bundleTime = (await stat(file)).mtimeMs;
  const sourceTime = existsSync(servicesSourceDir) ? await newestMtime(servicesSourceDir) : 0;
  return { path: file, exists: true, sha256: await sha256Of(file), stale: sourceTime > bundleTime };
}

export async function probeImage(api: DockerApi, role: ImageRole, name: string): Promise<ImageProbe> {
  try {
    const info = await api.getImage(name).inspect();
    return { role, name, present: true, id: info.Id, labels: info.Config.Labels ?? {}, pulled: info.RepoDigests.length > 0 };
  } catch (error) {
    if (isDockerNotFound(error)) return { role, name, present: false, id: null, labels: {}, pulled: false };
    throw error;
  }
}

export async function probeImages(api: DockerApi, names: ImageNames): Promise<ImageProbe[]> {
  return Promise.all(imageRoles.map((role) => probeImage(api, role, names[role])));
}

/** Long enough for an engine busy tearing a run down; a stuck one never answers. */
const networkListTimeoutMs = 10_000;

export async function probeMachine(names: ImageNames): Promise<MachineProbes> {
  let engine: EngineProbe;
  let images: ImageProbe[] | null = null;
  try {
    const docker = await connectDocker();
    const networksAnswer = await listNetworksProbe('sc-doctor-probe', networkListTimeoutMs)().then(
      () => true,
      () => false,
    );
    engine = { answers: true, version: docker.version, endpoint: docker.endpoint, networksAnswer };
    images = await probeImages(docker.api, names);
  } catch (error) {
    engine = { answers: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const [dockerdPath, chromium, promtool, dockerRegistry, compose, toxiproxy, toxiproxyCache, go, lddPath, systemWritable, bundle] = await Promise.all([
    findDockerd(),
    findChromium(),
    Promise.resolve(findOnPath('promtool') ?? null),
    Promise.resolve(findOnPath(REGISTRY_BINARY) ?? null),
    probeCompose(),
    probeBinary(findOnPath('toxiproxy-server') ?? null),
    probeBinary(toxiproxyCacheBinary),
    probeGo(),
    findOnPath('ldd') ?? null,
    isWritableDir(systemBinDir),
    probeBundle(),
  ]);
  const pathDirs = (process.env['PATH'] ?? '').split(path.delimiter);
  return {
    os: { debian: existsSync('/etc/debian_version'), root: process.getuid?.() === 0 },
    engine,
    dockerdPath,
    chromiumPath: chromium,
    promtoolPath: promtool,
    dockerRegistryPath: dockerRegistry,
    compose,
    toxiproxy,
    toxiproxyCache,
    go,
    node: { path: process.execPath, version: process.version },
    lddPath,
    binDirs: { systemWritable, userOnPath: pathDirs.includes(userBinDir) },
    images,
    bundle,
  };
}
