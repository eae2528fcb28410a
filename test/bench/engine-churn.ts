import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';
import { imageNamesFrom } from '../../harness/config/images.js';
import { dockerApi, engineAddress, type DockerApi } from '../../harness/platform/docker-engine.js';
import { EngineLanes, type EndpointChange } from '../../harness/platform/engine-lanes.js';
import { listNetworksProbe, unlessEngineLost } from '../../harness/platform/engine-watch.js';
import { RunAddresses, ipv4SubnetOf } from '../../harness/platform/run-subnet.js';
import { machineFacts } from './machine-facts.js';

/**
 * Drives one Docker engine through the container churn of a restart storm and its teardowns, the way
 * the Docker platform once did (`old`) or does now (`new`), and reports whether the engine stopped
 * answering (libnetwork's join/leave lock-order deadlock, moby/moby#42545) or kept a network's
 * endpoint counted after its containers were gone (moby/moby#42119).
 *
 * old: containers created on the default bridge and then connected to the run's network under an
 *      alias; peers that look each other up by name hundreds of times a second (as Toxiproxy did for
 *      every connection to an upstream named by container name); joins and leaves at any time.
 * new: containers created on the run's network alone at fixed addresses; no name is ever looked up;
 *      starts (joins) never run beside kills, stops or removals (leaves).
 *
 *   tsx test/bench/engine-churn.ts --way old --minutes 5 [--nodes 24] [--out file.json]
 *
 * An engine that deadlocks stays so: restart dockerd afterwards (kill -9 $(cat /var/run/docker.pid);
 * npm run setup), then `chaos doctor --clean`.
 */

type Way = 'old' | 'new';
const label = 'org.supernode-chaos.churn';
const silenceBoundMs = 30_000;

interface ChurnResult {
  readonly way: Way;
  readonly engineHung: boolean;
  readonly hungAfterSeconds: number | null;
  readonly cycles: number;
  readonly joins: number;
  readonly leaves: number;
  readonly networksCreated: number;
  readonly networksRefused: number;
  readonly refusals: readonly string[];
  readonly callErrors: number;
  readonly seconds: number;
}

/**
 * A node: a TCP echo server; with `peers`, it also dials them in a loop (a connection every 20 ms, as
 * a storm's reconnects do); in `old`, a peer is a name, looked up for each connection as Toxiproxy did.
 */
function nodeCommand(peers: readonly string[]): string[] {
  const server = "require('node:net').createServer((s) => { s.on('error', () => {}); s.pipe(s); }).listen(7000);";
  if (peers.length === 0) return ['-e', server];
  const dial = `const net = require('node:net'); const peers = ${JSON.stringify(peers)}; let i = 0;
    const next = () => { const s = net.connect(7000, peers[i++ % peers.length]); const done = () => { s.destroy(); setTimeout(next, 20); };
      s.once('error', done); s.once('connect', () => { s.end('x'); s.once('close', done); }); };
    for (let k = 0; k < 2; k++) next();`;
  return ['-e', `${server} ${dial}`];
}

async function createNetwork(api: DockerApi, name: string, way: Way): Promise<RunAddresses | undefined> {
  const create = (ipam?: { Subnet: string; Gateway: string }) =>
    api.createNetwork({ Name: name, Driver: 'bridge', Internal: true, Labels: { [label]: 'true' }, ...(ipam === undefined ? {} : { IPAM: { Driver: 'default', Config: [ipam] } }) });
  const probe = await create();
  if (way === 'old') return undefined;
  const subnet = ipv4SubnetOf(await probe.inspect());
  await probe.remove();
  if (subnet === undefined) throw new Error('no IPv4 subnet');
  await create({ Subnet: subnet.subnet, Gateway: subnet.gateway });
  return new RunAddresses(subnet);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { way: { type: 'string' }, minutes: { type: 'string', default: '5' }, nodes: { type: 'string', default: '24' }, storm: { type: 'string', default: '20' }, teardown: { type: 'string', default: 'remove' }, concurrency: { type: 'string', default: '16' }, traffic: { type: 'string', default: 'on' }, out: { type: 'string' } } });
  const stormMs = Number(values.storm) * 1_000;
  const teardown = values.teardown as 'remove' | 'kill-then-remove';
  const teardownConcurrency = Number(values.concurrency);
  const busy = values.traffic !== 'off';
  const way = values.way as Way;
  if (way !== 'old' && way !== 'new') throw new Error('--way old|new is required');
  const minutes = Number(values.minutes);
  const nodeCount = Number(values.nodes);
  const api = await dockerApi();
  const image = imageNamesFrom().services;
  const lanes = new EngineLanes();
  const inLane = <T>(kind: EndpointChange, call: () => Promise<T>): Promise<T> => (way === 'new' ? lanes.run(kind, call) : call());
  const started = performance.now();
  const deadline = started + minutes * 60_000;
  let lastAnswer = performance.now();
  let hungAt: number | undefined;
  let cycles = 0;
  let joins = 0;
  let leaves = 0;
  let networksCreated = 0;
  let callErrors = 0;
  const refusals: string[] = [];

  const lost = new AbortController();
  const probe = listNetworksProbe('churn', silenceBoundMs, { DOCKER_HOST: process.env['DOCKER_HOST'] ?? '' });
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

  while (performance.now() < deadline && !hung()) {
    cycles += 1;
    const network = `sc-churn-${way}-${cycles}`;
    const addresses = await unlessEngineLost(lost.signal, () => createNetwork(api, network, way)).catch(() => undefined);
    if (hung()) break;
    networksCreated += 1;
    const names = Array.from({ length: nodeCount }, (_, i) => `${network}-n${i}`);
    const aliases = names.map((_, i) => `n${i}`);
    const addressList = addresses === undefined ? [] : names.map(() => addresses.take());
    const limit = pLimit(16);
    // Deploy: every node at once, as a run's deploy does.
    await Promise.all(
      names.map((name, i) =>
        limit(async () => {
          const talks = busy && i % 2 === 0;
          const create = async () => {
            if (way === 'old') {
              const container = await api.createContainer({ name, Image: image, Entrypoint: ['/usr/local/bin/node'], Cmd: nodeCommand(talks ? aliases : []), Labels: { [label]: 'true' } });
              await api.getNetwork(network).connect({ Container: container.id, EndpointConfig: { Aliases: [aliases[i] as string] } });
              return container;
            }
            return api.createContainer({
              name,
              Image: image,
              Entrypoint: ['/usr/local/bin/node'],
              Cmd: nodeCommand(talks ? addressList : []),
              Labels: { [label]: 'true' },
              HostConfig: { NetworkMode: network },
              NetworkingConfig: { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: addressList[i] ?? '' } } } },
            });
          };
          await call(async () => {
            const container = await create();
            joins += 1;
            await inLane('join', () => container.start());
          });
        }),
      ),
    );
    // The storm: kills and restarts of random nodes, several at once, for 20 s.
    const stormEnd = performance.now() + stormMs;
    await Promise.all(
      Array.from({ length: 6 }, async (_, lane) => {
        let k = lane;
        while (performance.now() < stormEnd && !hung()) {
          const name = names[(k * 7 + cycles) % names.length] as string;
          k += 6;
          await call(() => inLane('leave', () => api.getContainer(name).kill({ signal: 'SIGKILL' })));
          leaves += 1;
          await call(() => inLane('join', () => api.getContainer(name).start()));
          joins += 1;
        }
      }),
    );
    // Teardown: every container removed (`docker rm -f`; or killed, waited for, then removed), then the network.
    const removal = pLimit(teardownConcurrency);
    await Promise.all(
      names.map((name) =>
        removal(() =>
          call(() =>
            inLane('leave', async () => {
              const container = api.getContainer(name);
              if (teardown === 'kill-then-remove') {
                await container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
                await container.wait({ condition: 'not-running' });
              }
              await container.remove({ force: true, v: true });
            }),
          ),
        ),
      ),
    );
    leaves += names.length;
    if (hung()) break;
    await unlessEngineLost(lost.signal, () => api.getNetwork(network).remove()).catch((error: unknown) => refusals.push(`${network}: ${error instanceof Error ? error.message : String(error)}`));
    process.stderr.write(`cycle ${cycles}: ${((performance.now() - started) / 1_000).toFixed(0)} s, ${refusals.length} network(s) refused\n`);
  }
  const result: ChurnResult = {
    way,
    engineHung: hung(),
    hungAfterSeconds: hungAt === undefined ? null : Math.round((hungAt - started - silenceBoundMs) / 1_000),
    cycles,
    joins,
    leaves,
    networksCreated,
    networksRefused: refusals.length,
    refusals,
    callErrors,
    seconds: Math.round((performance.now() - started) / 1_000),
  };
  hungAt ??= performance.now();
  await watching;
  const document = { machine: await machineFacts(), engine: engineAddress(), date: new Date().toISOString(), command: process.argv.slice(1).join(' '), result };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (values.out !== undefined) await writeFile(values.out, `${JSON.stringify(document, null, 2)}\n`);
  if (result.engineHung) process.stderr.write('the engine stopped answering: restart dockerd (kill -9 $(cat /var/run/docker.pid); npm run setup), then chaos doctor --clean\n');
  process.exit(0);
}

await main();
