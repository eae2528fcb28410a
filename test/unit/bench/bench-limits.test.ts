import { describe, expect, it } from 'vitest';
import { limitsOf, notChosen, skipped, type BenchResults } from '../../bench/bench-results.js';

type Measurements = Omit<BenchResults, 'limits'>;

const base: Measurements = {
  command: 'npm run bench',
  machine: {
    cores: 2,
    cpuModel: 'test',
    memoryGiB: 4,
    loadAverageAtStart: [0.5, 0.5, 0.5],
    node: 'v20',
    os: 'linux x64',
    commit: 'abc',
    uncommittedFiles: 0,
    date: '2026-01-01T00:00:00.000Z',
    toxiproxyServer: '2.12.0',
    dockerEngine: undefined,
  },
  loadAverageAtEnd: [0.5, 0.5, 0.5],
  durationSeconds: 1,
  settings: {},
  dockerImages: [],
  fleetCapacity: notChosen(),
  topology: { shape: 'test', local: notChosen(), docker: skipped('no Docker engine answers; start dockerd (npm run setup)') },
  faultLatency: { local: notChosen(), docker: notChosen() },
  hopOverhead: notChosen(),
  harnessCpu: notChosen(),
};

describe('the limits the bench reports', () => {
  it('names the fleet limit and why the search stopped', () => {
    const limits = limitsOf({
      ...base,
      fleetCapacity: {
        status: 'measured',
        seconds: 1,
        result: {
          heartbeatP99LimitMs: 100,
          load: 'test',
          rule: { start: 1_000, min: 250, max: 20_000, granularity: 250, resolution: 0.1, maxSteps: 9 },
          steps: [],
          largestHeld: 5_000,
          smallestFailed: 5_500,
          stop: 'bracketed',
          redeployedBecause: [],
          stoppedBecause: 'at 5500: not-online-in-time',
        },
      },
    });
    expect(limits).toContainEqual({ measurement: 'fleet capacity', limit: '5000 clients in one fleet process with heartbeat p99 under 100 ms', why: 'at 5500: not-online-in-time' });
  });

  it('lists what could not be measured and why, but not what was left out with --only', () => {
    const limits = limitsOf(base);
    expect(limits).toContainEqual({ measurement: 'topology start/teardown (docker)', limit: 'not measured (skipped)', why: 'no Docker engine answers; start dockerd (npm run setup)' });
    expect(limits.filter((limit) => limit.why === 'not chosen with --only')).toEqual([]);
  });

  it('reports a topology that failed to start, the sizes not tried after it, and anything left behind', () => {
    const cell = { platform: 'docker' as const, nodes: 35, links: 68, startMs: undefined, platformUpMs: undefined, teardownMs: undefined, teardownFailures: [] };
    const limits = limitsOf({
      ...base,
      topology: {
        shape: 'test',
        local: notChosen(),
        docker: {
          status: 'measured',
          seconds: 1,
          result: [
            { ...cell, supernodes: 8, leftBehind: 2, failures: ['NODE_NOT_READY: sn-03 not ready after 60000 ms'] },
            { ...cell, supernodes: 32, leftBehind: 0, failures: [], skipped: 'not tried: a smaller topology did not start' },
          ],
        },
      },
    });
    expect(limits.map((limit) => `${limit.measurement}: ${limit.limit}`)).toEqual(
      expect.arrayContaining([
        'topology start/teardown (docker, 8 supernodes): did not start',
        'topology start/teardown (docker, 8 supernodes): 2 objects left behind after teardown',
        'topology start/teardown (docker, 32 supernodes): not measured',
      ]),
    );
  });
});
