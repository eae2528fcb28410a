import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageNamesFrom } from '../../harness/config/images.js';
import { dockerApi, isDockerNotFound, type DockerApi } from '../../harness/platform/docker-engine.js';
import { findOnPath } from '../../harness/platform/find-on-path.js';
import { freeLoopbackPort } from '../../harness/platform/free-port.js';
import { pushImage, registryImageName } from '../../harness/platform/image-registry.js';
import { isAlive } from '../../harness/platform/process-identity.js';
import { readRegistryState, registryFiles, REGISTRY_BINARY, stopRegistry, type RegistryRecord } from '../../harness/platform/registry-server.js';
import { runCli } from './helpers/run-cli.js';

/**
 * `chaos registry start|status|stop` with Debian's real docker-registry (installed by `npm run setup`) on
 * a free loopback port and a state directory of the test's own, and the Toxiproxy image pushed to it
 * through the real engine: the digest pushImage pins is the one the registry serves. Nothing is left:
 * the registry stopped, its port closed, its state directory and the registry-named tag removed.
 */

const image = imageNamesFrom().toxiproxy;
const cliTimeoutMs = 60_000;

/** Whether something accepts a connection on 127.0.0.1:port within 2 s. */
function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function removeTag(api: DockerApi, ref: string): Promise<void> {
  await api
    .getImage(ref)
    .remove()
    .catch((error: unknown) => {
      if (!isDockerNotFound(error)) throw error;
    });
}

describe('images through a registry: chaos registry and pushImage', () => {
  let api: DockerApi;
  let stateDir: string;
  let port: number;
  let address: string;
  const { repo, tag } = registryImageName('127.0.0.1:0', image);
  const taggedRef = (): string => `${registryImageName(address, image).repo}:${tag}`;

  beforeAll(async () => {
    api = await dockerApi();
    stateDir = mkdtempSync(join(tmpdir(), 'chaos-registry-it-'));
    port = await freeLoopbackPort();
    address = `127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (stateDir === undefined) return;
    await stopRegistry(stateDir).catch(() => undefined);
    if (api !== undefined && address !== undefined) await removeTag(api, taggedRef());
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts the registry detached, pushes the Toxiproxy image pinned by digest, and stops it leaving nothing', async (context) => {
    if (findOnPath(REGISTRY_BINARY) === undefined) context.skip(`${REGISTRY_BINARY} is not on PATH (Debian: npm run setup as root, or apt-get install -y docker-registry)`);
    expect(repo).toBe('127.0.0.1:0/shopify/toxiproxy');
    const local = await api.getImage(image).inspect();

    const started = await runCli(['registry', 'start', '--state-dir', stateDir, '--port', String(port)], { timeoutMs: cliTimeoutMs });
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`registry started at ${address} (pid `);
    expect(started.stdout).toContain(`--registry ${address}`);
    // The command has exited; the registry it started still runs, on loopback only.
    const state = await readRegistryState(stateDir);
    if (!state.running) throw new Error(`no registry runs after \`chaos registry start\`: ${readFileSync(registryFiles(stateDir).log, 'utf8')}`);
    const record: RegistryRecord = state.record;
    expect(record.address).toBe(address);
    expect(readFileSync(registryFiles(stateDir).config, 'utf8')).toContain(`addr: ${address}\n`);

    const again = await runCli(['registry', 'start', '--state-dir', stateDir, '--port', String(port)], { timeoutMs: cliTimeoutMs });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`a registry from ${stateDir} already runs at ${address} (pid ${record.pid})`);

    const ref = await pushImage(api, image, address, undefined, AbortSignal.timeout(120_000));
    expect(ref).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}/shopify/toxiproxy@sha256:[0-9a-f]{64}$`));
    const digest = ref.split('@')[1];
    const manifest = await fetch(`http://${address}/v2/shopify/toxiproxy/manifests/${tag}`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      signal: AbortSignal.timeout(10_000),
    });
    expect(manifest.status).toBe(200);
    await manifest.arrayBuffer();
    expect(manifest.headers.get('docker-content-digest')).toBe(digest);
    // The pinned reference names, on this engine, the very image that was pushed.
    expect((await api.getImage(ref).inspect()).Id).toBe(local.Id);

    const status = await runCli(['registry', 'status', '--state-dir', stateDir], { timeoutMs: cliTimeoutMs });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`registry running at ${address} (pid ${record.pid}), answers`);

    const stopped = await runCli(['registry', 'stop', '--state-dir', stateDir], { timeoutMs: cliTimeoutMs });
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toBe(`registry at ${address} (pid ${record.pid}) stopped\n`);
    expect(isAlive(record)).toBe(false);
    expect(await portOpen(port)).toBe(false);
    expect(existsSync(registryFiles(stateDir).pid)).toBe(false);

    await removeTag(api, taggedRef());
    await expect(api.getImage(taggedRef()).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await api.getImage(image).inspect()).Id).toBe(local.Id);
  });
});
