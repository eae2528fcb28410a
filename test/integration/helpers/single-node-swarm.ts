import type { DockerApi } from '../../../harness/platform/docker-engine.js';
import { readSwarmMembership } from '../../../harness/platform/swarm-engine.js';

/**
 * Opt-in (CHAOS_TEST_SWARM=1): a swarm publishes the run's control ports in host mode on every
 * interface of the machine (the swarm API takes no host IP), and tests here may listen on loopback and
 * the project's own networks only.
 */
export const swarmTestsWanted = process.env['CHAOS_TEST_SWARM'] === '1';

export interface SwarmForTest {
  /** The engine was in no swarm: this test made one, on loopback. */
  readonly made: boolean;
  /** Leaves a swarm the test made (and the gateway bridge it brought); a swarm that was there before is left alone. */
  leave(): Promise<void>;
}

async function gatewayBridgeExists(api: DockerApi): Promise<boolean> {
  return (await api.listNetworks({ filters: { name: ['docker_gwbridge'] } })).some((network) => network.Name === 'docker_gwbridge');
}

/** The engine as a single-node swarm: made on loopback when it is in none, used as it is otherwise. */
export async function singleNodeSwarm(api: DockerApi): Promise<SwarmForTest> {
  if ((await readSwarmMembership(api)).inSwarm) return { made: false, leave: async () => undefined };
  const hadGatewayBridge = await gatewayBridgeExists(api);
  await api.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
  return {
    made: true,
    leave: async () => {
      await api.swarmLeave({ force: true });
      // The engine makes docker_gwbridge for published ports and keeps it after the swarm is gone.
      if (!hadGatewayBridge) await api.getNetwork('docker_gwbridge').remove().catch(() => undefined);
    },
  };
}
