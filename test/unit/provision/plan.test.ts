import { describe, expect, it } from 'vitest';
import { planSetup, type PlannedStep, type SetupOptions } from '../../../harness/provision/plan.js';
import type { MachineProbes } from '../../../harness/provision/probes.js';
import { bareDebianRoot, bundleSha, names, provisionedMachine } from './fake-probes.js';

const setup: SetupOptions = { offline: false, skipEngine: false, rebuild: false, scope: 'all' };

function kinds(probes: MachineProbes, options: SetupOptions = setup): string[] {
  return planSetup(probes, names, options).steps.map((step) => `${step.subject}:${step.kind}`);
}

function step(probes: MachineProbes, subject: string, options: SetupOptions = setup): PlannedStep {
  const found = planSetup(probes, names, options).steps.find((s) => s.subject === subject);
  if (found === undefined) throw new Error(`no step for ${subject}`);
  return found;
}

describe('planSetup', () => {
  it('does nothing but report ok on a machine that has everything', () => {
    expect(kinds(provisionedMachine())).toEqual([
      'docker engine:ok',
      'chromium:ok',
      'promtool:ok',
      'docker-compose:ok',
      'docker-registry:ok',
      'toxiproxy-server:ok',
      'toxiproxy image:ok',
      'node base image:ok',
      'services image:ok',
    ]);
  });

  it('installs and starts everything on a bare Debian machine as root', () => {
    const probes = bareDebianRoot();
    expect(kinds(probes)).toEqual([
      'docker engine:install-engine',
      'chromium:apt-install',
      'promtool:apt-install',
      'docker-compose:apt-install',
      'docker-registry:apt-install',
      'toxiproxy-server:install-toxiproxy',
      'toxiproxy image:obtain-toxiproxy-image',
      'node base image:obtain-node-image',
      'services image:build-services',
    ]);
    expect(step(probes, 'docker engine')).toMatchObject({ installPackage: true });
    expect(step(probes, 'chromium')).toMatchObject({ packages: ['chromium'] });
    expect(step(probes, 'promtool')).toMatchObject({ packages: ['prometheus'] });
    expect(step(probes, 'docker-compose')).toMatchObject({ packages: ['docker-compose'] });
    expect(step(probes, 'docker-registry')).toMatchObject({ packages: ['docker-registry'] });
    expect(step(probes, 'toxiproxy-server')).toMatchObject({ binDir: '/usr/local/bin', pathHint: false });
    expect(step(probes, 'toxiproxy image')).toMatchObject({ pull: true, reason: 'engine is new', build: { from: 'go-install' } });
    expect(step(probes, 'node base image')).toMatchObject({ pull: true, build: true });
    expect(step(probes, 'services image')).toMatchObject({ buildBundle: true, force: false });
  });

  it("installs Debian's docker-compose for the manual game day unless it is there, and never lets it block a run", () => {
    expect(step(provisionedMachine(), 'docker-compose')).toMatchObject({ kind: 'ok', detail: '/usr/bin/docker-compose 1.29.2' });
    const pluginOnly: MachineProbes = { ...provisionedMachine(), compose: { standalone: null, plugin: '2.24.5' } };
    // As root on Debian, the package is installed beside the plugin: the game day's test drives both.
    expect(step(pluginOnly, 'docker-compose')).toMatchObject({ kind: 'apt-install', packages: ['docker-compose'] });
    expect(step({ ...pluginOnly, os: { debian: false, root: false } }, 'docker-compose')).toMatchObject({ kind: 'ok', detail: 'docker compose plugin 2.24.5' });
    const nonRoot = step({ ...bareDebianRoot(), os: { debian: true, root: false } }, 'docker-compose');
    expect(nonRoot).toMatchObject({ kind: 'problem', blocking: false });
    expect(nonRoot.kind === 'problem' && nonRoot.fix).toContain('apt-get install -y docker-compose');
    const elsewhere = step({ ...bareDebianRoot(), os: { debian: false, root: true } }, 'docker-compose');
    expect(elsewhere.kind === 'problem' && elsewhere.fix).toContain('https://docs.docker.com/compose/install/');
  });

  it("installs Debian's docker-registry for `chaos registry` unless it is on PATH, and never lets it block a run", () => {
    expect(step(provisionedMachine(), 'docker-registry')).toMatchObject({ kind: 'ok', detail: '/usr/bin/docker-registry' });
    const nonRoot = step({ ...bareDebianRoot(), os: { debian: true, root: false } }, 'docker-registry');
    expect(nonRoot).toMatchObject({ kind: 'problem', blocking: false, problem: 'no docker-registry on PATH' });
    expect(nonRoot.kind === 'problem' && nonRoot.fix).toBe('as root: `apt-get install -y docker-registry` (only `chaos registry` and its test need it)');
    const elsewhere = step({ ...bareDebianRoot(), os: { debian: false, root: true } }, 'docker-registry');
    expect(elsewhere.kind === 'problem' && elsewhere.fix).toContain('pass --registry');
  });

  it('only starts dockerd when docker.io is installed but not running', () => {
    const probes = { ...bareDebianRoot(), dockerdPath: '/usr/sbin/dockerd' };
    expect(step(probes, 'docker engine')).toMatchObject({ kind: 'install-engine', installPackage: false });
  });

  it('tells a non-root Debian user exactly what to run instead of installing', () => {
    const probes: MachineProbes = { ...bareDebianRoot(), os: { debian: true, root: false }, binDirs: { systemWritable: false, userOnPath: false } };
    const engine = step(probes, 'docker engine');
    expect(engine).toMatchObject({ kind: 'problem', problem: 'no Docker engine installed' });
    expect(engine.kind === 'problem' && engine.fix).toContain('apt-get install -y docker.io');
    const chromium = step(probes, 'chromium');
    expect(chromium).toMatchObject({ kind: 'problem', blocking: false });
    expect(chromium.kind === 'problem' && chromium.fix).toContain('apt-get install -y chromium');
    expect(step(probes, 'toxiproxy-server')).toMatchObject({ kind: 'install-toxiproxy', binDir: expect.stringMatching(/\.local\/bin$/), pathHint: true });
    expect(kinds(probes)).toContain('images:skip');
    // toxiproxy-server will be installed, so the local platform can still run: the missing engine does not block.
    expect(engine).toMatchObject({ blocking: false });
  });

  it('points a non-Debian machine at Docker Engine and Chromium without touching a package manager', () => {
    const probes: MachineProbes = { ...bareDebianRoot(), os: { debian: false, root: true } };
    const engine = step(probes, 'docker engine');
    expect(engine.kind).toBe('problem');
    expect(engine.kind === 'problem' && engine.fix).toContain('https://docs.docker.com/engine/install/');
    expect(step(probes, 'chromium').kind).toBe('problem');
    expect(kinds(probes).some((k) => k.endsWith(':apt-install') || k.endsWith(':install-engine'))).toBe(false);
  });

  it('offline: never pulls, builds the local equivalents from the cached static binary and the host node', () => {
    const probes: MachineProbes = {
      ...provisionedMachine(),
      toxiproxyCache: { path: '/repo/.cache/toxiproxy-v2.12.0/server', version: '2.12.0', static: true },
      images: [
        { role: 'toxiproxy', name: names.toxiproxy, present: false, id: null, labels: {}, pulled: false },
        { role: 'nodeBase', name: names.nodeBase, present: false, id: null, labels: {}, pulled: false },
        { role: 'services', name: names.services, present: false, id: null, labels: {}, pulled: false },
      ],
    };
    const offline = { ...setup, offline: true };
    expect(step(probes, 'toxiproxy image', offline)).toMatchObject({
      pull: false,
      reason: 'missing',
      build: { from: 'binary', path: '/repo/.cache/toxiproxy-v2.12.0/server' },
    });
    expect(step(probes, 'node base image', offline)).toMatchObject({ pull: false, build: true });
    expect(step(probes, 'services image', offline)).toMatchObject({ kind: 'build-services', force: true, reason: 'missing' });
  });

  it('without Go: says where to get the release binary, and cannot build the Toxiproxy image offline', () => {
    const probes: MachineProbes = {
      ...provisionedMachine(),
      go: null,
      toxiproxy: null,
      images: provisionedMachine().images?.map((image) => (image.role === 'toxiproxy' ? { ...image, present: false, id: null } : image)) ?? null,
    };
    const server = step(probes, 'toxiproxy-server');
    expect(server.kind).toBe('problem');
    expect(server.kind === 'problem' && server.fix).toContain('https://github.com/Shopify/toxiproxy/releases/tag/v2.12.0');
    // The engine answers, so the docker platform is possible: not blocking.
    expect(server).toMatchObject({ blocking: false });
    expect(step(probes, 'toxiproxy image', { ...setup, offline: true })).toMatchObject({ kind: 'problem' });
    // Online it may still be pulled.
    expect(step(probes, 'toxiproxy image')).toMatchObject({ kind: 'obtain-toxiproxy-image', pull: true, build: null });
  });

  it('uses a static toxiproxy-server of the right version on PATH, but never a dynamic one', () => {
    const missing = provisionedMachine().images?.map((image) => ({ ...image, present: false, id: null })) ?? null;
    const staticOnPath: MachineProbes = { ...provisionedMachine(), images: missing };
    expect(step(staticOnPath, 'toxiproxy image')).toMatchObject({ build: { from: 'binary', path: '/usr/local/bin/toxiproxy-server' } });
    const dynamicOnPath: MachineProbes = {
      ...staticOnPath,
      toxiproxy: { path: '/usr/local/bin/toxiproxy-server', version: '2.12.0', static: false },
    };
    expect(step(dynamicOnPath, 'toxiproxy image')).toMatchObject({ build: { from: 'go-install' } });
  });

  it('rebuilds the services image when the bundle changed, the hash label is missing, or the base changed', () => {
    const withServices = (labels: Record<string, string>): MachineProbes => ({
      ...provisionedMachine(),
      images: provisionedMachine().images?.map((image) => (image.role === 'services' ? { ...image, labels } : image)) ?? null,
    });
    expect(step(withServices({}), 'services image')).toMatchObject({ force: true, reason: 'image carries no bundle hash' });
    expect(step(withServices({ 'org.supernode-chaos.bundle-sha256': 'b'.repeat(64), 'org.supernode-chaos.node-image-id': 'sha256:n' }), 'services image')).toMatchObject({
      force: true,
      reason: 'dist/services.cjs changed',
    });
    expect(step(withServices({ 'org.supernode-chaos.bundle-sha256': bundleSha, 'org.supernode-chaos.node-image-id': 'sha256:old' }), 'services image')).toMatchObject({
      force: true,
      reason: 'node base image changed',
    });
    const stale: MachineProbes = { ...provisionedMachine(), bundle: { ...provisionedMachine().bundle, stale: true } };
    expect(step(stale, 'services image')).toMatchObject({ buildBundle: true, force: false });
  });

  it('--skip-engine leaves a dead engine alone and skips the images', () => {
    expect(kinds(bareDebianRoot(), { ...setup, skipEngine: true })).toEqual([
      'docker engine:skip',
      'chromium:apt-install',
      'promtool:apt-install',
      'docker-compose:apt-install',
      'docker-registry:apt-install',
      'toxiproxy-server:install-toxiproxy',
      'images:skip',
    ]);
  });

  it('`chaos images` touches only images, and --rebuild replaces present ones', () => {
    const images = { ...setup, scope: 'images' as const, rebuild: true };
    expect(kinds(provisionedMachine(), images)).toEqual([
      'toxiproxy image:obtain-toxiproxy-image',
      'node base image:obtain-node-image',
      'services image:build-services',
    ]);
    expect(step(provisionedMachine(), 'toxiproxy image', images)).toMatchObject({ reason: 'rebuild requested' });
    const noEngine = kinds(bareDebianRoot(), { ...images, rebuild: false });
    expect(noEngine).toEqual(['docker engine:problem', 'images:skip']);
  });
});
