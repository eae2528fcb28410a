import type { RunPhase } from '../observe/history-types.js';
import type { ContainerCostRun } from './container-costs-data.js';

/**
 * What 1,000 more clients cost, apart from the fixed cost of a fleet process: runs of one scenario
 * and architecture that differ only in clientsPerFleet (the same fleets, seed and other --set values)
 * give one fleet container's figures at several sizes; the line through them has the cost of one more
 * client as its slope and the fleet process's own cost (at 0 clients) as its intercept. Two sizes give
 * the line through both points; more runs, a least-squares line.
 */

export interface FitPoint {
  readonly x: number;
  readonly y: number;
}

export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Points the line is fitted to, and the distinct x among them. */
  readonly points: number;
  readonly sizes: readonly number[];
  /** Two points: the line through both; more: the least-squares line (which is the same line for two). */
  readonly method: 'two-point' | 'least-squares';
}

/** The line through the points (least squares when there are more than two); undefined with fewer than two distinct x. */
export function linearFit(points: readonly FitPoint[]): LineFit | undefined {
  const finite = points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
  const sizes = [...new Set(finite.map((point) => point.x))].sort((a, b) => a - b);
  if (sizes.length < 2) return undefined;
  const meanX = finite.reduce((sum, point) => sum + point.x, 0) / finite.length;
  const meanY = finite.reduce((sum, point) => sum + point.y, 0) / finite.length;
  const sxy = finite.reduce((sum, point) => sum + (point.x - meanX) * (point.y - meanY), 0);
  const sxx = finite.reduce((sum, point) => sum + (point.x - meanX) ** 2, 0);
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX, points: finite.length, sizes, method: finite.length === 2 ? 'two-point' : 'least-squares' };
}

export const marginalQuantities = ['cpu-steady-state', 'cpu-timeline', 'memory-timeline'] as const;
export type MarginalQuantity = (typeof marginalQuantities)[number];

const FLEET_ROLE = 'client-fleet';
const quantityOf: Readonly<Record<MarginalQuantity, { readonly phase: RunPhase; readonly of: 'cpu' | 'memory' }>> = {
  'cpu-steady-state': { phase: 'steady-state', of: 'cpu' },
  'cpu-timeline': { phase: 'timeline', of: 'cpu' },
  'memory-timeline': { phase: 'timeline', of: 'memory' },
};

/** One fleet container's mean of the quantity in the run: cores, or MiB. */
export function fleetFigure(run: ContainerCostRun, quantity: MarginalQuantity): number | undefined {
  const { phase, of } = quantityOf[quantity];
  const role = run.phases.find((entry) => entry.phase === phase)?.roles.find((entry) => entry.role === FLEET_ROLE);
  return (of === 'cpu' ? role?.cpuCoresPerContainer?.mean : role?.memoryMiBPerContainer?.mean) ?? undefined;
}

export interface MarginalFigure {
  readonly quantity: MarginalQuantity;
  /** Cores or MiB that 1,000 more clients add (slope × 1,000). */
  readonly perThousandClients: number;
  /** Cores or MiB of one fleet process at 0 clients (the intercept). */
  readonly fixedPerFleet: number;
  readonly fit: LineFit;
}

export interface MarginalClientCosts {
  readonly scenario: string | null;
  readonly architecture: ContainerCostRun['run']['architecture'];
  readonly fleets: number;
  readonly seed: number | null;
  /** The other --set values the runs share. */
  readonly set: Readonly<Record<string, unknown>>;
  /** Indexes into the runs given, in their order, and each one's clients per fleet. */
  readonly runs: readonly number[];
  readonly clientsPerFleet: readonly number[];
  /** Each quantity with a figure at two sizes or more. */
  readonly figures: readonly MarginalFigure[];
}

/** The --set path of clientsPerFleet on the architecture, as the bench writes it. */
export const clientsPerFleetPath = (architecture: string): string => `architectures.${architecture}.topology.clientsPerFleet`;

/** JSON with the keys of every object in order: two values that are the same give the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonical(child)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function othersOf(run: ContainerCostRun): Record<string, unknown> {
  const path = clientsPerFleetPath(run.run.architecture);
  return Object.fromEntries(Object.entries(run.set).filter(([key]) => key !== path));
}

/** What runs must share to be one line: all but clientsPerFleet. */
function groupKey(run: ContainerCostRun): string {
  const { clientsPerFleet: _size, ...topology } = run.topology;
  return canonical({ scenario: run.run.scenario, architecture: run.run.architecture, seed: run.run.seed, topology, set: othersOf(run) });
}

/** Every group of runs that differ only in clientsPerFleet, at two sizes or more, with its marginal and fixed costs; in the order of each group's first run. */
export function marginalClientCosts(runs: readonly ContainerCostRun[]): MarginalClientCosts[] {
  const groups = new Map<string, number[]>();
  runs.forEach((run, index) => groups.set(groupKey(run), [...(groups.get(groupKey(run)) ?? []), index]));
  return [...groups.values()].flatMap((indexes) => {
    const members = indexes.map((index) => runs[index]!);
    if (new Set(members.map((run) => run.topology.clientsPerFleet)).size < 2) return [];
    const figures = marginalQuantities.flatMap((quantity): MarginalFigure[] => {
      const points = members.flatMap((run) => {
        const y = fleetFigure(run, quantity);
        return y === undefined ? [] : [{ x: run.topology.clientsPerFleet, y }];
      });
      const fit = linearFit(points);
      return fit === undefined ? [] : [{ quantity, perThousandClients: fit.slope * 1_000, fixedPerFleet: fit.intercept, fit }];
    });
    const first = members[0]!;
    return [
      {
        scenario: first.run.scenario,
        architecture: first.run.architecture,
        fleets: first.topology.fleets,
        seed: first.run.seed,
        set: othersOf(first),
        runs: indexes,
        clientsPerFleet: members.map((run) => run.topology.clientsPerFleet),
        figures,
      },
    ];
  });
}
