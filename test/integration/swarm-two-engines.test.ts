import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerApi, type DockerApi } from '../../harness/platform/docker-engine.js';
import { RUN_LABEL } from '../../harness/platform/platform.js';
import { engineTrustsPlainHttp, type EngineRegistryConfig } from '../../harness/platform/registry-trust.js';
import { freeLoopbackPort } from '../../harness/platform/free-port.js';
import { runCli } from './helpers/run-cli.js';
import { SECOND_ENGINE, secondEngineProblem, twoEngineSwarm, twoEngineTestsWanted, type TwoEngineSwarm } from './helpers/second-engine.js';
import { smallDedicatedScenario } from './helpers/small-dedicated.js';

/**
 * `--place spread` over two swarm nodes for real: this engine as the manager and a second engine on this
 * machine (helpers/second-engine.ts) as the worker, the images through a registry on the veth address
 * both reach. Opt-in (CHAOS_TEST_SWARM_TWO_ENGINES=1, as root), and this engine must list that registry
 * in its insecure-registries (the worker's engine is started with it).
 */

const registry = (port: number): string => `${SECOND_ENGINE.hostAddress}:${port}`;
const veth = `${SECOND_ENGINE.hostAddress.replace(/\.\d+$/, '.0')}/${SECOND_ENGINE.prefix}`;

const scenario = smallDedicatedScenario({
  name: 'two-engine-spread',
  description: 'A small dedicated topology spread over two swarm nodes, a latency toxic on every link to a supernode.',
  oneHour: '1s',
  seed: 23,
  supernodes: 4,
  clients: 40,
  availabilityFloor: 0.5,
  backoffCapMs: 2_000,
  rampUpMs: 1_000,
  steadyState: { hold: '1h', within: '40h' },
  sampleEveryMs: 500,
  duration: '6h',
  timeline: [
    {
      at: '0h',
      action: { do: 'inject', id: 'slow-supernodes', target: { links: { from: 'any', to: { group: 'supernodes' } } }, toxic: { type: 'latency', attributes: { latency: 100 } } },
    },
    { at: '3h', action: { do: 'heal', id: 'slow-supernodes' } },
  ],
});

describe.skipIf(!twoEngineTestsWanted)('swarm platform over two engines on this machine', () => {
  let api: DockerApi;
  let swarm: TwoEngineSwarm | undefined;
  let dir: string;
  let registryPort: number;

  beforeAll(async () => {
    api = await dockerApi();
    const problem = await secondEngineProblem(api);
    if (problem !== undefined) throw new Error(`cannot make a second engine here: ${problem}`);
    registryPort = await freeLoopbackPort();
    const info = (await api.info()) as { RegistryConfig?: EngineRegistryConfig };
    if (!engineTrustsPlainHttp(registry(registryPort), info.RegistryConfig)) {
      throw new Error(`this engine would push to ${registry(registryPort)} over HTTPS: add "insecure-registries": ["${veth}"] to /etc/docker/daemon.json, then kill -HUP the dockerd`);
    }
    dir = await mkdtemp(join(tmpdir(), 'sc-two-engines-'));
    swarm = await twoEngineSwarm(api, [veth]);
  }, 120_000);

  afterAll(async () => {
    if (dir !== undefined) {
      await runCli(['registry', 'stop', '--state-dir', join(dir, 'registry')]).catch(() => undefined);
    }
    await swarm?.dispose();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('places supernodes and the fleet on both nodes, meets the expectation through the registry, and leaves nothing', async () => {
    const state = join(dir, 'registry');
    const started = await runCli(['registry', 'start', '--host', SECOND_ENGINE.hostAddress, '--port', String(registryPort), '--state-dir', state]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain(`registry started at ${registry(registryPort)}`);

    const file = join(dir, 'scenario.json');
    await writeFile(file, JSON.stringify(scenario));
    const out = join(dir, 'out');
    const result = await runCli(['run', file, '--platform', 'swarm', '--place', 'spread', '--registry', registry(registryPort), '--out', out], { timeoutMs: 300_000 });
    expect(result.stderr).toContain('--place spread: toxiproxy, login, offline-messages on');
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);

    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { runs: { placement?: { byHost: Record<string, string[]> } }[] };
    const byHost = report.runs[0]?.placement?.byHost ?? {};
    expect(Object.keys(byHost).sort()).toHaveLength(2);
    const onWorker = byHost[SECOND_ENGINE.hostname] ?? [];
    expect(onWorker.length).toBeGreaterThan(0);
    expect(onWorker.every((name) => /^(sn|fleet)-/.test(name))).toBe(true);
    const onManager = Object.entries(byHost).find(([host]) => host !== SECOND_ENGINE.hostname)?.[1] ?? [];
    expect(onManager).toEqual(expect.arrayContaining(['toxiproxy', 'login']));

    const left = {
      services: await api.listServices({ filters: { label: [RUN_LABEL] } }),
      networks: await api.listNetworks({ filters: { label: [RUN_LABEL] } }),
      managerContainers: await api.listContainers({ all: true, filters: { label: [RUN_LABEL] } }),
      workerContainers: await swarm!.worker.listContainers({ all: true, filters: { label: [RUN_LABEL] } }),
    };
    expect(left).toEqual({ services: [], networks: [], managerContainers: [], workerContainers: [] });
  }, 360_000);
});
