import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../harness/observe/history-types.js';
import { phaseSpans } from '../../bench/run-output.js';

describe('the phases of a run from its history', () => {
  it('spans each phase from its mark to the next, the last to the last event, in epoch milliseconds', () => {
    const startedAt = '2026-12-01T10:00:00.000Z';
    const epoch = Date.parse(startedAt);
    const events = [
      { t: 0, type: 'run-start', startedAt },
      { t: 5, type: 'phase', phase: 'deploying' },
      { t: 12_000, type: 'phase', phase: 'steady-state' },
      { t: 40_000, type: 'phase', phase: 'timeline' },
      { t: 90_000, type: 'run-end' },
    ] as unknown as HistoryEvent[];
    expect(phaseSpans(events)).toEqual([
      { phase: 'deploying', fromMs: epoch + 5, toMs: epoch + 12_000 },
      { phase: 'steady-state', fromMs: epoch + 12_000, toMs: epoch + 40_000 },
      { phase: 'timeline', fromMs: epoch + 40_000, toMs: epoch + 90_000 },
    ]);
    expect(phaseSpans(events.slice(1))).toEqual([]);
  });
});
