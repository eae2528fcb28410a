import { randomBytes } from 'node:crypto';
import { GenericContainer, Wait } from 'testcontainers';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../../harness/provision/docker-client.js';
import { ImageLabel } from '../../harness/provision/image-labels.js';
import { runProvisioning } from '../../harness/provision/run-provisioning.js';
import { isDockerNotFound } from '../../harness/platform/docker-engine.js';

const tag = randomBytes(4).toString('hex');
const names = {
  toxiproxy: `supernode-chaos-test/toxiproxy:${tag}`,
  nodeBase: `supernode-chaos-test/node:${tag}`,
  services: `supernode-chaos-test/services:${tag}`,
};

async function imageGone(name: string): Promise<boolean> {
  const { api } = await connectDocker();
  try {
    await api.getImage(name).inspect();
    return false;
  } catch (error) {
    if (isDockerNotFound(error)) return true;
    throw error;
  }
}

async function removeTestImages(): Promise<void> {
  const { api } = await connectDocker();
  for (const name of [names.services, names.nodeBase, names.toxiproxy]) {
    await api
      .getImage(name)
      .remove({ force: true })
      .catch((error: unknown) => {
        if (!isDockerNotFound(error)) throw error;
      });
  }
}

describe('offline images (what `chaos images --offline` builds)', () => {
  afterAll(removeTestImages);

  it('builds the three images offline, labelled, and they behave like the official ones', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const { exitCode, outcomes } = await runProvisioning(
      names,
      { offline: true, skipEngine: true, rebuild: false, scope: 'images' },
      { out: (line) => lines.push(line), progress: () => undefined },
    );
    const buildSeconds = (Date.now() - started) / 1000;
    expect(exitCode, lines.join('\n')).toBe(0);
    expect(outcomes.map((o) => `${o.subject}:${o.status}`)).toEqual(['toxiproxy image:did', 'node base image:did', 'services image:did']);
    console.log(`offline build of 3 images: ${buildSeconds.toFixed(1)} s`);

    const { api } = await connectDocker();
    const toxiproxyInfo = await api.getImage(names.toxiproxy).inspect();
    expect(toxiproxyInfo.Config.Labels?.[ImageLabel.offlineBuild]).toBe('true');
    expect(toxiproxyInfo.Config.Entrypoint).toEqual(['/toxiproxy']);
    const nodeInfo = await api.getImage(names.nodeBase).inspect();
    expect(nodeInfo.Config.Labels?.[ImageLabel.source]).toBe(`host-node ${process.version}`);
    const servicesInfo = await api.getImage(names.services).inspect();
    expect(servicesInfo.Config.Labels?.[ImageLabel.bundleSha256]).toMatch(/^[0-9a-f]{64}$/);
    expect(servicesInfo.Config.Labels?.[ImageLabel.nodeImageId]).toBe(nodeInfo.Id);

    // Toxiproxy answers its API with the stamped version and creates a proxy.
    const toxiproxy = await new GenericContainer(names.toxiproxy).withExposedPorts(8474).withWaitStrategy(Wait.forHttp('/version', 8474)).start();
    try {
      const api8474 = `http://${toxiproxy.getHost()}:${toxiproxy.getMappedPort(8474)}`;
      const version = (await (await fetch(`${api8474}/version`)).json()) as { version: string };
      expect(version.version).toBe('2.12.0');
      const created = await fetch(`${api8474}/proxies`, {
        method: 'POST',
        body: JSON.stringify({ name: 'probe', listen: '0.0.0.0:20000', upstream: '127.0.0.1:20001' }),
      });
      expect(created.status).toBe(201);
      const proxies = (await (await fetch(`${api8474}/proxies`)).json()) as Record<string, { enabled: boolean }>;
      expect(proxies['probe']?.enabled).toBe(true);
    } finally {
      await toxiproxy.stop();
    }

    // The node base runs the host's node, as `docker run IMAGE node -e ...` does with the official image.
    const node = await new GenericContainer(names.nodeBase)
      .withCommand(['node', '-e', 'console.log(process.version)'])
      .withWaitStrategy(Wait.forOneShotStartup())
      .start();
    const printed = await new Promise<string>((resolve, reject) => {
      let text = '';
      node
        .logs()
        .then((stream) => stream.on('data', (chunk: Buffer | string) => (text += chunk.toString())).on('end', () => resolve(text)).on('error', reject))
        .catch(reject);
    });
    await node.stop();
    expect(printed.trim()).toBe(process.version);

    // The services image starts a service on that base and answers /healthz.
    const echo = await new GenericContainer(names.services)
      .withEnvironment({ CHAOS_ROLE: 'echo', CHAOS_NODE_NAME: 'echo-1' })
      .withExposedPorts(7100)
      .withWaitStrategy(Wait.forHttp('/healthz', 7100))
      .start();
    try {
      const health = await fetch(`http://${echo.getHost()}:${echo.getMappedPort(7100)}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await echo.stop();
    }

    // A second run finds everything current and does nothing.
    const again = await runProvisioning(names, { offline: true, skipEngine: true, rebuild: false, scope: 'images' }, { out: () => undefined, progress: () => undefined });
    expect(again.outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok']);

    await removeTestImages();
    for (const name of Object.values(names)) expect(await imageGone(name)).toBe(true);
  });
});
