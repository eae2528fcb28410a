import { describe, expect, it } from 'vitest';
import { HARNESS_LABEL, PROJECT_NAME } from '../../../harness/platform/labels.js';
import {
  findLeftoversWith,
  removeLeftoversWith,
  serviceLeftovers,
  type DockerObjectSummary,
  type LeftoverActions,
  type LeftoverProbes,
} from '../../../harness/platform/leftovers.js';
import { PROJECT_LABEL, RUN_LABEL } from '../../../harness/platform/platform.js';
import type { ProcessIdentity } from '../../../harness/platform/process-identity.js';

const alive = (identity: ProcessIdentity): boolean => identity.pid === 100;

const labelled = (id: string, runId: string, harness: string): DockerObjectSummary => ({
  id,
  name: `sc-${runId}-${id}`,
  labels: { [PROJECT_LABEL]: PROJECT_NAME, [RUN_LABEL]: runId, [HARNESS_LABEL]: harness },
});

const probes = (services: LeftoverProbes['listServices']): LeftoverProbes => ({
  dockerAnswers: async () => true,
  listContainers: async () => [labelled('c1', 'rdead', '999:5')],
  listNetworks: async () => [labelled('n1', 'rdead', '999:5')],
  ...(services === undefined ? {} : { listServices: services }),
  readRunRecords: async () => [],
  isAlive: alive,
  processArgv: () => undefined,
  markedProcesses: () => [],
  listProxies: async () => [],
});

describe('swarm services as leftovers', () => {
  it('reports labelled services whose harness is gone, skipping live runs and the excluded run', () => {
    const services = [labelled('s1', 'rdead', '999:5'), labelled('s2', 'rlive', '100:7'), labelled('s3', 'rother', '998:1')];
    expect(serviceLeftovers(services, alive).map((l) => `${l.kind}:${l.id}:${l.runId}`)).toEqual(['service:s1:rdead', 'service:s3:rother']);
    expect(serviceLeftovers(services, alive, 'rdead').map((l) => l.id)).toEqual(['s3']);
    expect(serviceLeftovers(services, alive)[0]?.description).toBe('service sc-rdead-s1');
  });

  it('are listed before the containers and networks of the same run', async () => {
    const found = await findLeftoversWith(probes(async () => [labelled('s1', 'rdead', '999:5')]));
    expect(found.map((l) => `${l.kind}:${l.id}`)).toEqual(['service:s1', 'container:c1', 'network:n1']);
  });

  it('are not asked for where the probes have no service lister', async () => {
    const found = await findLeftoversWith(probes(undefined));
    expect(found.map((l) => l.kind)).toEqual(['container', 'network']);
  });

  it('are removed before containers and networks; without a remover, each is a failure', async () => {
    const calls: string[] = [];
    const actions: LeftoverActions = {
      removeService: async (id) => void calls.push(`service ${id}`),
      removeContainer: async (id) => void calls.push(`container ${id}`),
      removeNetwork: async (id) => void calls.push(`network ${id}`),
      readRunRecords: async () => [],
      processArgv: () => undefined,
      runOwnerOf: () => undefined,
      kill: () => undefined,
      deleteProxy: async () => undefined,
      removeRunRecord: async () => undefined,
    };
    const leftovers = await findLeftoversWith(probes(async () => [labelled('s1', 'rdead', '999:5')]));
    const reversed = [...leftovers].reverse();
    expect(await removeLeftoversWith(actions, reversed)).toEqual([]);
    expect(calls).toEqual(['service s1', 'container c1', 'network n1']);

    const { removeService: _, ...withoutRemover } = actions;
    const failures = await removeLeftoversWith(withoutRemover, leftovers);
    expect(failures).toEqual(['service sc-rdead-s1 of run rdead: swarm services cannot be removed here']);
  });
});
