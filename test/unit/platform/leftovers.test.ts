import { describe, expect, it } from 'vitest';
import { HARNESS_LABEL, PROJECT_NAME } from '../../../harness/platform/labels.js';
import {
  dockerLeftovers,
  findLeftoversWith,
  processLeftovers,
  removeLeftoversWith,
  type DockerObjectSummary,
  type LeftoverActions,
  type LeftoverProbes,
  type MarkedProcess,
} from '../../../harness/platform/leftovers.js';
import { PROJECT_LABEL, RUN_LABEL } from '../../../harness/platform/platform.js';
import type { ProcessIdentity } from '../../../harness/platform/process-identity.js';
import { formatRunOwner, parseRunOwner, parseRunRecord, type RunRecord } from '../../../harness/platform/run-registry.js';

const livePids = new Set([100, 200]);
const alive = (identity: ProcessIdentity): boolean => livePids.has(identity.pid);

const labelled = (id: string, runId: string, harness: string | undefined, project = PROJECT_NAME): DockerObjectSummary => ({
  id,
  name: `sc-${runId}-${id}`,
  labels: { [PROJECT_LABEL]: project, [RUN_LABEL]: runId, ...(harness === undefined ? {} : { [HARNESS_LABEL]: harness }) },
  state: 'running',
});

const deadRun: RunRecord = {
  runId: 'rdead',
  harness: { pid: 999, startTicks: '5' },
  toxiproxyApi: 'http://127.0.0.1:9999',
  processes: [
    { name: 'toxiproxy', kind: 'toxiproxy', pid: 501, argv: ['/usr/bin/toxiproxy-server', '-port', '9999'] },
    { name: 'echo-1', kind: 'node', pid: 502, argv: ['/usr/bin/node', 'dist/services.cjs', '--chaos-run=rdead'] },
    { name: 'echo-2', kind: 'node', pid: 503, argv: ['/usr/bin/node', 'dist/services.cjs', '--chaos-run=rdead'] },
  ],
};
const liveRun: RunRecord = { ...deadRun, runId: 'rlive', harness: { pid: 100 }, processes: [{ ...deadRun.processes[1]!, pid: 601 }] };

/** 501 and 502 still run what was registered; 503 was reused by another program; 601 belongs to a live run. */
const argvByPid: Record<number, readonly string[]> = {
  501: deadRun.processes[0]!.argv,
  502: deadRun.processes[1]!.argv,
  503: ['/bin/bash'],
  601: deadRun.processes[1]!.argv,
};

/*
 * 504 is echo-1 restarted: the dead harness was killed during the spawn, after the exec and before its
 * record named the new pid (the record still says 502's argv for echo-1 but pid 502 is gone in this
 * picture). Only its environment (RUN_OWNER_ENV) says whose it is. 602 is marked by the live run.
 */
const marked: readonly MarkedProcess[] = [
  { pid: 502, owner: { runId: 'rdead', harness: deadRun.harness }, argv: deadRun.processes[1]!.argv },
  { pid: 504, owner: { runId: 'rdead', harness: deadRun.harness }, argv: deadRun.processes[1]!.argv },
  { pid: 505, owner: { runId: 'rdead', harness: deadRun.harness }, argv: ['/usr/local/bin/toxiproxy-server', '-port', '1'] },
  { pid: 602, owner: { runId: 'rlive', harness: { pid: 100 } }, argv: deadRun.processes[1]!.argv },
];

describe('dockerLeftovers', () => {
  const containers = [
    labelled('c1', 'rdead', '999:5'),
    labelled('c2', 'rlive', '100:7'),
    labelled('c3', 'rnolabel', undefined),
    labelled('c4', 'rother', '999', 'another-project'),
  ];
  const networks = [labelled('n1', 'rdead', '999:5'), labelled('n2', 'rlive', '200')];

  it('reports labelled objects whose harness is gone, or unknown, and skips live runs and other projects', () => {
    const found = dockerLeftovers(containers, networks, alive);
    expect(found.map((l) => `${l.kind}:${l.id}:${l.runId}`)).toEqual(['container:c1:rdead', 'container:c3:rnolabel', 'network:n1:rdead']);
    expect(found[0]?.description).toBe('container sc-rdead-c1 (running)');
  });

  it('skips the excluded run', () => {
    expect(dockerLeftovers(containers, networks, alive, 'rdead').map((l) => l.id)).toEqual(['c3']);
  });
});

describe('processLeftovers', () => {
  it('reports processes of dead runs that still run their registered argv (pid reuse is not a leftover)', () => {
    const found = processLeftovers([deadRun, liveRun], [], alive, (pid) => argvByPid[pid]);
    expect(found).toEqual([
      { kind: 'process', id: '501', runId: 'rdead', description: 'toxiproxy toxiproxy (pid 501)' },
      { kind: 'process', id: '502', runId: 'rdead', description: 'node echo-1 (pid 502)' },
    ]);
  });

  it('also reports processes a dead run marked in their environment that its record does not name, once each', () => {
    const found = processLeftovers([deadRun, liveRun], marked, alive, (pid) => argvByPid[pid]);
    expect(found).toEqual([
      { kind: 'process', id: '501', runId: 'rdead', description: 'toxiproxy toxiproxy (pid 501)' },
      { kind: 'process', id: '502', runId: 'rdead', description: 'node echo-1 (pid 502)' },
      { kind: 'process', id: '504', runId: 'rdead', description: 'node echo-1 (pid 504, not in its run record)' },
      { kind: 'process', id: '505', runId: 'rdead', description: 'process toxiproxy-server (pid 505, not in its run record)' },
    ]);
  });

  it('finds a marked process of a dead run that has no record at all, and skips the excluded run', () => {
    expect(processLeftovers([], marked, alive, () => undefined).map((l) => l.id)).toEqual(['502', '504', '505']);
    expect(processLeftovers([], marked, alive, () => undefined, 'rdead')).toEqual([]);
  });
});

describe('run owner', () => {
  it('round-trips through the environment value, and refuses malformed ones', () => {
    const owner = { runId: 'r1a2b3c', harness: { pid: 42, startTicks: '7' } };
    expect(formatRunOwner(owner)).toBe('r1a2b3c@42:7');
    expect(parseRunOwner(formatRunOwner(owner))).toEqual(owner);
    expect(parseRunOwner('r1@42')).toEqual({ runId: 'r1', harness: { pid: 42 } });
    for (const bad of [undefined, '', '@42:7', 'r1@', 'r1@x', 'r1']) expect(parseRunOwner(bad)).toBeUndefined();
  });
});

describe('parseRunRecord', () => {
  it('reads a record and refuses malformed ones', () => {
    expect(parseRunRecord(JSON.stringify(deadRun))).toEqual(deadRun);
    expect(parseRunRecord('{"runId": "x"}')).toBeUndefined();
    expect(parseRunRecord('not json')).toBeUndefined();
  });
});

function fakeProbes(docker: boolean): LeftoverProbes {
  return {
    dockerAnswers: async () => docker,
    listContainers: async () => [labelled('c1', 'rdead', '999:5')],
    listNetworks: async () => {
      if (!docker) throw new Error('must not be asked without an engine');
      return [];
    },
    readRunRecords: async () => [deadRun, liveRun],
    isAlive: alive,
    processArgv: (pid) => argvByPid[pid],
    markedProcesses: () => [],
    listProxies: async (url) => (url === deadRun.toxiproxyApi ? ['rdead.clients->echo-1'] : []),
  };
}

describe('findLeftoversWith', () => {
  it('finds proxies of a dead run whose Toxiproxy still runs, its processes, and Docker objects', async () => {
    const found = await findLeftoversWith(fakeProbes(true));
    expect(found.map((l) => `${l.kind}:${l.id}`)).toEqual([
      'proxy:http://127.0.0.1:9999/proxies/rdead.clients-%3Eecho-1',
      'process:501',
      'process:502',
      'container:c1',
    ]);
  });

  it('does not touch Docker when no engine answers', async () => {
    const found = await findLeftoversWith(fakeProbes(false));
    expect(found.some((l) => l.kind === 'container' || l.kind === 'network')).toBe(false);
  });

  it('tolerates a listing failure after a successful ping', async () => {
    const probes = { ...fakeProbes(true), listContainers: () => Promise.reject(new Error('500')) };
    const found = await findLeftoversWith(probes);
    expect(found.map((l) => l.kind)).toEqual(['proxy', 'process', 'process']);
  });

  it('excludes a run on request', async () => {
    expect(await findLeftoversWith(fakeProbes(true), { excludeRunId: 'rdead' })).toEqual([]);
  });
});

describe('removeLeftoversWith', () => {
  it('removes proxies, then processes (re-checking argv), containers, then networks; reports failures', async () => {
    const calls: string[] = [];
    const argv: Record<number, readonly string[]> = { ...argvByPid };
    const actions: LeftoverActions = {
      removeContainer: async (id) => void calls.push(`container ${id}`),
      removeNetwork: async (id) => {
        calls.push(`network ${id}`);
        throw new Error('in use');
      },
      readRunRecords: async () => [deadRun],
      processArgv: (pid) => argv[pid],
      // 502 was reused by a program that no run started.
      runOwnerOf: (pid) => (pid === 502 ? undefined : marked.find((m) => m.pid === pid)?.owner),
      kill: (pid) => void calls.push(`kill ${pid}`),
      deleteProxy: async (url) => void calls.push(`proxy ${url}`),
      removeRunRecord: async (runId) => void calls.push(`record ${runId}`),
    };
    argv[502] = ['/bin/sh'];
    const failures = await removeLeftoversWith(actions, [
      { kind: 'network', id: 'n1', runId: 'rdead', description: 'network n1' },
      { kind: 'container', id: 'c1', runId: 'rdead', description: 'container c1' },
      { kind: 'process', id: '501', runId: 'rdead', description: 'toxiproxy' },
      { kind: 'process', id: '502', runId: 'rdead', description: 'echo-1' },
      { kind: 'process', id: '504', runId: 'rdead', description: 'echo-1, unregistered' },
      { kind: 'process', id: '602', runId: 'rdead', description: 'now marked by another run' },
      { kind: 'process', id: '700', runId: 'rdead', description: 'neither registered nor marked' },
      { kind: 'proxy', id: 'http://x/proxies/p', runId: 'rdead', description: 'proxy p' },
    ]);
    // 502 runs another argv and 602 and 700 are not the dead run's any more; 504 is, by its environment.
    expect(calls).toEqual(['proxy http://x/proxies/p', 'kill 501', 'kill 504', 'container c1', 'network n1', 'record rdead']);
    expect(failures).toEqual(['network n1 of run rdead: in use']);
  });
});
