import type { Clock } from '../engine/clock.js';
import { createAbortWatch } from '../engine/abort-watch.js';
import type { TimeScaleConverter } from '../scenario/time-scale.js';
import type { ScenarioDefinition } from '../scenario/types.js';
import type { RunningNetwork } from './running-network.js';
import { throwIfAborted } from './throw-if-aborted.js';

export interface AbortConditionPolling {
  /** Stops polling; throws the abort's reason when the run was aborted (by a condition or an interrupt). */
  stop(): Promise<void>;
}

export interface AbortConditionPollingOptions {
  readonly scenario: Pick<ScenarioDefinition, 'abortWhen' | 'sampleEveryMs'>;
  readonly scale: TimeScaleConverter;
  readonly clock: Clock;
  readonly network: RunningNetwork;
  /** T0: when the conditions' `after` counts from. */
  readonly timelineStart: number;
  /** Aborted here once a condition holds; polling ends when it is aborted from elsewhere. */
  readonly abortRun: AbortController;
}

/** Probes the network every sample interval and aborts the run once one of the scenario's abort conditions holds. */
export function pollAbortConditions(options: AbortConditionPollingOptions): AbortConditionPolling {
  const { scenario, clock, network, timelineStart, abortRun } = options;
  const signal = abortRun.signal;
  const abortWatch = createAbortWatch(scenario.abortWhen, options.scale);
  let over = false;
  const polling = (async () => {
    while (!signal.aborted && !over) {
      const values = await network.sampler.probe();
      const decision = abortWatch.observe(clock.now() - timelineStart, values);
      if (decision !== undefined) abortRun.abort(new Error(`abort condition: ${decision.reason}`));
      await clock.sleep(scenario.sampleEveryMs, signal);
    }
  })();
  return {
    async stop() {
      over = true;
      if (signal.aborted) {
        void polling.catch(() => undefined);
        throwIfAborted(signal);
      }
      await polling;
    },
  };
}
