import type { TargetKey } from '../scenario/types.js';
import { HarnessTargets } from '../verdict/judge-run.js';
import { REHOME_TARGET_NAME } from '../verdict/target-checks.js';

/**
 * The name under which a verdict reports each target a control can name (TargetResult.name), as
 * harness/verdict/target-checks.ts and judge-run.ts write them. The one map every control reads.
 */
export const TARGET_CHECK_NAMES: Readonly<Record<TargetKey, string>> = {
  recoveryWithin: 'recovery time',
  availabilityFloor: 'availability floor',
  maxSupernodeLossDirect: 'supernode loss (direct)',
  maxSupernodeLossTotal: 'supernode loss (total)',
  maxCascadeAmplification: 'cascade amplification',
  minLookupSuccessAfterRecovery: 'lookup success after recovery',
  maxMessagesLost: 'messages lost',
  rehomeWithin: REHOME_TARGET_NAME,
  supernodeLossDirect: 'outage: supernode loss (direct)',
  minCascadeAmplification: 'outage: cascade amplification',
  maxOnlineLowPoint: 'outage: online low point',
  cascadeContinuesAfterHeal: 'outage: cascade continues after heal',
  maxOnlineAfterLowPoint: 'outage: no recovery after the low point',
  maxMeanOnline: 'outage: mean online after the trigger',
  steadyState: HarnessTargets.steadyState,
};

export const checkNameOf = (key: TargetKey): string => TARGET_CHECK_NAMES[key];
