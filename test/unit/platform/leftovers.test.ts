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
} from '../../../harness/platform/leftovers.js';
import { PROJECT_LABEL, RUN_LABEL } from '../../../harness/platform/platform.js';
import type { ProcessIdentity } from '../../../harness/platform/process-identity.js';
import type { RunRecord } from '../../../harness/platform/run-registry.js';
import { parseRunRecord } from '../../../harness/platform/run-registry.js';

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
    const found = processLeftovers([deadRun, liveRun], alive, (pid) => argvByPid[pid]);
    expect(found).toEqual([
      { kind: 'process', id: '501', runId: 'rdead', description: 'toxiproxy toxiproxy (pid 501)' },
      { kind: 'process', id: '502', runId: 'rdead', description: 'node echo-1 (pid 502)' },
    ]);
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
      { kind: 'proxy', id: 'http://x/proxies/p', runId: 'rdead', description: 'proxy p' },
    ]);
    expect(calls).toEqual(['proxy http://x/proxies/p', 'kill 501', 'container c1', 'network n1', 'record rdead']);
    expect(failures).toEqual(['network n1 of run rdead: in use']);
  });
});
