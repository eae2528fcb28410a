import { describe, expect, it } from 'vitest';
import { defaultImageNames } from '../../harness/config/images.js';
import { ChaosError } from '../../harness/errors.js';
import { ResourceOwner } from '../../harness/lifecycle/owner.js';
import { createPlatform } from '../../harness/platform/create-platform.js';
import { dockerApi } from '../../harness/platform/docker-engine.js';
import { RUN_LABEL } from '../../harness/platform/platform.js';

describe('docker platform start failures', () => {
  it('a missing image is IMAGE_UNAVAILABLE with the setup hint, and nothing is left behind', async () => {
    const owner = new ResourceOwner();
    const runId = 'rmissingimage';
    const error = await createPlatform({ kind: 'docker', owner, runId, images: { ...defaultImageNames, toxiproxy: 'supernode-chaos/absent:0' } }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).code).toBe('IMAGE_UNAVAILABLE');
    expect((error as ChaosError).message).toContain('supernode-chaos/absent:0');
    expect((error as ChaosError).hint).toContain('npm run setup');
    expect(owner.size).toBe(0);
    const api = await dockerApi();
    const filters = { label: [`${RUN_LABEL}=${runId}`] };
    expect(await api.listContainers({ all: true, filters })).toEqual([]);
    expect(await api.listNetworks({ filters })).toEqual([]);
  });

  it('a node that fails to start is NODE_START_FAILED with its output, and its container is released', async () => {
    const owner = new ResourceOwner();
    const platform = await createPlatform({ kind: 'docker', owner });
    try {
      const error = await platform.startNode({ name: 'broken', role: 'login', config: {} }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect((error as ChaosError).code).toBe('NODE_START_FAILED');
      expect((error as ChaosError).details.join('\n')).toContain('service failed to start');
    } finally {
      expect(await owner.releaseAll()).toEqual([]);
    }
    const api = await dockerApi();
    expect(await api.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${platform.runId}`] } })).toEqual([]);
  });
});
