import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { preflightPlatform } from '../../../harness/commands/run-preflight.js';
import { ChaosError } from '../../../harness/errors.js';
import type { PlatformProbes } from '../../../harness/platform/create-platform.js';
import { ImageLabel } from '../../../harness/provision/image-labels.js';
import type { ServicesImageProbes } from '../../../harness/provision/services-image-check.js';

/** `preflightPlatform` asks the registry CHAOS_REGISTRY names (set by `--registry`) only for a swarm run. */

const sha = 'a'.repeat(64);
const bundle = fileURLToPath(import.meta.url);
const probes: PlatformProbes = {
  dockerAnswers: async () => true,
  toxiproxyServer: () => '/usr/local/bin/toxiproxy-server',
  swarmMembership: async () => ({ inSwarm: true, role: 'manager', nodeId: 'n1', nodeAddr: '127.0.0.1' }),
};

function currentImage(): ServicesImageProbes & { asked: number } {
  const fake = {
    asked: 0,
    bundle: async () => ({ path: '/repo/dist/services.cjs', exists: true, sha256: sha, stale: false }),
    servicesImage: async (name: string) => {
      fake.asked += 1;
      return { role: 'services' as const, name, present: true, id: 'sha256:s', labels: { [ImageLabel.bundleSha256]: sha }, pulled: false };
    },
  };
  return fake;
}

const saved = process.env['CHAOS_REGISTRY'];
afterEach(() => {
  if (saved === undefined) delete process.env['CHAOS_REGISTRY'];
  else process.env['CHAOS_REGISTRY'] = saved;
});

describe('preflightPlatform with a registry', () => {
  it('swarm: asks the registry, and refuses (exit 3) when it does not answer', async () => {
    process.env['CHAOS_REGISTRY'] = '127.0.0.1:5999';
    const asked: string[] = [];
    expect(await preflightPlatform('swarm', probes, bundle, currentImage(), async (registry) => void asked.push(registry))).toBe('swarm');
    expect(asked).toEqual(['127.0.0.1:5999']);
    const silent = new ChaosError('IMAGE_UNAVAILABLE', 'no registry answers at 127.0.0.1:5999', { hint: 'chaos registry start' });
    await expect(preflightPlatform('swarm', probes, bundle, currentImage(), async () => Promise.reject(silent))).rejects.toBe(silent);
  });

  it('swarm: a malformed CHAOS_REGISTRY is refused (exit 2) before the services image is asked', async () => {
    process.env['CHAOS_REGISTRY'] = 'http://127.0.0.1:5000';
    const image = currentImage();
    const error = await preflightPlatform('swarm', probes, bundle, image, async () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).exitCode).toBe(2);
    expect(image.asked).toBe(0);
  });

  it('asks no registry without CHAOS_REGISTRY, nor for docker', async () => {
    const asked: string[] = [];
    const check = async (registry: string): Promise<void> => void asked.push(registry);
    delete process.env['CHAOS_REGISTRY'];
    expect(await preflightPlatform('swarm', probes, bundle, currentImage(), check)).toBe('swarm');
    process.env['CHAOS_REGISTRY'] = '127.0.0.1:5999';
    expect(await preflightPlatform('docker', probes, bundle, currentImage(), check)).toBe('docker');
    expect(asked).toEqual([]);
  });
});
