import type { HistoryEvent } from '../observe/history-types.js';
import { triggerHealedTime } from './history-series.js';
import { supernodeLosses } from './supernode-loss.js';

export interface CascadeAfterHeal {
  /** When the trigger (the first injected fault) was healed; undefined when it never was. */
  readonly healedAt: number | undefined;
  readonly continued: boolean;
  /** Supernodes that shut themselves off after the heal. */
  readonly selfProtectedAfterHeal: readonly string[];
}

export function measureCascadeAfterHeal(events: readonly HistoryEvent[]): CascadeAfterHeal {
  const healedAt = triggerHealedTime(events);
  if (healedAt === undefined) return { healedAt, continued: false, selfProtectedAfterHeal: [] };
  const after = supernodeLosses(events).filter((e) => e.cause === 'self-protection' && e.t > healedAt);
  const nodes = [...new Set(after.map((e) => e.node))];
  return { healedAt, continued: nodes.length > 0, selfProtectedAfterHeal: nodes };
}
