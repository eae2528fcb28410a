import type { TimelineAction } from '../scenario/types.js';

/**
 * Which of an operator's carried-out actions a recording keeps, in order: every action, except a
 * heal of a fault no kept action made (a heal of a failed step undoes nothing). The console and
 * the recorder share it, so the console can run each step under the key its replay will have
 * (`timeline[<index>]`): victims are drawn from the seed by that key, and the replay draws the same.
 */
export class RecordedTimeline {
  private readonly created = new Set<string>();
  private kept = 0;

  /** The key the next kept step runs under in a replay of the recording. */
  nextKey(): string {
    return `timeline[${this.kept}]`;
  }

  /** Takes a carried-out action; whether the recording keeps it. */
  keep(action: TimelineAction): boolean {
    if (action.do === 'heal') {
      if (!this.created.delete(action.id)) return false;
    } else if ('id' in action && typeof action.id === 'string') {
      this.created.add(action.id);
    }
    this.kept += 1;
    return true;
  }
}
