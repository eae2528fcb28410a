import { PROJECT_LABEL, ROLE_LABEL, RUN_LABEL } from './platform.js';
import { formatIdentity, type ProcessIdentity } from './process-identity.js';

export const PROJECT_NAME = 'supernode-chaos';
/** `pid:startTicks` of the harness that created the object: leftovers are only removed once it is gone. */
export const HARNESS_LABEL = 'org.supernode-chaos.harness';

export function runLabels(runId: string, harness: ProcessIdentity, role?: string): Record<string, string> {
  return {
    [PROJECT_LABEL]: PROJECT_NAME,
    [RUN_LABEL]: runId,
    [HARNESS_LABEL]: formatIdentity(harness),
    ...(role === undefined ? {} : { [ROLE_LABEL]: role }),
  };
}
