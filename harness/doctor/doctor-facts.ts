import type { ImageNames } from '../config/images.js';
import { errorMessage } from '../errors.js';
import { dockerApi } from '../platform/docker-engine.js';
import { checkRegistryReachable, parseRegistryAddress, REGISTRY_ENV } from '../platform/image-registry.js';
import { defaultRegistryStateDir, registryStatus } from '../platform/registry-server.js';
import { engineTrustsPlainHttp, type EngineRegistryConfig } from '../platform/registry-trust.js';
import { findLeftovers, removeLeftovers, type Leftover } from '../platform/leftovers.js';
import { readSwarmMembership } from '../platform/swarm-engine.js';
import type { SwarmMembership } from '../platform/swarm-membership.js';
import { connectDocker } from '../provision/docker-client.js';
import { ImageLabel, type ImageRole } from '../provision/image-labels.js';
import { toxiproxySource } from '../provision/plan-toxiproxy.js';
import { probeMachine, type ImageProbe, type MachineProbes } from '../provision/probes.js';

export type ImageOrigin = 'official' | 'offline-build' | 'local-build' | 'unlabelled';

export interface DoctorImage {
  readonly role: ImageRole;
  readonly name: string;
  readonly present: boolean;
  /** Where a present image came from: a registry, setup's offline build, or a hand build without labels. */
  readonly origin: ImageOrigin | null;
  /** Asked of the registry only for a missing image; null when not asked. */
  readonly pullable: boolean | null;
  readonly pullError: string | null;
  /** Setup can build its local equivalent on this machine. */
  readonly buildable: boolean;
  /** Services image only: false when it was built from another dist/services.cjs than the current one. */
  readonly current: boolean | null;
}

export interface DoctorFacts {
  readonly probes: MachineProbes;
  readonly images: readonly DoctorImage[] | null;
  readonly leftovers: readonly Leftover[];
  /** Set with `--clean`: what removal reported. */
  readonly cleaned: { readonly removed: number; readonly failures: readonly string[] } | null;
  /** The engine's place in a swarm (`--platform swarm` needs a manager); null or absent when not asked. */
  readonly swarm?: SwarmMembership | null;
  /** The registry CHAOS_REGISTRY names, else one `chaos registry start` left running; null or absent when neither. */
  readonly registry?: DoctorRegistry | null;
}

export interface DoctorRegistry {
  readonly source: 'CHAOS_REGISTRY' | 'chaos registry start';
  readonly address: string;
  readonly answers: boolean;
  /** Why it does not answer, or why CHAOS_REGISTRY is no address. */
  readonly reason: string | null;
  /** Whether this engine pushes to it over plain HTTP (loopback or its insecure-registries); absent when the engine was not asked. */
  readonly pushesOverHttp?: boolean;
}

/** The registry a `--platform swarm` run would use (CHAOS_REGISTRY), else the one `chaos registry start` runs from `stateDir`. */
export async function collectRegistryFact(
  env: NodeJS.ProcessEnv = process.env,
  stateDir: string = defaultRegistryStateDir,
  fetchImpl: typeof fetch = fetch,
  engineRegistryConfig?: () => Promise<EngineRegistryConfig | undefined>,
): Promise<DoctorRegistry | null> {
  const fact = await registryReachability(env, stateDir, fetchImpl);
  if (fact === null || !fact.answers || engineRegistryConfig === undefined) return fact;
  const config = await engineRegistryConfig().catch(() => undefined);
  return config === undefined ? fact : { ...fact, pushesOverHttp: engineTrustsPlainHttp(fact.address, config) };
}

async function registryReachability(env: NodeJS.ProcessEnv, stateDir: string, fetchImpl: typeof fetch): Promise<DoctorRegistry | null> {
  const value = env[REGISTRY_ENV];
  if (value !== undefined && value !== '') {
    const source = REGISTRY_ENV;
    try {
      await checkRegistryReachable(parseRegistryAddress(value, REGISTRY_ENV), fetchImpl);
      return { source, address: value, answers: true, reason: null };
    } catch (error) {
      return { source, address: value, answers: false, reason: errorMessage(error) };
    }
  }
  const status = await registryStatus(stateDir, fetchImpl);
  if (!status.running) return null;
  return { source: 'chaos registry start', address: status.record.address, answers: status.answers, reason: status.answers ? null : status.reason };
}

async function engineRegistryConfigOf(): Promise<EngineRegistryConfig | undefined> {
  const info = (await (await dockerApi()).info()) as { RegistryConfig?: EngineRegistryConfig };
  return info.RegistryConfig;
}

function originOf(image: ImageProbe): ImageOrigin | null {
  if (!image.present) return null;
  if (image.role === 'services') return 'local-build';
  if (image.labels[ImageLabel.offlineBuild] === 'true') return 'offline-build';
  return image.pulled ? 'official' : 'unlabelled';
}

function buildableOf(probes: MachineProbes, role: ImageRole): boolean {
  switch (role) {
    case 'toxiproxy':
      return toxiproxySource(probes) !== null;
    case 'nodeBase':
      return probes.lddPath !== null;
    case 'services':
      return true;
  }
}

function currentOf(probes: MachineProbes, image: ImageProbe): boolean | null {
  if (image.role !== 'services' || !image.present || probes.bundle.sha256 === null) return null;
  const nodeBase = probes.images?.find((i) => i.role === 'nodeBase');
  return image.labels[ImageLabel.bundleSha256] === probes.bundle.sha256 && image.labels[ImageLabel.nodeImageId] === nodeBase?.id;
}

async function askRegistry(name: string, timeoutMs: number): Promise<{ pullable: boolean; error: string | null }> {
  try {
    const { api } = await connectDocker(timeoutMs);
    await api.getImage(name).distribution({ abortSignal: AbortSignal.timeout(timeoutMs) });
    return { pullable: true, error: null };
  } catch (error) {
    return { pullable: false, error: (errorMessage(error).split('\n')[0] ?? '').slice(0, 200) };
  }
}

export interface CollectOptions {
  readonly clean: boolean;
  readonly registryTimeoutMs?: number;
}

/** Everything the doctor reports, gathered from the machine (and, with `clean`, after removing leftovers). */
export async function collectDoctorFacts(names: ImageNames, options: CollectOptions): Promise<DoctorFacts> {
  const probes = await probeMachine(names);
  const images =
    probes.images === null
      ? null
      : await Promise.all(
          probes.images.map(async (image): Promise<DoctorImage> => {
            const registry = image.present || image.role === 'services' ? null : await askRegistry(image.name, options.registryTimeoutMs ?? 5_000);
            return {
              role: image.role,
              name: image.name,
              present: image.present,
              origin: originOf(image),
              pullable: registry?.pullable ?? null,
              pullError: registry?.error ?? null,
              buildable: buildableOf(probes, image.role),
              current: currentOf(probes, image),
            };
          }),
        );
  let leftovers = await findLeftovers();
  let cleaned: DoctorFacts['cleaned'] = null;
  if (options.clean && leftovers.length > 0) {
    const failures = await removeLeftovers(leftovers);
    const remaining = await findLeftovers();
    cleaned = { removed: leftovers.length - remaining.length, failures };
    leftovers = remaining;
  } else if (options.clean) {
    cleaned = { removed: 0, failures: [] };
  }
  const swarm = probes.engine.answers ? await dockerApi().then(readSwarmMembership).catch(() => null) : null;
  const registry = await collectRegistryFact(process.env, defaultRegistryStateDir, fetch, probes.engine.answers ? engineRegistryConfigOf : undefined);
  return { probes, images, leftovers, cleaned, swarm, registry };
}
