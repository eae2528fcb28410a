import { ImageLabel } from '../../../harness/provision/image-labels.js';
import type { MachineProbes } from '../../../harness/provision/probes.js';

export const names = {
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
  nodeBase: 'node:20-bookworm-slim',
  services: 'supernode-chaos/services:dev',
} as const;

export const bundleSha = 'a'.repeat(64);

/** A machine with everything in place: engine, chromium, promtool, docker-compose, docker-registry, toxiproxy-server 2.12.0, all three images current. */
export function provisionedMachine(): MachineProbes {
  return {
    os: { debian: true, root: true },
    engine: { answers: true, version: '20.10.24', endpoint: '/var/run/docker.sock' },
    dockerdPath: '/usr/sbin/dockerd',
    chromiumPath: '/usr/bin/chromium',
    promtoolPath: '/usr/bin/promtool',
    dockerRegistryPath: '/usr/bin/docker-registry',
    compose: { standalone: { path: '/usr/bin/docker-compose', version: '1.29.2' }, plugin: null },
    toxiproxy: { path: '/usr/local/bin/toxiproxy-server', version: '2.12.0', static: true },
    toxiproxyCache: null,
    go: { path: '/usr/local/go/bin/go', version: '1.26.8' },
    node: { path: '/usr/bin/node', version: 'v20.20.2' },
    lddPath: '/usr/bin/ldd',
    binDirs: { systemWritable: true, userOnPath: false },
    images: [
      { role: 'toxiproxy', name: names.toxiproxy, present: true, id: 'sha256:t', labels: { [ImageLabel.offlineBuild]: 'true' }, pulled: false },
      { role: 'nodeBase', name: names.nodeBase, present: true, id: 'sha256:n', labels: {}, pulled: true },
      {
        role: 'services',
        name: names.services,
        present: true,
        id: 'sha256:s',
        labels: { [ImageLabel.bundleSha256]: bundleSha, [ImageLabel.nodeImageId]: 'sha256:n' },
        pulled: false,
      },
    ],
    bundle: { path: '/repo/dist/services.cjs', exists: true, sha256: bundleSha, stale: false },
  };
}

/** A fresh Debian machine as root: no engine running or installed, no chromium, promtool, docker-compose, docker-registry or toxiproxy, no bundle. */
export function bareDebianRoot(): MachineProbes {
  return {
    ...provisionedMachine(),
    engine: { answers: false, reason: 'no socket' },
    dockerdPath: null,
    chromiumPath: null,
    promtoolPath: null,
    dockerRegistryPath: null,
    compose: { standalone: null, plugin: null },
    toxiproxy: null,
    images: null,
    bundle: { path: '/repo/dist/services.cjs', exists: false, sha256: null, stale: false },
  };
}
