import { describe, expect, it } from 'vitest';
import { fleetFigure, linearFit, marginalClientCosts } from '../../../harness/docs/container-marginal-costs.js';
import { costRun, fleetRun } from '../helpers/container-cost-runs.js';

describe('the line through fleet figures at several sizes', () => {
  it('is the line through both points with two: slope and value at 0', () => {
    const fit = linearFit([
      { x: 100, y: 40 },
      { x: 1_000, y: 58 },
    ]);
    expect(fit?.method).toBe('two-point');
    expect(fit?.slope).toBeCloseTo(0.02, 12);
    expect(fit?.intercept).toBeCloseTo(38, 12);
    expect(fit).toMatchObject({ points: 2, sizes: [100, 1_000] });
  });

  it('is the least-squares line with more, exact on points on a line', () => {
    const onLine = linearFit([100, 500, 1_000].map((x) => ({ x, y: 38 + 0.02 * x })));
    expect(onLine?.method).toBe('least-squares');
    expect(onLine?.slope).toBeCloseTo(0.02, 12);
    expect(onLine?.intercept).toBeCloseTo(38, 12);
    // Two runs at one size and one at another: the line passes through their mean and the other point.
    const repeated = linearFit([
      { x: 100, y: 40 },
      { x: 100, y: 42 },
      { x: 1_000, y: 59 },
    ]);
    expect(repeated).toMatchObject({ method: 'least-squares', points: 3, sizes: [100, 1_000] });
    expect(repeated?.slope).toBeCloseTo(18 / 900, 12);
    expect(repeated?.intercept).toBeCloseTo(41 - 2, 12);
    // Noisy: the least-squares slope, sum (x - mean x)(y - mean y) / sum (x - mean x)^2.
    const noisy = linearFit([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 2 },
    ]);
    expect(noisy?.slope).toBeCloseTo(0.5, 12);
    expect(noisy?.intercept).toBeCloseTo(1.5, 12);
  });

  it('is not there with fewer than two sizes', () => {
    expect(linearFit([])).toBeUndefined();
    expect(linearFit([{ x: 100, y: 1 }])).toBeUndefined();
    expect(
      linearFit([
        { x: 100, y: 1 },
        { x: 100, y: 2 },
      ]),
    ).toBeUndefined();
  });
});

describe('what 1,000 more clients cost, from runs that differ only in clients per fleet', () => {
  const small = fleetRun(100, { steadyCpu: 0.03, timelineCpu: 0.05, timelineMemory: 42 });
  const large = fleetRun(1_000, { steadyCpu: 0.12, timelineCpu: 0.23, timelineMemory: 60 });

  it('reads one fleet container\'s means from the run\'s phases', () => {
    expect(fleetFigure(costRun, 'cpu-steady-state')).toBe(0.12);
    expect(fleetFigure(costRun, 'cpu-timeline')).toBe(0.175);
    expect(fleetFigure(costRun, 'memory-timeline')).toBe(105);
    expect(fleetFigure({ ...costRun, phases: [] }, 'memory-timeline')).toBeUndefined();
  });

  it('is the slope × 1,000 and the fixed cost of a fleet process the value at 0 clients', () => {
    const [group, ...rest] = marginalClientCosts([small, large]);
    expect(rest).toEqual([]);
    expect(group).toMatchObject({ scenario: 'skype-2010', architecture: 'p2p', fleets: 3, seed: 7, set: {}, runs: [0, 1], clientsPerFleet: [100, 1_000] });
    const figure = (quantity: string) => group!.figures.find((entry) => entry.quantity === quantity)!;
    expect(figure('cpu-steady-state').perThousandClients).toBeCloseTo(0.1, 12);
    expect(figure('cpu-steady-state').fixedPerFleet).toBeCloseTo(0.02, 12);
    expect(figure('cpu-timeline').perThousandClients).toBeCloseTo(0.2, 12);
    expect(figure('cpu-timeline').fixedPerFleet).toBeCloseTo(0.03, 12);
    expect(figure('memory-timeline').perThousandClients).toBeCloseTo(20, 12);
    expect(figure('memory-timeline').fixedPerFleet).toBeCloseTo(40, 12);
    expect(figure('memory-timeline').fit.method).toBe('two-point');
  });

  it('fits a least-squares line through more runs, and leaves out a figure a run does not have', () => {
    const middle = fleetRun(500, { steadyCpu: 0.07, timelineCpu: null, timelineMemory: 50 });
    const [group] = marginalClientCosts([small, middle, large]);
    expect(group?.runs).toEqual([0, 1, 2]);
    const memory = group!.figures.find((entry) => entry.quantity === 'memory-timeline')!;
    expect(memory.fit).toMatchObject({ method: 'least-squares', points: 3, sizes: [100, 500, 1_000] });
    expect(memory.perThousandClients).toBeCloseTo(20, 12);
    expect(group!.figures.find((entry) => entry.quantity === 'cpu-timeline')!.fit).toMatchObject({ method: 'two-point', points: 2 });
    const noTimeline = fleetRun(1_000, { steadyCpu: 0.12, timelineCpu: null, timelineMemory: null });
    expect(marginalClientCosts([small, noTimeline])[0]?.figures.map((entry) => entry.quantity)).toEqual(['cpu-steady-state']);
  });

  it('is derived only from runs that differ in clients per fleet and nothing else', () => {
    expect(marginalClientCosts([small])).toEqual([]);
    expect(marginalClientCosts([small, small])).toEqual([]);
    const otherFleets = { ...large, topology: { ...large.topology, fleets: 2 } };
    const otherSeed = { ...large, run: { ...large.run, seed: 8 } };
    const otherArchitecture = { ...large, run: { ...large.run, architecture: 'dedicated' as const } };
    const otherScenario = { ...large, run: { ...large.run, scenario: 'skype-2010-backoff' } };
    const otherSet = fleetRun(1_000, { steadyCpu: 0.12, timelineCpu: 0.23, timelineMemory: 60 }, { 'load.crashProbability': 0.1 });
    for (const other of [otherFleets, otherSeed, otherArchitecture, otherScenario, otherSet]) expect(marginalClientCosts([small, other])).toEqual([]);
    // Two lines: the shipped values, and with the crash probability set at both sizes.
    const otherSmall = fleetRun(100, { steadyCpu: 0.03, timelineCpu: 0.05, timelineMemory: 42 }, { 'load.crashProbability': 0.1 });
    const groups = marginalClientCosts([small, otherSet, large, otherSmall]);
    expect(groups.map((group) => [group.runs, group.set])).toEqual([
      [[0, 2], {}],
      [[1, 3], { 'load.crashProbability': 0.1 }],
    ]);
  });
});
