import type { Architecture, ScenarioDefinition } from '../scenario/types.js';
import { scaledValue } from '../sweep/sweep-scale.js';
import { predictOfferedLoad, type LoadPrediction } from '../verdict/load-prediction.js';
import type { ContainerCostRun, ContainerCostsData } from './container-costs-data.js';
import { fleetFigure, marginalClientCosts, type MarginalClientCosts, type MarginalQuantity } from './container-marginal-costs.js';
import { count, day, shortCommit, times } from './doc-format.js';
import { markdownTable } from './markdown-table.js';
import type { SweepEntry, SweepResultsData } from './sweep-results-data.js';

/**
 * `table:scale-arithmetic` and `table:scale-surge` in docs/scale.md: how many machines a bigger
 * skype-2010 p2p network needs, priced from bench/container-costs.json and calibrated by the size sweep
 * in bench/sweeps.json, and what its storm asks of each peer and of the fleets.
 *
 * - Demand of a topology in the storm (the timeline): every supernode container (supernodes, standby
 *   peers and the supernodes the timeline adds) at one supernode's measured mean; fleets at F × the
 *   fixed cost of a fleet process + clients / 1,000 × the marginal cost of 1,000 clients (without a
 *   marginal fit, one fleet's figure per 1,000 of its clients, an upper bound as its fixed cost is in
 *   it); Toxiproxy's measured figure in proportion to the clients (its work grows with the connections
 *   it carries); login and offline-messages as measured. Memory likewise.
 * - One machine's usable CPU: the demand, by the same arithmetic, of the largest topology the size
 *   sweep delivered; without the sweep (or without its bracket), 70% of the machine's cores.
 * - The storm: `predictOfferedLoad` on the target topology with every peer's capacity scaled by its
 *   clients against the shipped network's, so each peer carries its clients at the shipped steady load.
 */

export const SCALE_ARITHMETIC_TABLE = 'scale-arithmetic';
export const SCALE_SURGE_TABLE = 'scale-surge';
/** The id of the size sweep's entry in bench/sweeps.json. */
export const SIZE_SWEEP_ID = 'skype-2010-p2p-size';

const architecture: Architecture = 'p2p';
const topologyPath = (field: string): string => `architectures.${architecture}.topology.${field}`;
const SUPERNODES_PATH = topologyPath('supernodes');
const CLIENTS_PER_FLEET_PATH = topologyPath('clientsPerFleet');
const STANDBY_PEERS_PATH = topologyPath('standbyPeers');

/** Share of a machine's cores taken as usable when no sweep says how far it goes. */
export const FALLBACK_CPU_SHARE = 0.7;
/** Share of a machine's memory taken as usable. */
export const USABLE_MEMORY_SHARE = 0.8;

export const SCALE_NOT_MEASURED =
  '_Not measured yet: the arithmetic prices a topology from `bench/container-costs.json`, written by ' +
  '`npm run bench:costs -- skype-2010 --arch p2p --platform docker --seed 7 --out <dir>` and the same run again with ' +
  '`--set architectures.p2p.topology.clientsPerFleet=200 --append` (the marginal cost of clients), and calibrates one machine by the size sweep: ' +
  '`npx chaos sweep skype-2010 --arch p2p --param architectures.p2p.topology.supernodes --from 32 --to 150 ' +
  '--scale-with architectures.p2p.topology.clientsPerFleet --scale-with architectures.p2p.topology.standbyPeers --repeat 1 --steps 2 --platform docker` (a point holds when the outage is reproduced: the network came up and its storm was played and delivered), ' +
  `imported with \`npx tsx test/bench/sweep-to-data.ts --dir <out> --id ${SIZE_SWEEP_ID} ...\`; then \`npm run docs\`._`;

export interface ScaleTopology {
  readonly label: string;
  readonly supernodes: number;
  readonly standbyPeers: number;
  readonly fleets: number;
  readonly clientsPerFleet: number;
}

export const fleetClients = (topology: Pick<ScaleTopology, 'fleets' | 'clientsPerFleet'>): number => topology.fleets * topology.clientsPerFleet;

/** The scenario's p2p topology as shipped. */
export function shippedTopology(definition: ScenarioDefinition): ScaleTopology {
  const topology = definition.architectures[architecture]?.topology;
  if (topology === undefined) throw new Error(`${definition.name} has no ${architecture} architecture`);
  const { supernodes, standbyPeers, fleets, clientsPerFleet } = topology;
  return { label: `${definition.name} ${architecture} as shipped`, supernodes, standbyPeers, fleets, clientsPerFleet };
}

/** The topologies the tables price: the shipped one (a check: one machine), then 10,000 and 100,000 clients in fleets of 1,000. */
export function targetTopologies(definition: ScenarioDefinition): ScaleTopology[] {
  return [
    shippedTopology(definition),
    { label: '100 supernodes, 10,000 clients', supernodes: 100, standbyPeers: 25, fleets: 10, clientsPerFleet: 1_000 },
    { label: '1,000 supernodes, 100,000 clients', supernodes: 1_000, standbyPeers: 250, fleets: 100, clientsPerFleet: 1_000 },
  ];
}

/** Supernodes the scenario's timeline adds on p2p (`add-supernodes` steps not limited to other architectures). */
export function addedSupernodes(definition: ScenarioDefinition): number {
  return definition.timeline.reduce((sum, step) => {
    if (step.only !== undefined && !step.only.includes(architecture)) return sum;
    const action = step.action;
    return action.do === 'add-supernodes' ? sum + action.count : sum;
  }, 0);
}

/** A role's figures in the timeline, per container, and how many containers of it the run had at once. */
export interface RoleFigure {
  readonly cpuCores: number | undefined;
  readonly memoryMiB: number | undefined;
  readonly containers: number | undefined;
}

function roleFigure(run: ContainerCostRun, role: string): RoleFigure {
  const measured = run.phases.find((entry) => entry.phase === 'timeline')?.roles.find((entry) => entry.role === role);
  const unit = run.unitCosts.find((entry) => entry.phase === 'timeline')?.units.find((cost) => cost.role === role);
  const fromUnit = (value: number | undefined): number | undefined => (value === undefined || unit === undefined ? undefined : value * unit.perContainer);
  return {
    cpuCores: measured?.cpuCoresPerContainer?.mean ?? fromUnit(unit?.cpuCores?.mean),
    memoryMiB: measured?.memoryMiBPerContainer?.mean ?? fromUnit(unit?.memoryMiB?.mean),
    containers: measured?.containers,
  };
}

/** How the fleets of a topology are priced in one quantity. */
export type FleetPricing =
  | { readonly kind: 'marginal'; readonly fixedPerFleet: number; readonly perThousandClients: number }
  | { readonly kind: 'upper-bound'; readonly perThousandClients: number }
  | { readonly kind: 'unmeasured' };

/** What the arithmetic prices a topology with: the shipped run's figures and the marginal fit. */
export interface CostBasis {
  readonly runs: readonly ContainerCostRun[];
  /** Index of the run with no --set (else the first). */
  readonly shippedIndex: number;
  readonly shipped: ContainerCostRun;
  /** The group of runs at several fleet sizes the fleets are priced by: the shipped run's, else the first. */
  readonly marginal: MarginalClientCosts | undefined;
  readonly supernode: RoleFigure;
  readonly toxiproxy: RoleFigure;
  readonly login: RoleFigure;
  readonly offlineMessages: RoleFigure;
  readonly fleetCpu: FleetPricing;
  readonly fleetMemory: FleetPricing;
}

function fleetPricing(run: ContainerCostRun, marginal: MarginalClientCosts | undefined, quantity: MarginalQuantity): FleetPricing {
  const figure = marginal?.figures.find((entry) => entry.quantity === quantity);
  if (figure !== undefined) return { kind: 'marginal', fixedPerFleet: figure.fixedPerFleet, perThousandClients: figure.perThousandClients };
  const fleet = roleFigure(run, 'client-fleet');
  const perContainer = fleetFigure(run, quantity) ?? (quantity === 'memory-timeline' ? fleet.memoryMiB : fleet.cpuCores);
  return perContainer === undefined ? { kind: 'unmeasured' } : { kind: 'upper-bound', perThousandClients: perContainer / (run.topology.clientsPerFleet / 1_000) };
}

export function costBasis(data: ContainerCostsData): CostBasis {
  const found = data.runs.findIndex((run) => Object.keys(run.set).length === 0);
  const shippedIndex = found === -1 ? 0 : found;
  const shipped = data.runs[shippedIndex]!;
  const groups = marginalClientCosts(data.runs);
  const marginal = groups.find((group) => group.runs.includes(shippedIndex)) ?? groups[0];
  return {
    runs: data.runs,
    shippedIndex,
    shipped,
    marginal,
    supernode: roleFigure(shipped, 'supernode'),
    toxiproxy: roleFigure(shipped, 'toxiproxy'),
    login: roleFigure(shipped, 'login'),
    offlineMessages: roleFigure(shipped, 'offline-messages'),
    fleetCpu: fleetPricing(shipped, marginal, 'cpu-timeline'),
    fleetMemory: fleetPricing(shipped, marginal, 'memory-timeline'),
  };
}

export const demandParts = ['supernodes', 'fleets', 'toxiproxy', 'login', 'offline-messages'] as const;
export type DemandPart = (typeof demandParts)[number];

export interface Demand {
  readonly cpuCores: number;
  readonly memoryMiB: number;
  /** Each part's cores and MiB. */
  readonly parts: Readonly<Record<DemandPart, { readonly cpuCores: number; readonly memoryMiB: number }>>;
  /** Supernode containers priced: supernodes + standby peers + those the timeline adds. */
  readonly supernodeContainers: number;
  /** Figures the run did not have, counted as 0: `Toxiproxy CPU`. */
  readonly unmeasured: readonly string[];
}

/** The demand of a topology in the storm: cores and MiB, by the rules of the module's comment. */
export function demandOf(basis: CostBasis, topology: ScaleTopology, added: number): Demand {
  const unmeasured: string[] = [];
  const figure = (value: number | undefined, what: string): number => {
    if (value !== undefined) return value;
    unmeasured.push(what);
    return 0;
  };
  const shipped = basis.shipped;
  const clientThousands = fleetClients(topology) / 1_000;
  const shippedThousands = fleetClients(shipped.topology) / 1_000;
  const supernodeContainers = topology.supernodes + topology.standbyPeers + added;
  const fleets = (pricing: FleetPricing, what: string): number => {
    if (pricing.kind === 'marginal') return topology.fleets * pricing.fixedPerFleet + clientThousands * pricing.perThousandClients;
    if (pricing.kind === 'upper-bound') return clientThousands * pricing.perThousandClients;
    return figure(undefined, what);
  };
  const toxiproxies = basis.toxiproxy.containers ?? 1;
  const toxiproxyScale = (toxiproxies * clientThousands) / shippedThousands;
  const logins = basis.login.containers ?? 1;
  const stores = basis.offlineMessages.containers ?? shipped.topology.offlineMessageServers;
  const parts: Record<DemandPart, { cpuCores: number; memoryMiB: number }> = {
    supernodes: { cpuCores: supernodeContainers * figure(basis.supernode.cpuCores, 'supernode CPU'), memoryMiB: supernodeContainers * figure(basis.supernode.memoryMiB, 'supernode memory') },
    fleets: { cpuCores: fleets(basis.fleetCpu, 'fleet CPU'), memoryMiB: fleets(basis.fleetMemory, 'fleet memory') },
    toxiproxy: { cpuCores: toxiproxyScale * figure(basis.toxiproxy.cpuCores, 'Toxiproxy CPU'), memoryMiB: toxiproxyScale * figure(basis.toxiproxy.memoryMiB, 'Toxiproxy memory') },
    login: { cpuCores: logins * figure(basis.login.cpuCores, 'login CPU'), memoryMiB: logins * figure(basis.login.memoryMiB, 'login memory') },
    'offline-messages': {
      cpuCores: stores * figure(basis.offlineMessages.cpuCores, 'offline-messages CPU'),
      memoryMiB: stores * figure(basis.offlineMessages.memoryMiB, 'offline-messages memory'),
    },
  };
  const sum = (of: 'cpuCores' | 'memoryMiB'): number => demandParts.reduce((total, part) => total + parts[part][of], 0);
  return { cpuCores: sum('cpuCores'), memoryMiB: sum('memoryMiB'), parts, supernodeContainers, unmeasured: [...new Set(unmeasured)] };
}

/** What one machine can carry. */
export interface Calibration {
  /** Cores of demand, by the arithmetic, one machine carries in the storm. */
  readonly usableCores: number;
  readonly usableMemoryGiB: number;
  readonly machine: { readonly cores: number; readonly memoryGiB: number };
  readonly source:
    | { readonly kind: 'sweep'; readonly entry: SweepEntry; readonly topology: ScaleTopology }
    | { readonly kind: 'fallback'; readonly why: 'no-entry' | 'no-bracket'; readonly entry: SweepEntry | undefined };
  /** Supernodes of the largest topology the sweep delivered: undefined without it. */
  readonly largestDeliveredSupernodes: number | undefined;
}

/** The topology a delivered point of the size sweep ran: its `set`, the rest as shipped. */
export function sweptTopology(entry: SweepEntry, value: number, shipped: ScaleTopology): ScaleTopology {
  const set = entry.points.find((point) => point.value === value)?.set ?? {};
  const scaled = (path: string, shippedValue: number): number => {
    const given = set[path];
    if (given !== undefined) return given;
    const field = entry.scaleWith?.find((candidate) => candidate.path === path);
    return field === undefined || entry.shipped === 0 ? shippedValue : scaledValue(field.shipped, value, entry.shipped, true);
  };
  const supernodes = entry.param === SUPERNODES_PATH ? value : (set[SUPERNODES_PATH] ?? shipped.supernodes);
  return {
    label: `the largest that held in the sweep (${count(supernodes)} supernodes)`,
    supernodes,
    standbyPeers: scaled(STANDBY_PEERS_PATH, shipped.standbyPeers),
    fleets: shipped.fleets,
    clientsPerFleet: scaled(CLIENTS_PER_FLEET_PATH, shipped.clientsPerFleet),
  };
}

export function calibrate(basis: CostBasis, entry: SweepEntry | undefined, definition: ScenarioDefinition): Calibration {
  const { cores, memoryGiB } = basis.shipped.machine;
  const common = { usableMemoryGiB: memoryGiB * USABLE_MEMORY_SHARE, machine: { cores, memoryGiB } };
  if (entry === undefined || entry.bracket === null) {
    return { ...common, usableCores: cores * FALLBACK_CPU_SHARE, source: { kind: 'fallback', why: entry === undefined ? 'no-entry' : 'no-bracket', entry }, largestDeliveredSupernodes: undefined };
  }
  const topology = sweptTopology(entry, entry.bracket.holds, shippedTopology(definition));
  return { ...common, usableCores: demandOf(basis, topology, addedSupernodes(definition)).cpuCores, source: { kind: 'sweep', entry, topology }, largestDeliveredSupernodes: topology.supernodes };
}

export interface MachineCount {
  readonly topology: ScaleTopology;
  readonly demand: Demand;
  readonly byCpu: number;
  readonly byMemory: number;
  /** Target supernodes over the largest number the sweep delivered; undefined without the sweep. */
  readonly bySupernodes: number | undefined;
  /** Toxiproxy's cores over one machine's usable demand: above 1, one Toxiproxy cannot carry it. */
  readonly toxiproxyShare: number;
  /** The larger of the CPU and memory counts. */
  readonly machines: number;
}

export function machinesFor(basis: CostBasis, calibration: Calibration, topology: ScaleTopology, added: number): MachineCount {
  const demand = demandOf(basis, topology, added);
  const byCpu = Math.max(1, Math.ceil(demand.cpuCores / calibration.usableCores));
  const byMemory = Math.max(1, Math.ceil(demand.memoryMiB / 1_024 / calibration.usableMemoryGiB));
  const largest = calibration.largestDeliveredSupernodes;
  return {
    topology,
    demand,
    byCpu,
    byMemory,
    bySupernodes: largest === undefined || largest <= 0 ? undefined : Math.ceil(topology.supernodes / largest),
    toxiproxyShare: demand.parts.toxiproxy.cpuCores / calibration.usableCores,
    machines: Math.max(byCpu, byMemory),
  };
}

/** The scenario with the target's p2p topology and each peer's capacity (requests/s and sessions) times `capacityScale`. */
export function scaledScenario(definition: ScenarioDefinition, topology: ScaleTopology, capacityScale: number): ScenarioDefinition {
  const run = definition.architectures[architecture];
  if (run === undefined) throw new Error(`${definition.name} has no ${architecture} architecture`);
  const { supernode } = run.topology;
  return {
    ...definition,
    architectures: {
      ...definition.architectures,
      [architecture]: {
        ...run,
        topology: {
          ...run.topology,
          supernodes: topology.supernodes,
          standbyPeers: topology.standbyPeers,
          fleets: topology.fleets,
          clientsPerFleet: topology.clientsPerFleet,
          supernode: {
            ...supernode,
            capacity: { sessions: supernode.capacity.sessions * capacityScale, requestsPerSecond: supernode.capacity.requestsPerSecond * capacityScale },
          },
        },
      },
    },
  };
}

export interface Surge {
  readonly topology: ScaleTopology;
  /** Clients (the peers' own included, as the prediction counts them) per supernode. */
  readonly clientsPerSupernode: number;
  /** The target's clients per supernode over the shipped network's: each peer's capacity is scaled by it. */
  readonly capacityScale: number;
  readonly prediction: LoadPrediction;
  /** Requests/s the clients offer the survivors in all at the peak: what the fleets must deliver. */
  readonly peakRequestsInAll: number;
}

function predict(definition: ScenarioDefinition): LoadPrediction {
  const prediction = predictOfferedLoad(definition, architecture);
  if (prediction === undefined) throw new Error(`${definition.name} has no ${architecture} architecture`);
  return prediction;
}

export function surgeFor(definition: ScenarioDefinition, topology: ScaleTopology): Surge {
  const shipped = predict(definition);
  const unscaled = predict(scaledScenario(definition, topology, 1));
  const clientsPerSupernode = unscaled.clients / unscaled.supernodes;
  const capacityScale = clientsPerSupernode / (shipped.clients / shipped.supernodes);
  const prediction = predict(scaledScenario(definition, topology, capacityScale));
  return { topology, clientsPerSupernode, capacityScale, prediction, peakRequestsInAll: prediction.peakRequestsPerSurvivor * prediction.survivors };
}

const cores = (value: number): string => value.toFixed(value < 10 ? 2 : 1);
const gibibytes = (mebibytes: number): string => (mebibytes / 1_024).toFixed(mebibytes < 10 * 1_024 ? 2 : 1);
const rate = (value: number): string => (value < 10 ? value.toFixed(2) : count(Math.round(value)));
const listed = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`);

const runText = (run: ContainerCostRun, index: number): string => `run ${index + 1} (\`${run.command}\`, ${day(run.machine.date)}, commit ${shortCommit(run.machine.commit)})`;

function inputsText(basis: CostBasis, calibration: Calibration): string {
  const marginalUsed = basis.fleetCpu.kind === 'marginal' || basis.fleetMemory.kind === 'marginal';
  const fitted = marginalUsed ? (basis.marginal?.runs.filter((index) => index !== basis.shippedIndex) ?? []) : [];
  const runs = `${runText(basis.shipped, basis.shippedIndex)}${fitted.length === 0 ? '' : `, with ${listed(fitted.map((index) => runText(basis.runs[index]!, index)))} for the marginal cost of clients`}`;
  const { cores: machineCores, memoryGiB } = calibration.machine;
  const source = calibration.source;
  const sweep =
    source.kind === 'sweep'
      ? `the size sweep \`${source.entry.id}\` (${source.entry.date}, commit ${shortCommit(source.entry.commit)}), whose largest point that held (${count(source.topology.supernodes)} supernodes, ${count(source.topology.standbyPeers)} standby peers, ${count(source.topology.fleets)} fleets of ${count(source.topology.clientsPerFleet)}) gives one machine's usable demand, ${cores(calibration.usableCores)} cores`
      : source.why === 'no-entry'
        ? `no size sweep yet (\`${SIZE_SWEEP_ID}\` is not in bench/sweeps.json), so one machine's usable demand is ${FALLBACK_CPU_SHARE * 100}% of its ${machineCores} cores, ${cores(calibration.usableCores)}`
        : `the size sweep \`${source.entry?.id ?? SIZE_SWEEP_ID}\` (${source.entry?.date ?? '—'}) found no bracket (no point that held next to one that broke), so one machine's usable demand is ${FALLBACK_CPU_SHARE * 100}% of its ${machineCores} cores, ${cores(calibration.usableCores)}`;
  return `**Inputs**: bench/container-costs.json ${runs}, on ${machineCores} cores and ${memoryGiB} GiB; ${sweep}; usable memory ${USABLE_MEMORY_SHARE * 100}% of the machine's.`;
}

const fleetRule = (pricing: FleetPricing): string =>
  pricing.kind === 'marginal'
    ? 'F × the fixed cost of a fleet process + clients / 1,000 × the marginal cost of 1,000 clients'
    : pricing.kind === 'upper-bound'
      ? 'one fleet\'s figure per 1,000 of its clients, an **upper bound (fleet\'s fixed cost included)**, as no two runs at different fleet sizes give its marginal cost in the timeline'
      : 'nothing, as the run has no fleet figure in the timeline';

function rulesText(basis: CostBasis, added: number): string {
  const fleets =
    basis.fleetCpu.kind === basis.fleetMemory.kind
      ? `fleets at ${fleetRule(basis.fleetCpu)}`
      : `fleets' CPU at ${fleetRule(basis.fleetCpu)} and their memory at ${fleetRule(basis.fleetMemory)}`;
  return (
    `**Rules**: CPU in the storm (the timeline's means) is every supernode container (supernodes, standby peers and the ${count(added)} mega-supernodes the timeline adds) at one supernode's figure, ${fleets}, ` +
    'Toxiproxy\'s figure × the clients over the shipped run\'s (its work grows with the connections it carries), and login and offline-messages as measured; memory likewise. ' +
    'Machines are the larger of demand over one machine\'s usable CPU and memory over its usable memory; a supernode is priced as measured, whatever number of clients it holds.'
  );
}

function notesText(counts: readonly MachineCount[], calibration: Calibration, basis: CostBasis): string[] {
  const shippedCount = counts[0];
  const unmeasured = [...new Set(counts.flatMap((entry) => entry.demand.unmeasured))];
  const sweepCores = calibration.source.kind === 'sweep' ? calibration.source.entry.machine.cores : undefined;
  return [
    ...(shippedCount !== undefined && shippedCount.machines !== 1
      ? [`The shipped topology comes out at ${shippedCount.machines} machines, not 1: the usable demand is below what the shipped run itself took, so the calibration is cautious by that much.`]
      : []),
    ...(unmeasured.length === 0 ? [] : [`Not in the run, so counted as 0: ${listed(unmeasured)}.`]),
    ...(sweepCores !== undefined && sweepCores !== basis.shipped.machine.cores ? [`The sweep ran on ${sweepCores} cores, the costs on ${basis.shipped.machine.cores}: the calibration mixes two machines.`] : []),
    ...(counts.some((entry) => entry.toxiproxyShare > 1) ? ['A Toxiproxy share above 1 is more than one machine can give one Toxiproxy: the links need the per-node Toxiproxy that docs/platforms.md designs (not built yet).'] : []),
  ];
}

interface Priced {
  readonly basis: CostBasis;
  readonly added: number;
  readonly calibration: Calibration;
  readonly counts: readonly MachineCount[];
}

/** Every target priced and counted in machines; undefined without the costs file. */
function priced(costs: ContainerCostsData | undefined, sweeps: SweepResultsData | undefined, definition: ScenarioDefinition): Priced | undefined {
  if (costs === undefined) return undefined;
  const basis = costBasis(costs);
  const added = addedSupernodes(definition);
  const calibration = calibrate(basis, sweeps?.entries.find((entry) => entry.id === SIZE_SWEEP_ID), definition);
  return { basis, added, calibration, counts: targetTopologies(definition).map((topology) => machinesFor(basis, calibration, topology, added)) };
}

/** The machines each target topology needs, by CPU and memory; not measured yet without the costs file. */
export function scaleArithmeticTable(costs: ContainerCostsData | undefined, sweeps: SweepResultsData | undefined, definition: ScenarioDefinition): string {
  const given = priced(costs, sweeps, definition);
  if (given === undefined) return SCALE_NOT_MEASURED;
  const { basis, added, calibration, counts } = given;
  const table = markdownTable(
    ['topology', 'CPU in the storm (cores)', 'memory (GiB)', 'machines by CPU', 'machines by memory', 'machines by supernode count alone', "Toxiproxy's share of a machine", 'machines needed'],
    counts.map((entry) => {
      const t = entry.topology;
      return [
        `${t.label}: ${count(t.supernodes)} supernodes + ${count(t.standbyPeers)} standby, ${count(t.fleets)} fleets of ${count(t.clientsPerFleet)}`,
        cores(entry.demand.cpuCores),
        gibibytes(entry.demand.memoryMiB),
        count(entry.byCpu),
        count(entry.byMemory),
        entry.bySupernodes === undefined ? '—' : count(entry.bySupernodes),
        times(entry.toxiproxyShare),
        `**${count(entry.machines)}**`,
      ];
    }),
  );
  const notes = notesText(counts, calibration, basis);
  const bySupernodes =
    calibration.largestDeliveredSupernodes === undefined
      ? 'Machines by supernode count alone needs the size sweep (—).'
      : `Machines by supernode count alone is the target's supernodes over the ${count(calibration.largestDeliveredSupernodes)} that held in the sweep: it ignores that the targets put more clients on each supernode.`;
  return [inputsText(basis, calibration), rulesText(basis, added), table, [bySupernodes, ...notes].join(' ')].join('\n\n');
}

/** The storm of each target topology, predicted with every peer's capacity scaled to its clients; the machines column needs the costs file. */
export function scaleSurgeTable(costs: ContainerCostsData | undefined, sweeps: SweepResultsData | undefined, definition: ScenarioDefinition): string {
  const given = priced(costs, sweeps, definition);
  const surges = targetTopologies(definition).map((topology) => surgeFor(definition, topology));
  const machines = surges.map((_, index) => given?.counts[index]?.machines);
  const shipped = surges[0]!;
  const sessions = definition.architectures[architecture]?.topology.supernode.capacity.sessions ?? 0;
  const capacity = (surge: Surge): string => `${rate(surge.prediction.capacityRequestsPerSecond)}/s, ${count(Math.round(sessions * surge.capacityScale))} sessions`;
  const table = markdownTable(
    [
      'topology',
      'clients per supernode',
      'peer capacity (scaled)',
      'steady requests/s per supernode',
      'peak over capacity',
      'busiest survivor, peak over capacity',
      'demand surge',
      'peak requests/s the fleets offer in all',
      'per machine',
    ],
    surges.map((surge, index) => {
      const p = surge.prediction;
      const perMachine = machines[index];
      return [
        surge.topology.label,
        surge.clientsPerSupernode.toFixed(1),
        capacity(surge),
        rate(p.steadyRequestsPerSupernode),
        times(p.peakLoad),
        times(p.busiest.peakLoad),
        times(p.demandSurge, 1),
        rate(surge.peakRequestsInAll),
        perMachine === undefined ? '—' : `${rate(surge.peakRequestsInAll / perMachine)} (${count(perMachine)} machine${perMachine === 1 ? '' : 's'})`,
      ];
    }),
  );
  const inputs =
    `**Inputs**: the cascade arithmetic (\`predictOfferedLoad\`) on ${definition.name}'s ${architecture} architecture with each target topology, ` +
    `every peer's capacity (requests/s and sessions) scaled by its clients per supernode over the shipped network's ${shipped.clientsPerSupernode.toFixed(2)}, ` +
    'so that each carries its clients at the shipped steady load; clients per supernode count the peers\' own clients, as the prediction does. ' +
    (given === undefined
      ? 'The machines come from the table above, not measured yet (—).'
      : 'Machines needed are the table above\'s.');
  const source = given?.calibration.source;
  // The sweep's point ran with the peers' capacity as shipped.
  const delivered = source?.kind === 'sweep' ? predict(scaledScenario(definition, source.topology, 1)) : undefined;
  const notes = [
    'The peak requests/s in all (the peak per survivor × the survivors) are what the machines\' fleets must deliver: they grow with the clients while the surge on each peer stays the shipped one, ' +
      'and they are what bounds the storm one machine can play.',
    ...(delivered === undefined || source?.kind !== 'sweep'
      ? []
      : [
          `The sweep's largest point that held (${count(source.topology.supernodes)} supernodes) asks, by the same arithmetic, ${rate(delivered.peakRequestsPerSurvivor * delivered.survivors)} requests/s of one machine at the peak: ` +
            'a target whose figure per machine is above that asks each machine for more of a storm than one was seen to deliver.',
        ]),
    'The busiest survivor sits nearer the mean where each survivor takes more displaced clients (their shares even out); among more survivors the busiest draws a little more again.',
  ];
  return [inputs, table, notes.join(' ')].join('\n\n');
}
