import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../harness/observe/history-types.js';
import { readHistory } from '../../harness/observe/history-writer.js';
import { dockerApi, type DockerApi } from '../../harness/platform/docker-engine.js';
import { RUN_LABEL } from '../../harness/platform/platform.js';
import { engineTrustsPlainHttp, type EngineRegistryConfig } from '../../harness/platform/registry-trust.js';
import { freeLoopbackPort } from '../../harness/platform/free-port.js';
import { SWARM_ENGINES_ENV } from '../../harness/platform/swarm-node-engines.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { SECOND_ENGINE, secondEngineProblem, twoEngineSwarm, twoEngineTestsWanted, type TwoEngineSwarm } from './helpers/second-engine.js';
import { smallDedicatedScenario } from './helpers/small-dedicated.js';

/**
 * `--place spread` over two swarm nodes for real: this engine as the manager and a second engine on this
 * machine (helpers/second-engine.ts) as the worker, the images through a registry on the veth address
 * both reach. Opt-in (CHAOS_TEST_SWARM_TWO_ENGINES=1, as root), and this engine must list that registry
 * in its insecure-registries (the worker's engine is started with it). The second test gives the
 * worker's engine in CHAOS_SWARM_ENGINES, and crashes and pauses supernodes placed on the worker.
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

/**
 * Crash and pause reaching the worker's engine. A fault's target is a group and a count, never a node by
 * name, and the victims are a seeded draw, so the topology makes every draw hit the worker: three
 * supernodes go round robin over [sc-w1, manager] (workers first), so sn-01 and sn-03 run on the worker
 * and only sn-02 on the manager, and a crash of 2 (then a pause of 2) always takes at least one supernode
 * on the worker. The pause comes long after the crashed nodes' restart (1h after the crash, a few seconds
 * of forced update), so it never meets a node that is down.
 */
const faultScenario = smallDedicatedScenario({
  name: 'two-engine-faults',
  description: 'A small dedicated topology spread over two swarm nodes: supernodes on the worker crashed and restarted, then paused and resumed, through its own engine.',
  oneHour: '1s',
  seed: 29,
  supernodes: 3,
  clients: 30,
  availabilityFloor: 0.1,
  backoffCapMs: 2_000,
  rampUpMs: 1_000,
  steadyState: { hold: '1h', within: '40h' },
  sampleEveryMs: 500,
  duration: '16h',
  timeline: [
    { at: '1h', action: { do: 'crash', id: 'boxes-lost', target: { nodes: { group: 'supernodes', count: 2 } }, restartAfter: { kind: 'fixed', value: '1h' } } },
    { at: '10h', action: { do: 'pause', id: 'boxes-frozen', target: { nodes: { group: 'supernodes', count: 2 } } } },
    { at: '12h', action: { do: 'heal', id: 'boxes-frozen' } },
  ],
});

type FaultEvent = Extract<HistoryEvent, { type: 'fault' }>;
type NodeEvent = Extract<HistoryEvent, { type: 'node' }>;

describe.skipIf(!twoEngineTestsWanted)('swarm platform over two engines on this machine', () => {
  let api: DockerApi;
  let swarm: TwoEngineSwarm | undefined;
  let dir: string;
  let registryPort: number;
  let registryStarted = false;

  /** The registry on the veth address both nodes reach, started once for the tests that need it. */
  const registryUp = async (): Promise<void> => {
    if (registryStarted) return;
    const started = await runCli(['registry', 'start', '--host', SECOND_ENGINE.hostAddress, '--port', String(registryPort), '--state-dir', join(dir, 'registry')]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain(`registry started at ${registry(registryPort)}`);
    registryStarted = true;
  };

  /** Nothing labelled with a run left on either engine. */
  const leftovers = async () => ({
    services: await api.listServices({ filters: { label: [RUN_LABEL] } }),
    networks: await api.listNetworks({ filters: { label: [RUN_LABEL] } }),
    managerContainers: await api.listContainers({ all: true, filters: { label: [RUN_LABEL] } }),
    workerContainers: await swarm!.worker.listContainers({ all: true, filters: { label: [RUN_LABEL] } }),
  });

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
    await registryUp();

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

    expect(await leftovers()).toEqual({ services: [], networks: [], managerContainers: [], workerContainers: [] });
  }, 360_000);

  it("with the worker's engine in CHAOS_SWARM_ENGINES: supernodes on the worker crashed (137) and restarted, paused and resumed; exit 0, nothing left", async () => {
    await registryUp();
    const file = join(dir, 'faults.json');
    await writeFile(file, JSON.stringify(faultScenario));
    const out = join(dir, 'out-faults');
    const engine = `unix://${SECOND_ENGINE.socket}`;
    const engines = `${SECOND_ENGINE.hostname}=${engine}`;
    const saved = process.env[SWARM_ENGINES_ENV];
    process.env[SWARM_ENGINES_ENV] = engines;
    let result: CliResult;
    try {
      result = await runCli(['run', file, '--platform', 'swarm', '--place', 'spread', '--registry', registry(registryPort), '--out', out], { timeoutMs: 300_000 });
    } finally {
      if (saved === undefined) delete process.env[SWARM_ENGINES_ENV];
      else process.env[SWARM_ENGINES_ENV] = saved;
    }
    expect(result.stderr).toContain(`CHAOS_SWARM_ENGINES: crash, pause, stop and logs reach ${SECOND_ENGINE.hostname} through ${engine}`);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);

    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { runs: { placement?: { byHost: Record<string, string[]> } }[] };
    const onWorker = new Set(report.runs[0]?.placement?.byHost[SECOND_ENGINE.hostname] ?? []);
    expect([...onWorker].filter((name) => name.startsWith('sn-')).sort()).toEqual(['sn-01', 'sn-03']);

    const history = await readHistory(join(out, 'history-dedicated.jsonl'));
    expect(history.filter((event) => event.type === 'error')).toEqual([]);
    const faults = history.filter((event): event is FaultEvent => event.type === 'fault');
    const nodeEvents = history.filter((event): event is NodeEvent => event.type === 'node');

    const crash = faults.find((event) => event.kind === 'crash' && event.action === 'inject');
    const crashedOnWorker = (crash?.targets ?? []).filter((name) => onWorker.has(name));
    expect(crash?.targets).toHaveLength(2);
    expect(crashedOnWorker.length).toBeGreaterThan(0);
    // Every crashed node, on either engine: down by the fault with SIGKILL's 137 (the sampler may see it before the step's record is written), then restarted.
    for (const name of crash?.targets ?? []) {
      const events = nodeEvents.filter((event) => event.node === name);
      const down = events.find((event) => event.change === 'down' && event.cause === 'fault');
      expect(down, `${name}: ${JSON.stringify(events)}`).toMatchObject({ change: 'down', cause: 'fault', exitCode: 137 });
      const restarted = events.find((event) => event.change === 'restarted' && event.cause === 'user-restart');
      expect(restarted, `${name}: ${JSON.stringify(events)}`).toMatchObject({ change: 'restarted', cause: 'user-restart' });
      expect(restarted?.t ?? 0).toBeGreaterThan(down?.t ?? Number.POSITIVE_INFINITY);
    }

    const paused = faults.find((event) => event.kind === 'pause' && event.action === 'inject');
    expect(paused?.targets).toHaveLength(2);
    expect((paused?.targets ?? []).some((name) => onWorker.has(name))).toBe(true);
    expect(faults.find((event) => event.kind === 'pause' && event.action === 'heal')?.targets).toEqual(paused?.targets);
    // A pause is no exit: the paused supernodes never went down.
    const pausedAt = paused?.startedT ?? paused?.t ?? 0;
    expect(nodeEvents.filter((event) => event.change === 'down' && event.t >= pausedAt)).toEqual([]);

    expect(await leftovers()).toEqual({ services: [], networks: [], managerContainers: [], workerContainers: [] });
  }, 360_000);
});
