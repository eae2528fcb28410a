import type { EventOf, HistoryEvent } from '../observe/history-types.js';

const errorsOf = (events: readonly HistoryEvent[]): EventOf<'error'>[] => events.filter((e): e is EventOf<'error'> => e.type === 'error');

/** The errors the run session records for timeline steps that failed (`step timeline[3] (inject) failed: ...`). */
export function failedSteps(events: readonly HistoryEvent[]): EventOf<'error'>[] {
  return errorsOf(events).filter((e) => e.message.startsWith('step '));
}

/** The errors the node supervisor records for a user restart it could not carry out (`restart of sn-3 failed: ...`). */
export function failedRestarts(events: readonly HistoryEvent[]): EventOf<'error'>[] {
  return errorsOf(events).filter((e) => e.message.startsWith('restart of ') && e.message.includes(' failed'));
}
