import { ChaosError, errorMessage } from '../errors.js';
import { dockerApi } from '../platform/docker-engine.js';
import { ImageLabel } from './image-labels.js';
import { probeBundle, probeImage, type BundleProbe, type ImageProbe } from './probes.js';

/**
 * The docker platform runs the services baked into an image, not the ones in services/. Before a run
 * starts, the image must hold the current dist/services.cjs, itself built from the current sources;
 * otherwise the run would silently test old services.
 */

/** What the check asks the machine; injectable for tests. */
export interface ServicesImageProbes {
  bundle(): Promise<BundleProbe>;
  servicesImage(name: string): Promise<ImageProbe>;
}

export const systemServicesImageProbes: ServicesImageProbes = {
  bundle: () => probeBundle(),
  servicesImage: async (name) => {
    try {
      return await probeImage(await dockerApi(), 'services', name);
    } catch (error) {
      throw new ChaosError('DOCKER_UNAVAILABLE', `cannot inspect the services image ${name} (${errorMessage(error)})`, {
        hint: 'start dockerd (npm run setup) or use --platform local',
        cause: error,
      });
    }
  },
};

const rebuildHint = 'run `npm run setup` (it rebuilds the bundle and the image), or run with --platform local';

function notCurrent(message: string): ChaosError {
  return new ChaosError('IMAGE_STALE', message, { hint: rebuildHint });
}

const shortSha = (sha: string): string => sha.slice(0, 12);

/** Refuses (exit 3) unless the services image `name` was built from the dist/services.cjs here, and that from the services/ sources here. */
export async function checkServicesImageCurrent(name: string, probes: ServicesImageProbes = systemServicesImageProbes): Promise<void> {
  const bundle = await probes.bundle();
  if (!bundle.exists || bundle.sha256 === null) {
    throw notCurrent(`dist/services.cjs does not exist, so the services image ${name} cannot be checked against services/`);
  }
  if (bundle.stale) {
    throw notCurrent(`dist/services.cjs is older than services/ sources, so the services image ${name} built from it does not hold the current services`);
  }
  const image = await probes.servicesImage(name);
  if (!image.present) {
    throw new ChaosError('IMAGE_UNAVAILABLE', `image not present: ${name}`, { hint: rebuildHint });
  }
  const imageSha = image.labels[ImageLabel.bundleSha256];
  if (imageSha === undefined) {
    throw notCurrent(`the services image ${name} carries no ${ImageLabel.bundleSha256} label, so it cannot be checked against dist/services.cjs`);
  }
  if (imageSha !== bundle.sha256) {
    throw notCurrent(
      `the services image ${name} was built from an older dist/services.cjs than the one here (bundle sha256 ${shortSha(imageSha)} in the image, ${shortSha(bundle.sha256)} here)`,
    );
  }
}
