import { formatDuration, tryParseDuration } from './duration.js';
import type { ScenarioProblem } from './scenario-problem.js';

/**
 * What one machine can hold: a scenario beyond these is refused when it is loaded, before anything
 * starts, instead of failing half-deployed (or taking the host down) minutes later.
 *
 * - nodes: every node (login, offline-messages, supernodes, standby peers, fleets, and supernodes the
 *   timeline adds) is a Node.js process or a container of roughly 50 MB resident, and every supernode
 *   adds two Toxiproxy proxies; 200 nodes is about 10 GB. skype-2010's p2p run has 51.
 * - clients: every virtual client holds one WebSocket through Toxiproxy, which is four sockets on the
 *   host (fleet, proxy in, proxy out, supernode): 50,000 clients are 200,000 file descriptors.
 * - clients per fleet: a fleet is one event loop; `npm run bench` steps one fleet up to 8,000 clients
 *   and finds its heartbeat p99 past 100 ms before that on two cores.
 * - login's queue: a directory with a capacity holds every request it has not answered yet (a frame
 *   and its connection's closure, about a kilobyte); 100,000 are about 100 MB in one event loop.
 * - real run length: a run is one compressed replay, not a soak; every timer of the run must also stay
 *   far below setTimeout's 2^31-1 ms (24.8 days), beyond which it fires at once.
 */
export const MACHINE_LIMITS = {
  nodes: 200,
  clients: 50_000,
  clientsPerFleet: 10_000,
  realRunMs: 24 * 3_600_000,
  loginQueue: 100_000,
} as const;

type Raw = Readonly<Record<string, unknown>>;

const ARCHITECTURES = ['p2p', 'dedicated'] as const;
const asRecord = (value: unknown): Raw | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined);
const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
/** A count as the schema would take it; anything else is the schema's problem, counted as 0 here. */
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);
const durationOf = (value: unknown): number | undefined => (typeof value === 'string' ? tryParseDuration(value) : undefined);

export function limitProblems(input: unknown): ScenarioProblem[] {
  const root = asRecord(input);
  if (root === undefined) return [];
  return [...topologyLimitProblems(root), ...realTimeProblems(root)];
}

function topologyLimitProblems(root: Raw): ScenarioProblem[] {
  const architectures = asRecord(root['architectures']) ?? {};
  const problems: ScenarioProblem[] = [];
  for (const name of ARCHITECTURES) {
    const topology = asRecord(asRecord(architectures[name])?.['topology']);
    if (topology === undefined) continue;
    const path = `architectures.${name}.topology`;
    const peers = topology['supernodeMode'] === 'peer' ? count(topology['standbyPeers']) : 0;
    const added = addedSupernodes(root, name);
    const nodes = 1 + count(topology['offlineMessageServers']) + count(topology['supernodes']) + peers + count(topology['fleets']) + added;
    if (nodes > MACHINE_LIMITS.nodes) {
      problems.push({
        path,
        problem: `needs ${nodes} nodes (login, ${count(topology['offlineMessageServers'])} offline-messages, ${count(topology['supernodes'])} supernodes, ${peers} standby peers, ${count(topology['fleets'])} fleets, ${added} added by the timeline), more than this machine can hold (at most ${MACHINE_LIMITS.nodes})`,
        hint: `shrink the topology to at most ${MACHINE_LIMITS.nodes} nodes; each is a process or container of about 50 MB`,
      });
    }
    const queueLimit = asRecord(asRecord(topology['login'])?.['directory'])?.['queueLimit'];
    if (typeof queueLimit === 'number' && queueLimit > MACHINE_LIMITS.loginQueue) {
      problems.push({
        path: `${path}.login.directory.queueLimit`,
        problem: `${queueLimit} requests waiting in login, more than one event loop can hold (at most ${MACHINE_LIMITS.loginQueue}, about a kilobyte each)`,
        hint: `use a queueLimit of at most ${MACHINE_LIMITS.loginQueue}; a longer queue only makes the answers later`,
      });
    }
    const perFleet = count(topology['clientsPerFleet']);
    const clients = count(topology['fleets']) * perFleet;
    if (perFleet > MACHINE_LIMITS.clientsPerFleet) {
      problems.push({
        path: `${path}.clientsPerFleet`,
        problem: `${perFleet} clients in one fleet process, more than one event loop can hold (at most ${MACHINE_LIMITS.clientsPerFleet})`,
        hint: 'use more fleets with fewer clients each (see `npm run bench`)',
      });
    }
    if (clients > MACHINE_LIMITS.clients) {
      problems.push({
        path,
        problem: `needs ${clients} clients (fleets × clientsPerFleet), more than this machine can hold (at most ${MACHINE_LIMITS.clients}, four sockets each)`,
        hint: `shrink fleets or clientsPerFleet so that their product is at most ${MACHINE_LIMITS.clients}`,
      });
    }
  }
  return problems;
}

/** Supernodes the timeline adds in this architecture (steps limited by `only` to others do not count). */
function addedSupernodes(root: Raw, architecture: string): number {
  return asArray(root['timeline']).reduce<number>((sum, raw) => {
    const step = asRecord(raw);
    const action = asRecord(step?.['action']);
    if (action?.['do'] !== 'add-supernodes') return sum;
    const only = step?.['only'];
    if (Array.isArray(only) && !only.includes(architecture)) return sum;
    return sum + count(action['count']);
  }, 0);
}

/** The run's real length, and every delay the harness arms from a scenario duration, stay within the limit. */
function realTimeProblems(root: Raw): ScenarioProblem[] {
  const oneHour = durationOf(asRecord(root['timeScale'])?.['oneHour']);
  if (oneHour === undefined || oneHour <= 0) return [];
  const real = (scenarioMs: number): number => (scenarioMs / 3_600_000) * oneHour;
  const limit = formatDuration(MACHINE_LIMITS.realRunMs);
  const problems: ScenarioProblem[] = [];
  const duration = durationOf(root['duration']);
  const within = durationOf(asRecord(root['steadyState'])?.['within']) ?? 0;
  if (duration !== undefined && real(duration + within) > MACHINE_LIMITS.realRunMs) {
    problems.push({
      path: 'duration',
      problem: `the run would last ${formatDuration(real(duration + within))} of real time (steadyState.within + duration at timeScale.oneHour "${String(asRecord(root['timeScale'])?.['oneHour'])}"), more than ${limit}`,
      hint: `shorten duration or timeScale.oneHour so that the run lasts at most ${limit}`,
    });
  }
  const delays: [string, unknown][] = [['load.restartDelay', asRecord(root['load'])?.['restartDelay']]];
  asArray(root['timeline']).forEach((raw, index) => delays.push([`timeline[${index}].action.restartAfter`, asRecord(asRecord(raw)?.['action'])?.['restartAfter']]));
  asArray(root['rollbacks']).forEach((raw, index) => delays.push([`rollbacks[${index}].restartAfter`, asRecord(raw)?.['restartAfter']]));
  for (const [path, rawDistribution] of delays) {
    const distribution = asRecord(rawDistribution);
    if (distribution === undefined) continue;
    for (const field of ['value', 'min', 'max', 'mean']) {
      const ms = durationOf(distribution[field]);
      if (ms === undefined || real(ms) <= MACHINE_LIMITS.realRunMs) continue;
      problems.push({
        path: `${path}.${field}`,
        problem: `"${String(distribution[field])}" lasts ${formatDuration(real(ms))} of real time at this time scale, more than ${limit}`,
        hint: `use a delay of at most ${limit} real time; a user who never restarts within the run needs only a delay past duration`,
      });
    }
  }
  asArray(root['timeline']).forEach((raw, index) => {
    const action = asRecord(asRecord(raw)?.['action']);
    if (action?.['do'] !== 'reboot-wave') return;
    for (const field of ['over', 'downFor']) {
      const ms = durationOf(action[field]);
      if (ms === undefined || real(ms) <= MACHINE_LIMITS.realRunMs) continue;
      problems.push({
        path: `timeline[${index}].action.${field}`,
        problem: `"${String(action[field])}" lasts ${formatDuration(real(ms))} of real time at this time scale, more than ${limit}`,
        hint: `use at most ${limit} real time; a reboot wave longer than the run needs only to outlast duration`,
      });
    }
  });
  return problems;
}
