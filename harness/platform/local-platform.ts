import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ChaosError } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';
import { findOnPath } from './find-on-path.js';
import { freeLoopbackPort, freeLoopbackPorts, holdLoopbackPorts } from './free-port.js';
import { PortClaims } from './port-claims.js';
import { cleanEarlierRuns } from './leftovers.js';
import { LocalNode } from './local-node.js';
import { ManagedChild } from './managed-child.js';
import { checkNodeName } from './node-names.js';
import { currentHarness } from './process-identity.js';
import { formatRunOwner, registryDir, removeRunRecord, RUN_OWNER_ENV, RUN_REGISTRY_ENV, writeRunRecord, type RegisteredProcess, type RunOwner, type RunRecord } from './run-registry.js';
import { TextRing } from './ring-buffer.js';
import { readToxiproxyVersion } from './toxiproxy-version.js';
import { waitForHttpOk } from './wait-healthy.js';
import { ServiceEnv, type Endpoint, type NodeHandle, type NodeSpec, type Platform, type ToxiproxyAccess } from './platform.js';

export const defaultServicesBundle = fileURLToPath(new URL('../../dist/services.cjs', import.meta.url));

export interface LocalPlatformOptions {
  readonly owner: ResourceOwner;
  readonly runId: string;
  /** Defaults to `toxiproxy-server` on PATH. */
  readonly toxiproxyBinary?: string;
  /** Defaults to dist/services.cjs (built by `npm run build`). */
  readonly servicesBundle?: string;
  readonly readyTimeoutMs?: number;
}

/**
 * Only what a service needs from the harness's environment (nothing the test runner set), and the run
 * owner (RUN_OWNER_ENV: the run and harness) with its registry, by which cleanup finds the process
 * without its pid.
 */
export function childEnv(owner: RunOwner, extra: Record<string, string>): NodeJS.ProcessEnv {
  const pass = ['PATH', 'HOME', 'LANG', 'TZ'];
  const env: NodeJS.ProcessEnv = {};
  for (const key of pass) if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, ...extra, [RUN_OWNER_ENV]: formatRunOwner(owner), [RUN_REGISTRY_ENV]: registryDir() };
}

/** A local `toxiproxy-server` on 127.0.0.1 and nodes as child processes on loopback ports. */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<Platform> {
  const owned = options.owner.scope(`local platform ${options.runId}`);
  return owned.unwindOnFailure(() => buildLocalPlatform(options, owned));
}

async function buildLocalPlatform(options: LocalPlatformOptions, owned: ResourceOwner): Promise<Platform> {
  const { runId } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const binary = options.toxiproxyBinary ?? findOnPath('toxiproxy-server');
  if (binary === undefined) {
    throw new ChaosError('TOXIPROXY_UNAVAILABLE', 'toxiproxy-server is not on PATH', {
      hint: 'run `npm run setup` (go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0) or put the release binary on PATH as toxiproxy-server',
    });
  }
  const bundle = options.servicesBundle ?? defaultServicesBundle;
  if (!existsSync(bundle)) {
    throw new ChaosError('NODE_START_FAILED', `the services bundle ${bundle} does not exist`, { hint: 'run `npm run build`' });
  }
  const own = owned.register.bind(owned);
  // Registered first, so given back last: after every process that bound a port is gone.
  const claims = new PortClaims();
  own(`port claims of run ${runId}`, async () => claims.disclaimAll());

  const cleaning = cleanEarlierRuns(runId).catch(() => []);
  const processes = new Map<string, RegisteredProcess>();
  let record: RunRecord = { runId, harness: currentHarness(), processes: [] };
  // Rewritten in the tick that spawned a process (see writeRunRecord). A SIGKILL can still land during
  // the spawn, after the child's exec: such a child is found by the run owner in its environment.
  const saveRecord = (): void => {
    record = { ...record, processes: [...processes.values()] };
    writeRunRecord(record);
  };
  own(`run record ${runId}`, () => removeRunRecord(runId));

  const apiPort = await freeLoopbackPort(new Set(), { claims });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  // Before the first spawn: whatever the run starts has a record (with the Toxiproxy API to clean) from the start.
  record = { ...record, toxiproxyApi: apiUrl };
  saveRecord();
  const toxiproxyOutput = new TextRing(64 * 1024);
  // Quiet below warnings: a request log line written to the pipe of a harness killed with SIGKILL would
  // SIGPIPE the server, leaving its leftovers to chance instead of to the cleanup that looks for them.
  const toxiproxyArgv = [binary, '-host', '127.0.0.1', '-port', String(apiPort)];
  const toxiproxyChild = new ManagedChild(toxiproxyArgv, childEnv(record, { LOG_LEVEL: 'warn' }), toxiproxyOutput);
  own(`toxiproxy-server pid ${toxiproxyChild.pid}`, async () => {
    await toxiproxyChild.kill();
  });
  processes.set('toxiproxy', { name: 'toxiproxy', kind: 'toxiproxy', pid: toxiproxyChild.pid, argv: toxiproxyChild.argv });
  saveRecord();
  const ready = await waitForHttpOk(`${apiUrl}/version`, {
    timeoutMs: 10_000,
    signal: options.owner.interrupted,
    gaveUp: () => (toxiproxyChild.exit === undefined ? undefined : `it exited with code ${toxiproxyChild.exit.code ?? '?'}`),
  });
  options.owner.throwIfInterrupted(`local platform ${runId}`);
  if (!ready.ok) {
    throw new ChaosError('TOXIPROXY_UNAVAILABLE', `${binary} did not answer: ${ready.reason}`, {
      hint: 'run `toxiproxy-server -host 127.0.0.1` by hand to see why; `chaos doctor` checks the binary',
      details: toxiproxyOutput.text().trim().split('\n').slice(-10),
    });
  }
  const toxiproxy: ToxiproxyAccess = { apiUrl, listenHost: '127.0.0.1', dialHost: '127.0.0.1', version: await readToxiproxyVersion(apiUrl), ownedByRun: true };
  await cleaning;

  const takenPorts = new Set<number>([apiPort]);
  const reservations = new Map<string, { service: number; control: number; release: () => Promise<void> }>();
  const nodes = new Map<string, LocalNode>();

  const platform: Platform = {
    kind: 'local',
    runId,
    toxiproxy,
    async reserveNode(name): Promise<Endpoint> {
      checkNodeName(name);
      let ports = reservations.get(name);
      if (ports === undefined) {
        // Held until the node starts, so another run on this host that probes them finds them taken.
        const held = await holdLoopbackPorts(2, takenPorts, { claims });
        const [service, control] = held.map((h) => h.port);
        if (service === undefined || control === undefined) throw new Error('no free ports');
        ports = { service, control, release: () => Promise.all(held.map((h) => h.release())).then(() => undefined) };
        takenPorts.add(service).add(control);
        reservations.set(name, ports);
        // Released with the proxies beside it (it depends on none of them), so they go in one batch.
        own(`port hold ${name}`, ports.release, 'proxies');
      }
      return { host: '127.0.0.1', port: ports.service };
    },
    async reserveProxyPort() {
      const [port] = await freeLoopbackPorts(1, takenPorts, { claims });
      if (port === undefined) throw new Error('no free port');
      takenPorts.add(port);
      return { listenPort: port, hostEndpoint: { host: '127.0.0.1', port } };
    },
    async startNode(spec: NodeSpec): Promise<NodeHandle> {
      if (nodes.has(spec.name)) {
        throw new ChaosError('INVALID_CONFIG', `node ${spec.name} is already started in run ${runId}`, { hint: 'give every node a unique name' });
      }
      options.owner.throwIfInterrupted(`node ${spec.name}`);
      const upstream = await platform.reserveNode(spec.name);
      const ports = reservations.get(spec.name);
      if (ports === undefined) throw new Error(`no reservation for ${spec.name}`);
      await ports.release();
      // Checked again after the awaits: the release registered below must precede the spawn in node.start().
      options.owner.throwIfInterrupted(`node ${spec.name}`);
      const node = new LocalNode({
        name: spec.name,
        role: spec.role,
        upstream,
        controlPort: ports.control,
        argv: [process.execPath, bundle, `--chaos-run=${runId}`, `--chaos-node=${spec.name}`],
        env: childEnv(record, {
          [ServiceEnv.role]: spec.role,
          [ServiceEnv.name]: spec.name,
          [ServiceEnv.bindHost]: '127.0.0.1',
          [ServiceEnv.servicePort]: String(ports.service),
          [ServiceEnv.controlPort]: String(ports.control),
          [ServiceEnv.config]: JSON.stringify(spec.config),
        }),
        readyTimeoutMs,
        interrupted: options.owner.interrupted,
        spawned: async (child) => {
          processes.set(spec.name, { name: spec.name, kind: 'node', pid: child.pid, argv: child.argv });
          saveRecord();
        },
      });
      nodes.set(spec.name, node);
      own(
        `node ${spec.name}`,
        async () => {
          await node.kill();
          processes.delete(spec.name);
        },
        'nodes',
      );
      try {
        await node.start();
      } catch (error) {
        nodes.delete(spec.name);
        throw error;
      }
      return node;
    },
    nodes: () => [...nodes.values()],
    dispose: () => owned.releaseOrThrow(),
  };
  return platform;
}
