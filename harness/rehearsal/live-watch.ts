import type { HistoryEvent } from '../observe/history-types.js';
import type { SampleEvent } from '../observe/sampler.js';
import { LiveSeries } from './live-series.js';

/** What the dashboard shows, fed from the run as it writes its history. */
export class LiveWatch {
  readonly series = new LiveSeries();
  readonly events: HistoryEvent[] = [];
  onSample: ((sample: SampleEvent) => void) | undefined;
  onEvent: ((event: HistoryEvent) => void) | undefined;

  sample(sample: SampleEvent): void {
    this.series.push(sample);
    this.onSample?.(sample);
  }

  event(event: HistoryEvent): void {
    this.events.push(event);
    if (this.events.length > 500) this.events.splice(0, this.events.length - 500);
    this.onEvent?.(event);
  }
}

export function timelineStartSeconds(events: readonly HistoryEvent[]): number | null {
  const start = events.find((event) => event.type === 'phase' && event.phase === 'timeline');
  return start === undefined ? null : start.t / 1000;
}

/** One line for the terminal beside the prompt. */
export function describeForTerminal(event: HistoryEvent): string {
  switch (event.type) {
    case 'fault':
      return `${event.action} ${event.kind} (${event.id}) on ${event.targets.length} target(s)`;
    case 'remedy':
      return `${event.label}: +${event.added.join(', ')}`;
    case 'error':
      return `error: ${event.message}`;
    case 'node':
      return `node ${event.node} ${event.change}${event.cause === undefined ? '' : ` (${event.cause})`}`;
    default:
      return event.type;
  }
}
