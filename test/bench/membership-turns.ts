import { pathToFileURL } from 'node:url';
import { createRandom } from '../../harness/engine/random.js';

/**
 * directory-storm's steady state on p2p, simulated: login answers one request at a time, 32
 * membership checks of 73 ms every 4 s and the clients' logins (3.3 a second, 40 ms each) between
 * them. How often does a check wait past the supernodes' 0.6 s deadline, with the checks at phases
 * drawn at random or on evenly spaced turns? Run: `npx tsx test/bench/membership-turns.ts`.
 */

export interface TurnsSimulation {
  readonly turns: 'random' | 'even';
  /** Each check arrives up to this many ms late, drawn uniformly (a busy host). */
  readonly jitterMs: number;
  readonly seed: number;
}

export interface TurnsOutcome {
  /** Checks answered later than the deadline. */
  readonly late: number;
  /** The slowest check's wait plus its answer, ms. */
  readonly slowestMs: number;
}

const SUPERNODES = 32;
const INTERVAL_MS = 4_000;
const CHECK_MS = 25 + SUPERNODES * 1.5;
const LOGINS_PER_SECOND = 300 / 90;
const LOGIN_MS = 40;
const DEADLINE_MS = 600;
/** The ramp's 90 s and the hold's 10 s. */
const SIMULATED_MS = 100_000;

export function simulateTurns(options: TurnsSimulation): TurnsOutcome {
  const random = createRandom(options.seed);
  const phases = Array.from({ length: SUPERNODES }, (_, index) => (options.turns === 'even' ? (index / SUPERNODES) * INTERVAL_MS : random.next() * INTERVAL_MS));
  const requests: { at: number; costMs: number; check: boolean }[] = [];
  for (let start = 0; start < SIMULATED_MS; start += INTERVAL_MS) {
    for (const phase of phases) requests.push({ at: start + phase + random.next() * options.jitterMs, costMs: CHECK_MS, check: true });
  }
  for (let at = 0; at < SIMULATED_MS; ) {
    at += (-Math.log(1 - random.next()) * 1_000) / LOGINS_PER_SECOND;
    requests.push({ at, costMs: LOGIN_MS, check: false });
  }
  requests.sort((a, b) => a.at - b.at);
  let freeAt = 0;
  let late = 0;
  let slowestMs = 0;
  for (const request of requests) {
    freeAt = Math.max(freeAt, request.at) + request.costMs;
    if (!request.check) continue;
    const answeredMs = freeAt - request.at;
    slowestMs = Math.max(slowestMs, answeredMs);
    if (answeredMs > DEADLINE_MS) late += 1;
  }
  return { late, slowestMs };
}

/** Over `draws` seeds: the share of draws with a late check, and the median draw's slowest answer. */
export function summariseTurns(turns: 'random' | 'even', jitterMs: number, draws: number): { readonly lateDrawShare: number; readonly medianSlowestMs: number } {
  const outcomes = Array.from({ length: draws }, (_, seed) => simulateTurns({ turns, jitterMs, seed: seed + 1 }));
  const slowest = outcomes.map((outcome) => outcome.slowestMs).sort((a, b) => a - b);
  return { lateDrawShare: outcomes.filter((outcome) => outcome.late > 0).length / draws, medianSlowestMs: slowest[Math.floor(draws / 2)] ?? 0 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const turns of ['random', 'even'] as const) {
    for (const jitterMs of [0, 300]) {
      const { lateDrawShare, medianSlowestMs } = summariseTurns(turns, jitterMs, 1_000);
      console.log(`${turns} turns, jitter ${jitterMs} ms: ${(lateDrawShare * 100).toFixed(1)}% of 1,000 draws had a check past 0.6 s; median slowest answer ${Math.round(medianSlowestMs)} ms`);
    }
  }
}
