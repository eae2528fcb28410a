import { setMaxListeners } from 'node:events';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { imageNamesFrom } from '../../harness/config/images.js';
import { dockerApi, engineAddress, type DockerApi } from '../../harness/platform/docker-engine.js';
import { EngineLanes, type EndpointChange } from '../../harness/platform/engine-lanes.js';
import { listNetworksProbe, unlessEngineLost } from '../../harness/platform/engine-watch.js';
import { machineFacts } from './machine-facts.js';

/**
 * Aims at libnetwork 20.10's lock-order deadlock (moby/moby#42545) directly. `sbJoin` calls
 * `getSvcRecords`, which holds the network's lock while it waits for the controller's; the watch
 * loop's `processEndpointDelete`, when a network's last watched endpoint goes, holds the controller's
 * lock while it waits for the network's. So: a container joining network N while N's last other
 * container leaves it, with the controller's lock kept busy by the embedded DNS server (every query
 * takes it), as Toxiproxy's lookups of upstreams by name kept it busy in a restart storm.
 *
 * Each of `--pairs` shared networks holds a group of `--group` containers; every round the group is
 * removed while the next one is created and started on the same network. Beside them, `--hammers`
 * containers on a network of their own send queries:
 *
 * old: the hammers resolve each other's names through the engine's DNS server; removals and starts
 *      run at once (as the Docker platform did when a teardown met the next deploy).
 * new: the hammers dial each other by address (no query reaches the engine); removals and starts go
 *      through the engine lanes the Docker platform uses now (never side by side, one at a time).
 *
 *   node --import tsx test/bench/engine-deadlock.ts --way old|new [--minutes 5] [--out file.json]
 *     [--dns name|address] [--lanes on|off]   (one fix at a time: these override what --way sets)
 *
 * A deadlocked engine stays so: the bench takes its goroutine dump (SIGUSR1) and names it; restart
 * dockerd (`kill -9 $(cat /var/run/docker.pid)`, then `npm run setup`) and `chaos doctor --clean`.
 */

type Way = 'old' | 'new';
const label = 'org.supernode-chaos.deadlock-bench';
const silenceBoundMs = 30_000;
const dockerPidFile = '/var/run/docker.pid';
const dumpDirectory = '/var/run/docker';

interface DeadlockResult {
  readonly way: Way;
  readonly dns: 'name' | 'address';
  readonly lanes: boolean;
  readonly engineHung: boolean;
  readonly hungAfterSeconds: number | null;
  /** The goroutine dump taken once the engine stopped answering, and whether it shows the lock pair. */
  readonly goroutineDump: { readonly path: string; readonly processEndpointDelete: boolean; readonly getSvcRecords: boolean; readonly resolverGoroutines: number } | null;
  readonly rounds: number;
  readonly joins: number;
  readonly leaves: number;
  readonly callErrors: number;
  readonly seconds: number;
}

/** c-ares queries straight to the container's resolver (127.0.0.11 on a user network), 32 in flight. */
function nameHammer(names: readonly string[]): string[] {
  return [
    '-e',
    `const { Resolver } = require('node:dns'); const r = new Resolver({ timeout: 2000, tries: 1 }); const names = ${JSON.stringify(names)}; let i = 0;
     const go = () => r.resolve4(names[i++ % names.length], () => setImmediate(go)); for (let k = 0; k < 32; k++) go();
     require('node:net').createServer((s) => s.destroy()).listen(7000);`,
  ];
}

/** The same rate of connections, to addresses: nothing asks the engine. */
function addressHammer(addresses: readonly string[]): string[] {
  return [
    '-e',
    `const net = require('node:net'); const peers = ${JSON.stringify(addresses)}; let i = 0;
     const go = () => { const s = net.connect(7000, peers[i++ % peers.length]); const next = () => { s.destroy(); setImmediate(go); }; s.once('error', next); s.once('close', next); };
     require('node:net').createServer((s) => s.destroy()).listen(7000, () => { for (let k = 0; k < 32; k++) go(); });`,
  ];
}

const idle = ['-e', "require('node:net').createServer((s) => s.destroy()).listen(7000);"];

async function newestDump(after: number): Promise<string | undefined> {
  const names = await readdir(dumpDirectory).catch(() => [] as string[]);
  const dumps = names.filter((name) => name.startsWith('goroutine-stacks-')).sort();
  const newest = dumps.at(-1);
  if (newest === undefined) return undefined;
  const path = join(dumpDirectory, newest);
  return (await stat(path)).mtimeMs >= after ? path : undefined;
}

async function takeGoroutineDump(): Promise<DeadlockResult['goroutineDump']> {
  const pid = Number((await readFile(dockerPidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const asked = Date.now();
  process.kill(pid, 'SIGUSR1');
  for (let i = 0; i < 20; i++) {
    await delay(500);
    const path = await newestDump(asked - 1_000);
    if (path === undefined) continue;
    const text = await readFile(path, 'utf8');
    return {
      path,
      processEndpointDelete: text.includes('processEndpointDelete'),
      getSvcRecords: text.includes('getSvcRecords'),
      resolverGoroutines: text.split('\n').filter((line) => line.includes('(*resolver).ServeDNS')).length,
    };
  }
  return null;
}

async function removeEverything(api: DockerApi): Promise<void> {
  const filters = JSON.stringify({ label: [label] });
  for (const c of await api.listContainers({ all: true, filters })) await api.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const n of await api.listNetworks({ filters })) await api.getNetwork(n.Id).remove().catch(() => undefined);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { way: { type: 'string' }, dns: { type: 'string' }, lanes: { type: 'string' }, minutes: { type: 'string', default: '5' }, pairs: { type: 'string', default: '6' }, group: { type: 'string', default: '3' }, hammers: { type: 'string', default: '4' }, out: { type: 'string' } },
  });
  const way = values.way as Way;
  if (way !== 'old' && way !== 'new') throw new Error('--way old|new is required');
  // One fix at a time: --dns name|address and --lanes on|off override what --way sets.
  const byName = (values.dns ?? (way === 'old' ? 'name' : 'address')) === 'name';
  const throughLanes = (values.lanes ?? (way === 'old' ? 'off' : 'on')) === 'on';
  const pairs = Number(values.pairs);
  const group = Number(values.group);
  const hammerCount = Number(values.hammers);
  const api = await dockerApi();
  const image = imageNamesFrom().services;
  const lanes = new EngineLanes();
  const inLane = <T>(kind: EndpointChange, call: () => Promise<T>): Promise<T> => (throughLanes ? lanes.run(kind, call) : call());
  await removeEverything(api);

  const started = performance.now();
  const deadline = started + Number(values.minutes) * 60_000;
  let lastAnswer = performance.now();
  let hungAt: number | undefined;
  let rounds = 0;
  let joins = 0;
  let leaves = 0;
  let callErrors = 0;
  const lost = new AbortController();
  setMaxListeners(0, lost.signal);
  const probe = listNetworksProbe('deadlock-bench', silenceBoundMs, { DOCKER_HOST: process.env['DOCKER_HOST'] ?? '' });
  const watching = (async () => {
    while (hungAt === undefined && performance.now() < deadline + 60_000) {
      const asked = probe().then(() => (lastAnswer = performance.now()), () => undefined);
      await Promise.race([asked, delay(1_000)]);
      if (performance.now() - lastAnswer > silenceBoundMs) {
        hungAt = performance.now();
        lost.abort(new Error('engine not answering'));
      }
      await delay(1_000);
    }
  })();
  const hung = (): boolean => hungAt !== undefined;
  const call = async (what: () => Promise<unknown>): Promise<void> => {
    if (hung()) return;
    await unlessEngineLost(lost.signal, what).catch(() => {
      if (!hung()) callErrors += 1;
    });
  };
  const start = (name: string, network: string, cmd: string[], ipv4?: string) =>
    call(async () => {
      const container = await api.createContainer({
        name,
        Image: image,
        Entrypoint: ['/usr/local/bin/node'],
        Cmd: cmd,
        Labels: { [label]: 'true' },
        HostConfig: { NetworkMode: network },
        NetworkingConfig: { EndpointsConfig: { [network]: ipv4 === undefined ? {} : { IPAMConfig: { IPv4Address: ipv4 } } } },
      });
      await inLane('join', () => container.start());
      joins += 1;
    });
  const remove = (name: string) =>
    call(async () => {
      await inLane('leave', () => api.getContainer(name).remove({ force: true }));
      leaves += 1;
    });

  const hammerNet = `sc-dl-${way}-hammers`;
  await api.createNetwork({ Name: hammerNet, Driver: 'bridge', Internal: true, Labels: { [label]: 'true' }, IPAM: { Driver: 'default', Config: [{ Subnet: '10.231.0.0/24', Gateway: '10.231.0.1' }] } });
  const hammerNames = Array.from({ length: hammerCount }, (_, i) => `${hammerNet}-${i}`);
  const hammerAddresses = hammerNames.map((_, i) => `10.231.0.${10 + i}`);
  for (const [i, name] of hammerNames.entries()) {
    await start(name, hammerNet, byName ? nameHammer(hammerNames) : addressHammer(hammerAddresses), hammerAddresses[i]);
  }
  const shared = Array.from({ length: pairs }, (_, p) => `sc-dl-${way}-shared-${p}`);
  for (const network of shared) await api.createNetwork({ Name: network, Driver: 'bridge', Internal: true, Labels: { [label]: 'true' } });
  const groupNames = (network: string, round: number) => Array.from({ length: group }, (_, i) => `${network}-r${round}-${i}`);
  await Promise.all(shared.map((network) => Promise.all(groupNames(network, 0).map((name) => start(name, network, idle)))));

  while (performance.now() < deadline && !hung()) {
    rounds += 1;
    // Every shared network: its whole group leaves while the next group joins.
    await Promise.all(
      shared.map((network) =>
        Promise.all([...groupNames(network, rounds - 1).map((name) => remove(name)), ...groupNames(network, rounds).map((name) => start(name, network, idle))]),
      ),
    );
    if (rounds % 10 === 0) process.stderr.write(`round ${rounds}: ${((performance.now() - started) / 1_000).toFixed(0)} s, ${joins} joins, ${leaves} leaves\n`);
  }
  const goroutineDump = hung() ? await takeGoroutineDump() : null;
  const result: DeadlockResult = {
    way,
    dns: byName ? 'name' : 'address',
    lanes: throughLanes,
    engineHung: hung(),
    hungAfterSeconds: hungAt === undefined ? null : Math.round((hungAt - started - silenceBoundMs) / 1_000),
    goroutineDump,
    rounds,
    joins,
    leaves,
    callErrors,
    seconds: Math.round((performance.now() - started) / 1_000),
  };
  hungAt ??= performance.now();
  await watching;
  if (!result.engineHung) await removeEverything(api);
  const document = { machine: await machineFacts(), engine: engineAddress(), date: new Date().toISOString(), command: process.argv.slice(1).join(' '), result };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (values.out !== undefined) await writeFile(values.out, `${JSON.stringify(document, null, 2)}\n`);
  if (result.engineHung) process.stderr.write('the engine stopped answering: restart dockerd (kill -9 $(cat /var/run/docker.pid); npm run setup), then chaos doctor --clean\n');
  process.exit(0);
}

await main();
