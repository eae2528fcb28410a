import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { preflightPlatform } from '../../../harness/commands/run-preflight.js';
import { ChaosError } from '../../../harness/errors.js';
import type { PlatformProbes } from '../../../harness/platform/create-platform.js';
import type { SwarmNodeInfo } from '../../../harness/platform/swarm-placement.js';
import { ImageLabel } from '../../../harness/provision/image-labels.js';
import type { ServicesImageProbes } from '../../../harness/provision/services-image-check.js';
import { useCliScratch } from './cli-scratch.js';
import { invokeCli, nothingCanStart } from './invoke-cli.js';

/**
 * `chaos run --place` and CHAOS_PLACE: refused before anything starts (exit 2) with another platform than
 * swarm or a value that is no placement; a valid one goes on to the platform check, which here (a dead
 * Docker socket, no toxiproxy-server) refuses with exit 3, so no case ever deploys. Then the preflight of
 * `--place spread` against a fake swarm: images a worker could not pull are refused, a swarm of one node
 * is said to place as `manager`.
 */

const scratch = useCliScratch('place');
const fresh = (name: string): string => scratch.fresh(name);

/** CHAOS_PLACE and CHAOS_REGISTRY are always passed, so that whatever the run sets them to is restored after. */
const invoke = (args: readonly string[], placeEnv = ''): Promise<{ code: number; output: string }> =>
  invokeCli(args, { ...nothingCanStart(scratch.root), CHAOS_PLACE: placeEnv, CHAOS_REGISTRY: '' });

describe('chaos run --place: refused before anything starts', () => {
  const cases = [
    {
      name: '--place with --platform local',
      args: ['--platform', 'local', '--place', 'spread'],
      code: 2,
      message: /^INVALID_CONFIG: --place is only for --platform swarm \(the platform here is local\); add --platform swarm, or drop --place/m,
    },
    { name: '--place with the default platform (auto never picks swarm)', args: ['--place', 'manager'], code: 2, message: /--place is only for --platform swarm \(the platform here is auto\)/ },
    { name: '--place with --platform docker', args: ['--platform', 'docker', '--place', 'spread'], code: 2, message: /--place is only for --platform swarm \(the platform here is docker\)/ },
    { name: 'a value that is no placement', args: ['--platform', 'swarm', '--place', 'everywhere'], code: 2, message: /argument 'everywhere' is invalid\. Allowed choices are manager, spread/ },
    {
      name: 'a CHAOS_PLACE that is no placement, with --platform swarm',
      args: ['--platform', 'swarm'],
      env: 'everywhere',
      code: 2,
      message: /^INVALID_CONFIG: CHAOS_PLACE "everywhere" is not a placement: allowed are manager and spread; .*e\.g\. CHAOS_PLACE=spread$/m,
    },
    // Valid, or not for this platform: on to the platform check, which refuses (exit 3) before anything starts.
    { name: 'a valid --place with --platform swarm', args: ['--platform', 'swarm', '--place', 'spread'], code: 3, message: /DOCKER_UNAVAILABLE: no Docker engine answers/ },
    { name: 'CHAOS_PLACE is ignored by --platform local', args: ['--platform', 'local'], env: 'nonsense', code: 3, message: /TOXIPROXY_UNAVAILABLE: toxiproxy-server is not on PATH/ },
  ];

  it.each(cases)('$name', async ({ args, env, code, message }) => {
    const out = fresh('out');
    const result = await invoke(['run', scratch.scenario, '--out', out, ...args], env);
    expect(result.output).toMatch(message);
    expect(result.code).toBe(code);
    expect(result.output).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
    expect(process.env['CHAOS_PLACE']).toBeUndefined();
  });
});

const sha = 'a'.repeat(64);
const bundle = fileURLToPath(import.meta.url);
const node = (id: string, hostname: string, role: 'manager' | 'worker', addr: string): SwarmNodeInfo => ({ id, hostname, role, availability: 'active', state: 'ready', addr });

function swarmProbes(nodes: readonly SwarmNodeInfo[]): PlatformProbes & { nodesAsked: number } {
  const probes = {
    nodesAsked: 0,
    dockerAnswers: async () => true,
    toxiproxyServer: () => undefined,
    swarmMembership: async () => ({ inSwarm: true as const, role: 'manager' as const, nodeId: 'm1', nodeAddr: '10.0.0.1' }),
    swarmNodes: async () => {
      probes.nodesAsked += 1;
      return nodes;
    },
  };
  return probes;
}

const currentImage: ServicesImageProbes = {
  bundle: async () => ({ path: '/repo/dist/services.cjs', exists: true, sha256: sha, stale: false }),
  servicesImage: async (name: string) => ({ role: 'services' as const, name, present: true, id: 'sha256:s', labels: { [ImageLabel.bundleSha256]: sha }, pulled: false }),
};

describe('preflightPlatform with CHAOS_PLACE=spread', () => {
  const saved = { place: process.env['CHAOS_PLACE'], registry: process.env['CHAOS_REGISTRY'] };
  afterEach(() => {
    for (const [key, value] of [
      ['CHAOS_PLACE', saved.place],
      ['CHAOS_REGISTRY', saved.registry],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const mgr = node('m1', 'mgr', 'manager', '10.0.0.1');
  const worker = node('w1', 'worker-1', 'worker', '10.0.0.11');
  const preflight = (probes: PlatformProbes, said: string[]): Promise<string> =>
    preflightPlatform('swarm', probes, bundle, currentImage, async () => undefined, (line) => void said.push(line));

  it('refuses (exit 2) a swarm with a ready worker and no registry, saying what to add', async () => {
    process.env['CHAOS_PLACE'] = 'spread';
    delete process.env['CHAOS_REGISTRY'];
    const error = await preflight(swarmProbes([mgr, worker]), []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).exitCode).toBe(2);
    expect((error as ChaosError).describe()).toBe(
      'INVALID_CONFIG: --place spread puts tasks on other nodes (worker-1), which can only pull images from a registry; add --registry HOST:PORT (chaos registry start), or use --place manager',
    );
  });

  it('goes on with a registry the worker reaches, and says where the run goes', async () => {
    process.env['CHAOS_PLACE'] = 'spread';
    process.env['CHAOS_REGISTRY'] = '10.0.0.5:5000';
    const said: string[] = [];
    expect(await preflight(swarmProbes([mgr, worker]), said)).toBe('swarm');
    expect(said).toEqual(['--place spread: toxiproxy, login, offline-messages on mgr; supernodes and fleets round robin over worker-1, mgr']);
  });

  it('on a swarm of one node: no registry needed, and the notice that it places as manager', async () => {
    process.env['CHAOS_PLACE'] = 'spread';
    delete process.env['CHAOS_REGISTRY'];
    const said: string[] = [];
    expect(await preflight(swarmProbes([mgr]), said)).toBe('swarm');
    expect(said).toEqual(['--place spread: the swarm has no other node, so every service runs on mgr, as with --place manager']);
  });

  it('asks nothing of the nodes under manager (the default)', async () => {
    delete process.env['CHAOS_PLACE'];
    delete process.env['CHAOS_REGISTRY'];
    const probes = swarmProbes([mgr, worker]);
    const said: string[] = [];
    expect(await preflight(probes, said)).toBe('swarm');
    expect(probes.nodesAsked).toBe(0);
    expect(said).toEqual([]);
  });
});
