import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImageNames } from '../../harness/config/images.js';
import { dockerApi, isDockerNotFound, type DockerApi } from '../../harness/platform/docker-engine.js';
import { networkRemovalApi, removeNetworkWithEndpoints } from '../../harness/platform/docker-network.js';
import { runLabels } from '../../harness/platform/labels.js';
import { findLeftovers, removeLeftovers } from '../../harness/platform/leftovers.js';
import { RUN_LABEL } from '../../harness/platform/platform.js';
import { processStartTicks } from '../../harness/platform/process-identity.js';

/*
 * A run's network the engine will not remove because something is still attached to it ("has active
 * endpoints"): the teardown and `chaos doctor --clean` clear the endpoints and remove it anyway, a
 * plain bridge (`ports` reach) as well as an internal one (`ip` reach).
 */

/** This process's pid with a start time it never had: a harness that is gone. */
const deadHarness = { pid: process.pid, startTicks: `${Number(processStartTicks(process.pid) ?? 0) + 1}` };

let api: DockerApi;
const made: { containers: string[]; networks: string[] } = { containers: [], networks: [] };

async function network(runId: string, internal: boolean): Promise<string> {
  const created = await api.createNetwork({ Name: `sc-${runId}`, Driver: 'bridge', Internal: internal, Labels: runLabels(runId, deadHarness, 'network') });
  made.networks.push(created.id);
  return created.id;
}

/** A sleeping container on the network; `labels` decide whose it is. */
async function attach(networkId: string, name: string, labels: Record<string, string>): Promise<string> {
  const container = await api.createContainer({
    name,
    Image: defaultImageNames.services,
    Entrypoint: ['/usr/local/bin/node', '-e', 'setInterval(() => {}, 60_000)'],
    Labels: labels,
    HostConfig: { NetworkMode: networkId },
  });
  made.containers.push(container.id);
  await container.start();
  return container.id;
}

const exists = (inspect: () => Promise<unknown>): Promise<boolean> =>
  inspect().then(
    () => true,
    (error: unknown) => {
      if (isDockerNotFound(error)) return false;
      throw error;
    },
  );

describe.each([
  { kind: 'plain', internal: false },
  { kind: 'internal', internal: true },
])('docker: a $kind run network with endpoints still attached', ({ internal }) => {
  beforeAll(async () => {
    api = await dockerApi();
  });
  afterAll(async () => {
    for (const id of made.containers) await api.getContainer(id).remove({ force: true }).catch(() => undefined);
    for (const id of made.networks) await api.getNetwork(id).remove().catch(() => undefined);
  });

  it('is refused by a plain removal, and removed after its endpoints are cleared: the run’s container removed, another disconnected', async () => {
    const runId = `rnet${randomBytes(3).toString('hex')}`;
    const networkId = await network(runId, internal);
    const own = await attach(networkId, `sc-${runId}-stuck`, runLabels(runId, deadHarness, 'echo'));
    const foreign = await attach(networkId, `sc-${runId}-foreign`, {});

    const plain = await api.getNetwork(networkId).remove().then(
      () => undefined,
      (error: unknown) => String(error),
    );
    expect(plain).toMatch(/active endpoints/);

    await removeNetworkWithEndpoints(networkRemovalApi(api), `sc-${runId}`);
    expect(await exists(() => api.getNetwork(networkId).inspect())).toBe(false);
    expect(await exists(() => api.getContainer(own).inspect())).toBe(false);
    const other = await api.getContainer(foreign).inspect();
    expect(other.State.Running).toBe(true);
    expect(Object.keys(other.NetworkSettings.Networks)).not.toContain(`sc-${runId}`);
  }, 60_000);

  it('is removed by chaos doctor --clean (removeLeftovers) although a container that is not a leftover is attached', async () => {
    const runId = `rnet${randomBytes(3).toString('hex')}`;
    const networkId = await network(runId, internal);
    await attach(networkId, `sc-${runId}-foreign`, {});

    const leftovers = (await findLeftovers()).filter((leftover) => leftover.runId === runId);
    expect(leftovers.map((leftover) => leftover.kind)).toEqual(['network']);
    expect(await removeLeftovers(leftovers)).toEqual([]);
    expect(await exists(() => api.getNetwork(networkId).inspect())).toBe(false);
    expect((await api.listNetworks({ filters: { label: [`${RUN_LABEL}=${runId}`] } })).length).toBe(0);
  }, 60_000);
});
