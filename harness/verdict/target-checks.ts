import type { HistoryEvent } from '../observe/history-types.js';
import { formatDuration } from '../scenario/duration.js';
import type { OutageSignature, Targets } from '../scenario/types.js';
import { measureOnlineLowPoint } from './availability.js';
import { cascadeDetail, measureCascadeAfterHeal } from './cascade-after-heal.js';
import { checker, formatShare, passIf, round, type Checker } from './checker.js';
import { realMsOf } from './history-series.js';
import { measureLookupSuccessAfterRecovery } from './lookup-after-recovery.js';
import { measureMessagesLost } from './messages-lost.js';
import { measureMeanOnline } from './mean-online.js';
import { measureRecovery } from './recovery.js';
import { measureOnlineAfterLowPoint } from './online-after-low-point.js';
import { measureRehome } from './rehome.js';
import { measureSupernodeLoss, type SupernodeLoss } from './supernode-loss.js';

const lossDetail = (loss: SupernodeLoss): string =>
  `${loss.direct.length} lost directly, ${loss.total.length} in total, of ${loss.atSteadyState} at steady state` +
  (loss.everInNetwork > loss.atSteadyState ? ` (${loss.everInNetwork} at most, with the ones added later)` : '');

export const recoveryChecker = (within: string): Checker =>
  checker('recovery time', `<= ${within}`, (events) => {
    const recovery = measureRecovery(events);
    const hold = formatDuration(recovery.holdMs);
    if (recovery.recoveryMs === null) {
      return { measured: null, outcome: 'fail', detail: `never back to 95% of steady state (online and lookups) for ${hold} real` };
    }
    const seconds = recovery.recoveryMs / 1_000;
    const limitMs = realMsOf(events, within);
    // In scenario hours, the unit the target is written in; the detail gives real seconds.
    return {
      measured: round(recovery.recoveryScenarioHours ?? seconds, 2),
      outcome: passIf(recovery.recoveryMs <= limitMs),
      detail: `${seconds.toFixed(1)}s real = ${(recovery.recoveryScenarioHours ?? 0).toFixed(2)} scenario hours (limit ${(limitMs / 1_000).toFixed(1)}s real, held ${hold} real)`,
    };
  });

export const availabilityChecker = (floor: number): Checker =>
  checker('availability floor', `>= ${formatShare(floor)}`, (events) => {
    const low = measureOnlineLowPoint(events);
    return { measured: round(low.min), outcome: passIf(low.min >= floor), detail: `lowest online fraction of steady state at t=${(low.at / 1_000).toFixed(1)}s` };
  });

export const directLossChecker = (max: number): Checker =>
  checker('supernode loss (direct)', `<= ${formatShare(max)}`, (events) => {
    const loss = measureSupernodeLoss(events);
    return { measured: round(loss.directShare), outcome: passIf(loss.directShare <= max), detail: lossDetail(loss) };
  });

export const totalLossChecker = (max: number): Checker =>
  checker('supernode loss (total)', `<= ${formatShare(max)}`, (events) => {
    const loss = measureSupernodeLoss(events);
    return { measured: round(loss.totalShare), outcome: passIf(loss.totalShare <= max), detail: lossDetail(loss) };
  });

export const amplificationChecker = (max: number): Checker =>
  checker('cascade amplification', `<= ${max}x`, (events) => {
    const loss = measureSupernodeLoss(events);
    if (loss.amplification === null) {
      const none = loss.total.length === 0;
      return { measured: null, outcome: passIf(none), detail: none ? 'no supernode lost' : `${loss.total.length} lost, none directly: the loss is all cascade` };
    }
    return { measured: round(loss.amplification, 3), outcome: passIf(loss.amplification <= max), detail: lossDetail(loss) };
  });

export const lookupAfterRecoveryChecker = (min: number): Checker =>
  checker('lookup success after recovery', `>= ${formatShare(min)}`, (events) => {
    const success = measureLookupSuccessAfterRecovery(events, measureRecovery(events));
    if (success === null) return { measured: null, outcome: 'fail', detail: 'never recovered' };
    if (success === undefined) return { measured: null, outcome: 'unknown', detail: 'no lookup after the recovery' };
    return { measured: round(success), outcome: passIf(success >= min) };
  });

export const messagesLostChecker = (max: number): Checker =>
  checker('messages lost', `<= ${max}`, (events) => {
    if (!events.some((event) => event.type === 'ledger')) return { measured: null, outcome: 'unknown', detail: 'the history has no message ledger: lost messages cannot be told' };
    const m = measureMessagesLost(events);
    return { measured: m.lost, outcome: passIf(m.lost <= max), detail: m.detail };
  });

/** The name of the re-home target's result. */
export const REHOME_TARGET_NAME = 'crashed box re-homed';

export const rehomeChecker = (within: string): Checker =>
  checker(REHOME_TARGET_NAME, `<= ${within}`, (events) => {
    const rehome = measureRehome(events);
    if (rehome.boxes.length === 0) return { measured: null, outcome: 'unknown', detail: 'the timeline crashed no supernode, so there was nothing to re-home' };
    const perHour = realMsOf(events, '1h');
    const limitMs = realMsOf(events, within);
    const boxes = rehome.boxes
      .map((box) => `${box.box} (${box.sessions} sessions): ${box.rehomeMs === undefined ? 'never seen down' : box.rehomeMs === null ? 'not before it came back' : `${(box.rehomeMs / 1_000).toFixed(1)}s real`}`)
      .join('; ');
    if (!rehome.everyBoxSeenDown) return { measured: null, outcome: 'unknown', detail: `no sample saw a crashed box down, so its clients' re-home cannot be timed: ${boxes}` };
    if (rehome.slowestMs === null) return { measured: null, outcome: 'fail', detail: `its clients stayed without a supernode: ${boxes}` };
    return {
      measured: round(rehome.slowestMs / perHour, 2),
      outcome: passIf(rehome.slowestMs <= limitMs),
      detail: `${boxes} (limit ${(limitMs / 1_000).toFixed(1)}s real)`,
    };
  });

/** The checkers for every target the architecture configures. */
export function targetCheckers(targets: Targets): Checker[] {
  const checkers: Checker[] = [];
  if (targets.recoveryWithin !== undefined) checkers.push(recoveryChecker(targets.recoveryWithin));
  if (targets.availabilityFloor !== undefined) checkers.push(availabilityChecker(targets.availabilityFloor));
  if (targets.maxSupernodeLossDirect !== undefined) checkers.push(directLossChecker(targets.maxSupernodeLossDirect));
  if (targets.maxSupernodeLossTotal !== undefined) checkers.push(totalLossChecker(targets.maxSupernodeLossTotal));
  if (targets.maxCascadeAmplification !== undefined) checkers.push(amplificationChecker(targets.maxCascadeAmplification));
  if (targets.minLookupSuccessAfterRecovery !== undefined) checkers.push(lookupAfterRecoveryChecker(targets.minLookupSuccessAfterRecovery));
  if (targets.maxMessagesLost !== undefined) checkers.push(messagesLostChecker(targets.maxMessagesLost));
  if (targets.rehomeWithin !== undefined) checkers.push(rehomeChecker(targets.rehomeWithin));
  return checkers;
}

/** The checks `reproduces-outage` demands: one per field the signature states, none for the others. */
export function outageCheckers(signature: OutageSignature): Checker[] {
  const checkers: Checker[] = [];
  if (signature.supernodeLossDirect !== undefined) checkers.push(outageDirectLossChecker(signature.supernodeLossDirect));
  if (signature.minCascadeAmplification !== undefined) checkers.push(outageAmplificationChecker(signature.minCascadeAmplification));
  if (signature.maxOnlineLowPoint !== undefined) checkers.push(outageLowPointChecker(signature.maxOnlineLowPoint));
  if (signature.maxOnlineAfterLowPoint !== undefined) checkers.push(noRecoveryChecker(signature.maxOnlineAfterLowPoint));
  if (signature.cascadeContinuesAfterHeal === true) checkers.push(cascadeAfterHealChecker);
  if (signature.maxMeanOnline !== undefined) checkers.push(meanOnlineChecker(signature.maxMeanOnline));
  return checkers;
}

const outageDirectLossChecker = ({ min, max }: { readonly min: number; readonly max: number }): Checker =>
  checker('outage: supernode loss (direct)', `${formatShare(min)}-${formatShare(max)}`, (events: readonly HistoryEvent[]) => {
    const loss = measureSupernodeLoss(events);
    return { measured: round(loss.directShare), outcome: passIf(loss.directShare >= min && loss.directShare <= max), detail: lossDetail(loss) };
  });

const outageAmplificationChecker = (min: number): Checker =>
  checker('outage: cascade amplification', `>= ${min}x`, (events) => {
    const loss = measureSupernodeLoss(events);
    if (loss.amplification === null) return { measured: null, outcome: 'fail', detail: `no supernode lost directly; ${lossDetail(loss)}` };
    return { measured: round(loss.amplification, 3), outcome: passIf(loss.amplification >= min), detail: lossDetail(loss) };
  });

const outageLowPointChecker = (most: number): Checker =>
  checker('outage: online low point', `<= ${formatShare(most)}`, (events) => {
    const low = measureOnlineLowPoint(events);
    return { measured: round(low.min), outcome: passIf(low.min <= most), detail: `at t=${(low.at / 1_000).toFixed(1)}s` };
  });

const noRecoveryChecker = (most: number): Checker =>
  checker('outage: no recovery after the low point', `<= ${formatShare(most)}`, (events) => {
    const after = measureOnlineAfterLowPoint(events);
    return {
      measured: round(after.max),
      outcome: passIf(after.max <= most),
      detail: `highest online fraction from the low point (t=${(after.lowAt / 1_000).toFixed(1)}s) to the end of the timeline, at t=${(after.at / 1_000).toFixed(1)}s`,
    };
  });

const meanOnlineChecker = (most: number): Checker =>
  checker('outage: mean online after the trigger', `<= ${formatShare(most)}`, (events) => {
    const online = measureMeanOnline(events);
    return {
      measured: round(online.mean),
      outcome: passIf(online.mean <= most),
      detail: `online fraction averaged over time from the first fault (t=${(online.from / 1_000).toFixed(1)}s) to the end of the timeline (t=${(online.to / 1_000).toFixed(1)}s)`,
    };
  });

const cascadeAfterHealChecker: Checker = checker('outage: cascade continues after heal', 'yes', (events) => {
  const cascade = measureCascadeAfterHeal(events);
  if (cascade.healedAt === undefined) return { measured: null, outcome: 'unknown', detail: 'the trigger was never healed' };
  return { measured: cascade.continued ? 'yes' : 'no', outcome: passIf(cascade.continued), detail: cascadeDetail(cascade) };
});
