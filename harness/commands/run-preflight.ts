import { existsSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { imageNamesFrom } from '../config/images.js';
import { ChaosError, errorMessage } from '../errors.js';
import { DOCKER_REACH_ENV, requestedDockerReach } from '../platform/docker-reach.js';
import { engineBoundFromEnv } from '../platform/engine-watch.js';
import { checkRegistryReachable, registryFromEnv } from '../platform/image-registry.js';
import { checkSwarmNodeEngines, choosePlatformKind, swarmPlacementTargets, systemPlatformProbes, type PlatformChoice, type PlatformProbes } from '../platform/create-platform.js';
import { describeNodeEngines, swarmEnginesFromEnv } from '../platform/swarm-node-engines.js';
import { describeTargets, placementFromEnv, requirePullableImages } from '../platform/swarm-placement.js';
import { defaultServicesBundle } from '../platform/local-platform.js';
import { dockerApi } from '../platform/docker-engine.js';
import { checkEngineTrustsRegistry } from '../platform/registry-trust.js';
import type { PlatformKind } from '../platform/platform.js';
import { checkServicesImageCurrent, systemServicesImageProbes, type ServicesImageProbes } from '../provision/services-image-check.js';

/**
 * Checks made after the input is accepted and before anything starts: the report paths can be
 * written, and the platform can start. A run that cannot finish them refuses here, leaving nothing
 * behind, instead of after it deployed a topology.
 */

/** A directory reports can go to: created if missing, written to once, and left as it was found. */
export async function checkWritableDir(dir: string, flag: string): Promise<void> {
  const path = resolve(dir);
  const info = await stat(path).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) {
    throw new ChaosError('INVALID_CONFIG', `${flag} ${dir} is an existing file, not a directory`, {
      hint: `pass a directory with ${flag} (it is created when missing), or remove the file`,
    });
  }
  let created: string | undefined;
  try {
    created = await makeDirectories(path);
    const probe = join(path, `.chaos-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new ChaosError('INVALID_CONFIG', `cannot write reports to ${dir} (${errorMessage(error)})`, {
      hint: `pass a writable directory with ${flag}`,
      cause: error,
    });
  } finally {
    if (created !== undefined) await rm(created, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * `mkdir -p` one level at a time; returns the first directory it created. Node 20's own recursive mkdir
 * never returns for a path under /proc (ENOENT on the child, EEXIST on the parent, forever).
 */
async function makeDirectories(path: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let current = path; ; current = dirname(current)) {
    if ((await stat(current).catch(() => undefined)) !== undefined || dirname(current) === current) break;
    missing.unshift(current);
  }
  try {
    for (const dir of missing) await mkdir(dir);
  } catch (error) {
    if (missing[0] !== undefined) await rm(missing[0], { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return missing[0];
}

/** `--junit FILE`: not a directory, and in a directory that can be written. */
export async function checkWritableFile(file: string, flag: string): Promise<void> {
  const info = await stat(resolve(file)).catch(() => undefined);
  if (info?.isDirectory() === true) {
    throw new ChaosError('INVALID_CONFIG', `${flag} ${file} is a directory, not a file`, { hint: `pass a file path with ${flag}, e.g. ${join(file, 'junit.xml')}` });
  }
  await checkWritableDir(dirname(resolve(file)), flag);
}

/** A registry answers at `registry`, and this engine will push to it over HTTP. */
async function checkRegistryUsable(registry: string): Promise<void> {
  await checkRegistryReachable(registry);
  await checkEngineTrustsRegistry(await dockerApi(), registry);
}

/**
 * The platform the run will use, refusing (exit 3) when it cannot start: no engine, no toxiproxy-server,
 * no bundle, not a swarm manager (swarm), (docker, swarm) a services image that does not hold the services
 * here, or (swarm) a CHAOS_REGISTRY where no registry answers. With CHAOS_PLACE=spread, a swarm whose
 * other nodes could not pull the images is refused (exit 2), and `say` is told where the run will go.
 * CHAOS_SWARM_ENGINES (swarm only, ignored by the other platforms) is refused when malformed (exit 2)
 * before any engine is asked, when it names a hostname that is no node of the swarm (exit 2), and when
 * an engine does not answer within 3 s or is not that node's (exit 3); `say` is told which nodes it reaches.
 */
export async function preflightPlatform(
  choice: PlatformChoice,
  probes: PlatformProbes = systemPlatformProbes,
  bundle: string = defaultServicesBundle,
  servicesImageProbes: ServicesImageProbes = systemServicesImageProbes,
  checkRegistry: (registry: string) => Promise<void> = checkRegistryUsable,
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<PlatformKind> {
  const nodeEngines = choice === 'swarm' ? swarmEnginesFromEnv() : [];
  const kind = await choosePlatformKind(choice, probes);
  if (kind === 'docker' || kind === 'swarm') {
    // Refused here, before anything starts, rather than at the deploy.
    requestedDockerReach(process.env[DOCKER_REACH_ENV]);
    engineBoundFromEnv();
    const registry = kind === 'swarm' ? registryFromEnv() : undefined;
    const place = kind === 'swarm' ? placementFromEnv() : undefined;
    if (place === 'spread') {
      const targets = await swarmPlacementTargets(place, probes);
      requirePullableImages(targets, registry);
      say(targets.notice ?? `--place spread: ${describeTargets(targets)}`);
    }
    if (nodeEngines.length > 0) say(describeNodeEngines(await checkSwarmNodeEngines(nodeEngines, probes)));
    await checkServicesImageCurrent(imageNamesFrom().services, servicesImageProbes);
    if (registry !== undefined) await checkRegistry(registry);
    return kind;
  }
  if (probes.toxiproxyServer() === undefined) {
    throw new ChaosError('TOXIPROXY_UNAVAILABLE', 'toxiproxy-server is not on PATH', {
      hint: 'run `npm run setup` (go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0) or put the release binary on PATH as toxiproxy-server',
    });
  }
  if (!existsSync(bundle)) {
    throw new ChaosError('NODE_START_FAILED', `the services bundle ${bundle} does not exist`, { hint: 'run `npm run build`' });
  }
  return kind;
}
