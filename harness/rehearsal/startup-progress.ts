import { Writable } from 'node:stream';
import { createProgressView } from '../report/progress-view.js';
import type { ProgressSink } from '../runner/run-session-types.js';

export interface StartupProgress extends ProgressSink {
  /** The operator takes over: from now on the page and the prompt say what happens. */
  handOver(): void;
}

/**
 * What the terminal shows while the topology deploys and settles (a p2p network on Docker takes
 * minutes): a status line on every phase change and every 10 s, and the run's own events (an
 * error such as a steady state that never held). Silent once the operator has taken over.
 */
export function startupProgress(log: (line: string) => void): StartupProgress {
  const lines = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') log(line);
      done();
    },
  });
  const view = createProgressView({ mode: 'plain', stream: lines, plainIntervalMs: 10_000 });
  let handedOver = false;
  return {
    update: (progress) => {
      if (!handedOver) view.update(progress);
    },
    event: (text) => {
      if (!handedOver) view.event(text);
    },
    handOver: () => {
      handedOver = true;
    },
  };
}
