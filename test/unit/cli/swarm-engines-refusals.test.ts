import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { preflightPlatform } from '../../../harness/commands/run-preflight.js';
import { ChaosError } from '../../../harness/errors.js';
import type { PlatformProbes } from '../../../harness/platform/create-platform.js';
import type { DockerApi } from '../../../harness/platform/docker-engine.js';
import type { NodeEngineConnector } from '../../../harness/platform/swarm-node-engines.js';
import type { SwarmNodeInfo } from '../../../harness/platform/swarm-placement.js';
import { ImageLabel } from '../../../harness/provision/image-labels.js';
import type { ServicesImageProbes } from '../../../harness/provision/services-image-check.js';
import { useCliScratch } from './cli-scratch.js';
import { invokeCli, nothingCanStart } from './invoke-cli.js';

/**
 * CHAOS_SWARM_ENGINES: a malformed value is refused with --platform swarm before any engine is asked
 * (exit 2, though no Docker engine answers here), and ignored by the other platforms, which then refuse
 * at their own platform check (exit 3), so no case ever deploys. Then the preflight against a fake
 * swarm: a hostname that is no node (exit 2), an engine that is another node's or does not answer (exit
 * 3), and the line said for engines that check out.
 */

const scratch = useCliScratch('swarm-engines');
const fresh = (name: string): string => scratch.fresh(name);

const invoke = (args: readonly string[], engines: string): Promise<{ code: number; output: string }> =>
  invokeCli(args, { ...nothingCanStart(scratch.root), CHAOS_SWARM_ENGINES: engines, CHAOS_PLACE: '', CHAOS_REGISTRY: '', DOCKER_TLS_VERIFY: '' });

describe('chaos run with CHAOS_SWARM_ENGINES: refused before anything starts', () => {
  const cases = [
    {
      name: 'an entry that is not HOSTNAME=ENGINE, with --platform swarm',
      args: ['--platform', 'swarm'],
      engines: 'sc-w1',
      code: 2,
      message: /^INVALID_CONFIG: CHAOS_SWARM_ENGINES: "sc-w1" is not HOSTNAME=ENGINE; name each swarm node by its hostname .*e\.g\. CHAOS_SWARM_ENGINES=w1=unix:\/\/\/tmp\/w1\.sock,w2=tcp:\/\/10\.0\.0\.12:2375$/m,
    },
    {
      name: 'a hostname named twice',
      args: ['--platform', 'swarm'],
      engines: 'w1=unix:///tmp/a.sock,w1=unix:///tmp/b.sock',
      code: 2,
      message: /^INVALID_CONFIG: CHAOS_SWARM_ENGINES: w1 is named twice; give each swarm node one engine/m,
    },
    {
      name: 'an https engine: TLS is not built',
      args: ['--platform', 'swarm'],
      engines: 'w1=https://10.0.0.12:2376',
      code: 2,
      message: /^INVALID_CONFIG: CHAOS_SWARM_ENGINES: the engine of w1 \(https:\/\/10\.0\.0\.12:2376\) is an HTTPS address, and TLS to a node's engine is not built; .*ssh -NL/m,
    },
    // Valid, or not for this platform: on to the platform check, which refuses (exit 3) before anything starts.
    { name: 'a valid value with --platform swarm', args: ['--platform', 'swarm'], engines: 'w1=unix:///tmp/w1.sock', code: 3, message: /DOCKER_UNAVAILABLE: no Docker engine answers/ },
    { name: 'ignored by --platform local', args: ['--platform', 'local'], engines: 'nonsense', code: 3, message: /TOXIPROXY_UNAVAILABLE: toxiproxy-server is not on PATH/ },
    { name: 'ignored by --platform docker', args: ['--platform', 'docker'], engines: 'nonsense', code: 3, message: /DOCKER_UNAVAILABLE: no Docker engine answers/ },
  ];

  it.each(cases)('$name', async ({ args, engines, code, message }) => {
    const out = fresh('out');
    const result = await invoke(['run', scratch.scenario, '--out', out, ...args], engines);
    expect(result.output).toMatch(message);
    expect(result.code).toBe(code);
    expect(result.output).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });
});

const sha = 'a'.repeat(64);
const bundle = fileURLToPath(import.meta.url);
const node = (id: string, hostname: string, role: 'manager' | 'worker', addr: string): SwarmNodeInfo => ({ id, hostname, role, availability: 'active', state: 'ready', addr });
const mgr = node('m1', 'mgr', 'manager', '10.0.0.1');
const worker = node('w1', 'sc-w1', 'worker', '10.0.0.11');

/** A swarm of mgr and sc-w1; every engine named answers as the node `engineNodeId`, or not at all. */
function swarmProbes(engineNodeId: string | 'silent'): PlatformProbes & { engines: string[] } {
  const engines: string[] = [];
  const swarmNodeEngine: NodeEngineConnector = (address) => {
    engines.push(address.engine);
    const answer = <T>(value: T): Promise<T> => (engineNodeId === 'silent' ? Promise.reject(new Error('connect ECONNREFUSED')) : Promise.resolve(value));
    return { ping: () => answer('OK'), info: () => answer({ Swarm: { LocalNodeState: 'active', NodeID: engineNodeId } }) } as unknown as DockerApi;
  };
  return {
    engines,
    dockerAnswers: async () => true,
    toxiproxyServer: () => undefined,
    swarmMembership: async () => ({ inSwarm: true as const, role: 'manager' as const, nodeId: 'm1', nodeAddr: '10.0.0.1' }),
    swarmNodes: async () => [mgr, worker],
    swarmNodeEngine,
  };
}

const currentImage: ServicesImageProbes = {
  bundle: async () => ({ path: '/repo/dist/services.cjs', exists: true, sha256: sha, stale: false }),
  servicesImage: async (name: string) => ({ role: 'services' as const, name, present: true, id: 'sha256:s', labels: { [ImageLabel.bundleSha256]: sha }, pulled: false }),
};

describe('preflightPlatform with CHAOS_SWARM_ENGINES', () => {
  const keys = ['CHAOS_SWARM_ENGINES', 'CHAOS_PLACE', 'CHAOS_REGISTRY', 'DOCKER_TLS_VERIFY'] as const;
  const saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]));
  afterEach(() => {
    for (const key of keys) {
      const value = saved[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const preflight = (probes: PlatformProbes, said: string[]): Promise<string> =>
    preflightPlatform('swarm', probes, bundle, currentImage, async () => undefined, (line) => void said.push(line));
  const given = (engines: string): void => {
    for (const key of keys) delete process.env[key];
    process.env['CHAOS_SWARM_ENGINES'] = engines;
  };

  it('an engine that is its node: goes on, and says which nodes it reaches', async () => {
    given('sc-w1=unix:///run/sc-w1-docker.sock');
    const said: string[] = [];
    expect(await preflight(swarmProbes('w1'), said)).toBe('swarm');
    expect(said).toEqual(['CHAOS_SWARM_ENGINES: crash, pause, stop and logs reach sc-w1 through unix:///run/sc-w1-docker.sock']);
  });

  it('a hostname that is no node of the swarm: exit 2, listing the hostnames, no engine asked', async () => {
    given('w9=unix:///run/w9.sock');
    const probes = swarmProbes('w1');
    const error = await preflight(probes, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).exitCode).toBe(2);
    expect((error as ChaosError).message).toBe('CHAOS_SWARM_ENGINES: w9 is not a node of the swarm (its nodes: mgr, sc-w1)');
    expect(probes.engines).toEqual([]);
  });

  it("an engine that is another node's: exit 3, naming the node and the engine", async () => {
    given('sc-w1=unix:///var/run/docker.sock');
    const error = await preflight(swarmProbes('m1'), []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).code).toBe('DOCKER_UNAVAILABLE');
    expect((error as ChaosError).exitCode).toBe(3);
    expect((error as ChaosError).message).toBe('the engine at unix:///var/run/docker.sock answers, but it is not swarm node sc-w1 (w1): it is swarm node m1');
  });

  it('an engine that does not answer: exit 3', async () => {
    given('sc-w1=tcp://10.0.0.11:2375');
    const error = await preflight(swarmProbes('silent'), []).catch((e: unknown) => e);
    expect((error as ChaosError).exitCode).toBe(3);
    expect((error as ChaosError).message).toBe('the engine of swarm node sc-w1 (w1) at tcp://10.0.0.11:2375 does not answer a ping (connect ECONNREFUSED)');
  });

  it('ignored by --platform local: nothing asked of any engine', async () => {
    given('nonsense');
    const probes = { ...swarmProbes('w1'), toxiproxyServer: () => '/usr/bin/toxiproxy-server' };
    expect(await preflightPlatform('local', probes, bundle, currentImage, async () => undefined, () => undefined)).toBe('local');
    expect(probes.engines).toEqual([]);
  });
});
