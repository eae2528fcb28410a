import { describe, expect, it } from 'vitest';
import { removeNetworkWithEndpoints, type NetworkRemovalApi } from '../../../harness/platform/docker-network.js';
import { RUN_LABEL } from '../../../harness/platform/platform.js';

const activeEndpoints = Object.assign(new Error('(HTTP code 403) unexpected - error while removing network: network sc-r1 has active endpoints'), { statusCode: 403 });
const notFound = Object.assign(new Error('(HTTP code 404) no such network'), { statusCode: 404 });

/**
 * An engine with network sc-r1 (run r1) and what is attached to it; `refusals` removals of the
 * network fail with "has active endpoints" before one succeeds.
 */
function fakeEngine(refusals: number, endpoints: Record<string, { Name?: string }>, containerLabels: Record<string, Record<string, string>>) {
  const calls: string[] = [];
  let networkGone = false;
  const api: NetworkRemovalApi = {
    getNetwork: (id) => ({
      inspect: async () => {
        if (networkGone) throw notFound;
        calls.push(`inspect ${id}`);
        return { Name: id, Labels: { [RUN_LABEL]: 'r1' }, Containers: endpoints };
      },
      disconnect: async ({ Container, Force }) => void calls.push(`disconnect ${Container}${Force ? ' (force)' : ''}`),
      remove: async () => {
        calls.push(`remove network ${id}`);
        if (refusals-- > 0) throw activeEndpoints;
        networkGone = true;
      },
    }),
    getContainer: (id) => ({
      inspect: async () => {
        const labels = containerLabels[id];
        if (labels === undefined) throw notFound;
        return { Config: { Labels: labels } };
      },
      remove: async ({ force }) => void calls.push(`remove container ${id}${force ? ' (force)' : ''}`),
    }),
  };
  return { api, calls };
}

describe('removeNetworkWithEndpoints', () => {
  const endpoints = { c1: { Name: 'sc-r1-echo' }, c2: { Name: 'someone-else' }, 'ep-5f3a': { Name: 'sc-r1-gone' } };
  const labels = { c1: { [RUN_LABEL]: 'r1' }, c2: { [RUN_LABEL]: 'r2' } };

  it("removes the run's containers still attached, force-disconnects every other endpoint (stale ones by name), then the network", async () => {
    const { api, calls } = fakeEngine(0, endpoints, labels);
    await removeNetworkWithEndpoints(api, 'sc-r1', { retryDelayMs: 1 });
    expect(calls).toEqual([
      'inspect sc-r1',
      'remove container c1 (force)',
      'disconnect c1 (force)',
      'disconnect c2 (force)',
      'disconnect sc-r1-gone (force)',
      'remove network sc-r1',
    ]);
  });

  it('tries again while the engine says the network has active endpoints', async () => {
    const { api, calls } = fakeEngine(2, {}, {});
    await removeNetworkWithEndpoints(api, 'sc-r1', { retryDelayMs: 1 });
    expect(calls.filter((call) => call.startsWith('remove network'))).toHaveLength(3);
  });

  it('fails naming the network, the reason and the fix when the engine keeps refusing', async () => {
    const { api, calls } = fakeEngine(10, endpoints, labels);
    const error = await removeNetworkWithEndpoints(api, 'sc-r1', { tries: 3, retryDelayMs: 1 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^network sc-r1 was not removed after 3 tries .*has active endpoints; .*chaos doctor --clean.*restart dockerd/);
    expect(calls.filter((call) => call.startsWith('remove network'))).toHaveLength(3);
  });

  it('counts a network already gone as removed', async () => {
    const { api, calls } = fakeEngine(0, {}, {});
    await removeNetworkWithEndpoints(api, 'sc-r1');
    await removeNetworkWithEndpoints(api, 'sc-r1');
    expect(calls).toEqual(['inspect sc-r1', 'remove network sc-r1']);
  });
});
