import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { preflightPlatform } from '../../../harness/commands/run-preflight.js';
import { ChaosError, ExitCode } from '../../../harness/errors.js';
import type { PlatformProbes } from '../../../harness/platform/create-platform.js';
import { ImageLabel } from '../../../harness/provision/image-labels.js';
import type { BundleProbe, ImageProbe } from '../../../harness/provision/probes.js';
import { checkServicesImageCurrent, type ServicesImageProbes } from '../../../harness/provision/services-image-check.js';

const name = 'supernode-chaos/services:dev';
const sha = 'a'.repeat(64);
const currentBundle: BundleProbe = { path: '/repo/dist/services.cjs', exists: true, sha256: sha, stale: false };
const imageBuiltFrom = (bundleSha: string | undefined): ImageProbe => ({
  role: 'services',
  name,
  present: true,
  id: 'sha256:s',
  labels: bundleSha === undefined ? {} : { [ImageLabel.bundleSha256]: bundleSha, [ImageLabel.nodeImageId]: 'sha256:n' },
  pulled: false,
});

function fakeProbes(bundle: BundleProbe, image: ImageProbe): ServicesImageProbes & { imagesAsked: string[] } {
  const fake = {
    imagesAsked: [] as string[],
    bundle: async () => bundle,
    servicesImage: async (asked: string) => {
      fake.imagesAsked.push(asked);
      return image;
    },
  };
  return fake;
}

async function refusal(promise: Promise<unknown>): Promise<ChaosError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ChaosError);
  return error as ChaosError;
}

const setupHint = 'run `npm run setup` (it rebuilds the bundle and the image), or run with --platform local';

describe('checkServicesImageCurrent', () => {
  it('passes when the image was built from the bundle here, asking for the image once', async () => {
    const probes = fakeProbes(currentBundle, imageBuiltFrom(sha));
    await expect(checkServicesImageCurrent(name, probes)).resolves.toBeUndefined();
    expect(probes.imagesAsked).toEqual([name]);
  });

  it('refuses (exit 3) an image whose bundle sha256 label differs, naming the image and the fix', async () => {
    const error = await refusal(checkServicesImageCurrent(name, fakeProbes(currentBundle, imageBuiltFrom('b'.repeat(64)))));
    expect(error.exitCode).toBe(ExitCode.infrastructure);
    expect(error.message).toContain('the services image supernode-chaos/services:dev was built from an older dist/services.cjs than the one here');
    expect(error.message).toContain('bbbbbbbbbbbb in the image, aaaaaaaaaaaa here');
    expect(error.hint).toBe(setupHint);
  });

  it('refuses an image without the bundle sha256 label', async () => {
    const error = await refusal(checkServicesImageCurrent(name, fakeProbes(currentBundle, imageBuiltFrom(undefined))));
    expect(error.exitCode).toBe(ExitCode.infrastructure);
    expect(error.message).toContain(`carries no ${ImageLabel.bundleSha256} label`);
    expect(error.hint).toBe(setupHint);
  });

  it('refuses a bundle older than the services/ sources, without asking the engine', async () => {
    const probes = fakeProbes({ ...currentBundle, stale: true }, imageBuiltFrom(sha));
    const error = await refusal(checkServicesImageCurrent(name, probes));
    expect(error.exitCode).toBe(ExitCode.infrastructure);
    expect(error.message).toContain('dist/services.cjs is older than services/ sources');
    expect(error.hint).toBe(setupHint);
    expect(probes.imagesAsked).toEqual([]);
  });

  it('refuses a missing bundle, without asking the engine', async () => {
    const probes = fakeProbes({ path: currentBundle.path, exists: false, sha256: null, stale: false }, imageBuiltFrom(sha));
    const error = await refusal(checkServicesImageCurrent(name, probes));
    expect(error.exitCode).toBe(ExitCode.infrastructure);
    expect(error.message).toContain('dist/services.cjs does not exist');
    expect(error.hint).toBe(setupHint);
    expect(probes.imagesAsked).toEqual([]);
  });

  it('refuses a missing image as IMAGE_UNAVAILABLE', async () => {
    const missing: ImageProbe = { role: 'services', name, present: false, id: null, labels: {}, pulled: false };
    const error = await refusal(checkServicesImageCurrent(name, fakeProbes(currentBundle, missing)));
    expect(error.code).toBe('IMAGE_UNAVAILABLE');
    expect(error.exitCode).toBe(ExitCode.infrastructure);
    expect(error.message).toContain(name);
    expect(error.hint).toBe(setupHint);
  });
});

describe('preflightPlatform and the services image', () => {
  const platformProbes = (docker: boolean): PlatformProbes => ({ dockerAnswers: async () => docker, toxiproxyServer: () => '/usr/local/bin/toxiproxy-server' });
  const existingBundle = fileURLToPath(import.meta.url);
  const outdated = (): ServicesImageProbes & { imagesAsked: string[]; bundleAsked: number } => {
    const fake = {
      imagesAsked: [] as string[],
      bundleAsked: 0,
      bundle: async () => {
        fake.bundleAsked += 1;
        return currentBundle;
      },
      servicesImage: async (asked: string) => {
        fake.imagesAsked.push(asked);
        return imageBuiltFrom('b'.repeat(64));
      },
    };
    return fake;
  };

  it('docker, chosen or by auto: an outdated services image is refused before anything starts', async () => {
    for (const choice of ['docker', 'auto'] as const) {
      const error = await refusal(preflightPlatform(choice, platformProbes(true), existingBundle, outdated()));
      expect(error.code).toBe('IMAGE_STALE');
      expect(error.exitCode).toBe(ExitCode.infrastructure);
    }
  });

  it('local (chosen, or auto without an engine) does not look at the bundle or the image', async () => {
    for (const [choice, docker] of [
      ['local', true],
      ['auto', false],
    ] as const) {
      const probes = outdated();
      expect(await preflightPlatform(choice, platformProbes(docker), existingBundle, probes)).toBe('local');
      expect(probes.bundleAsked).toBe(0);
      expect(probes.imagesAsked).toEqual([]);
    }
  });
});
