import { errorMessage } from '../errors.js';
import type { HistoryRecord } from '../observe/history-types.js';
import type { TimelineAction } from '../scenario/types.js';
import type { RunningNetwork } from './running-network.js';

/**
 * Heals every fault still in place, runs the scenario's rollbacks, then stops the supervisor and
 * the sampler. A heal or rollback that fails is recorded and the rest still run.
 */
export async function rollBackNetwork(
  network: RunningNetwork,
  rollbacks: readonly TimelineAction[],
  record: (event: HistoryRecord) => void,
): Promise<void> {
  for (const failure of await network.executor.healAll()) record({ type: 'error', message: `heal failed: ${errorMessage(failure)}` });
  for (const action of rollbacks) {
    await network.executor
      .execute(action, `rollback:${action.do}`)
      .catch((error: unknown) => record({ type: 'error', message: `rollback ${action.do} failed: ${errorMessage(error)}` }));
  }
  await network.supervisor.stop();
  await network.sampler.stop();
}
