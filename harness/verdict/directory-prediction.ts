import type { Architecture, ScenarioDefinition } from '../scenario/types.js';

/** How many supernodes login names in a client's host cache (login's `hostCacheSize`, which scenarios leave at its default). */
export const hostCacheSize = 8;

const defaultRetryMs = 1_000;
const defaultLoginHeartbeatMs = 1_000;

/**
 * The arithmetic of login's directory, applied to a scenario before it runs (services/login/answer-queue.ts):
 * one worker answers requests in arrival order, each taking `1000 / capacity` ms plus
 * `answerCostMsPerSupernode` for every supernode the answer names. The supernodes counted are those
 * serving at the start (`topology.supernodes`).
 */
export interface DirectoryPrediction {
  readonly supernodes: number;
  readonly answerMs: {
    /** A heartbeat or registration answer names every supernode: 1000/capacity + cost x supernodes. */
    readonly membership: number;
    /** A client's login answer names its host cache: 1000/capacity + cost x min(8, supernodes). */
    readonly login: number;
  };
  readonly loginHeartbeatMs: number;
  /**
   * The share of login's time the supernodes' heartbeats take: supernodes x membership answer / loginHeartbeatMs.
   * Only heartbeats are counted: at steady state the clients are logged in and log in again only when displaced.
   */
  readonly steadyUtilisation: number;
  /** Every supernode registering at once (after a blip of their login links): supernodes x membership answer, the last one's wait. */
  readonly reRegistrationBurstMs: number;
  /** Present when the supernodes' registrations have a deadline (`registrationTimeoutMs`). */
  readonly deadline?: RegistrationDeadlinePrediction;
}

export interface RegistrationDeadlinePrediction {
  readonly deadlineMs: number;
  /** The mean wait before a failed registration is retried (drawn from half to one and a half of it). */
  readonly registrationRetryMs: number;
  /**
   * Registrations of the burst answered later than the deadline, taking their supernodes out of
   * service: the k-th is answered k x answer ms after the burst, so floor(deadline / answer) are in
   * time and supernodes - floor(deadline / answer) late, at least 0.
   */
  readonly outOfServiceAtBurst: number;
  /**
   * The share of login's time asked for when every supernode is out of service and asks again each
   * deadline + mean retry: supernodes x membership answer / (deadline + retry).
   */
  readonly stormUtilisation: number;
  /**
   * The storm outlasts the burst that started it: login is offered more than it can answer
   * (`stormUtilisation` > 1) and the burst put supernodes out of service (burst > deadline).
   */
  readonly feedsItself: boolean;
  /**
   * The deadline at or above which the storm cannot feed itself: one of the two conditions fails
   * there. `stormUtilisation` <= 1 from deadline >= burst - retry, and nothing goes out of service from
   * deadline >= burst; the lower of the two is burst - retry, at least 0.
   */
  readonly tippingDeadlineMs: number;
  /**
   * The deadline at or above which the registrations the burst answered late, asking again together,
   * are all answered within one deadline: (supernodes - deadline / answer) x answer <= deadline, that
   * is from half the burst. Above it the storm drains in one round unless other requests (clients
   * displaced to login, the heartbeats of those still serving) fill login's time; below it, it is
   * still draining after a second round. `tippingDeadlineMs` has every supernode out of service keep
   * asking, a bound from above; the deadline where a network really tips lies between the two.
   */
  readonly drainsAloneFromMs: number;
}

export function predictDirectoryLoad(definition: ScenarioDefinition, architecture: Architecture): DirectoryPrediction | undefined {
  const topology = definition.architectures[architecture]?.topology;
  const directory = topology?.login?.directory;
  if (topology === undefined || directory === undefined) return undefined;
  const { supernodes, supernode } = topology;
  const answerFor = (named: number): number => 1_000 / directory.capacity + (directory.answerCostMsPerSupernode ?? 0) * named;
  const membership = answerFor(supernodes);
  const loginHeartbeatMs = supernode.loginHeartbeatMs ?? defaultLoginHeartbeatMs;
  const reRegistrationBurstMs = supernodes * membership;
  const deadlineMs = supernode.registrationTimeoutMs;
  return {
    supernodes,
    answerMs: { membership, login: answerFor(Math.min(hostCacheSize, supernodes)) },
    loginHeartbeatMs,
    steadyUtilisation: reRegistrationBurstMs / loginHeartbeatMs,
    reRegistrationBurstMs,
    ...(deadlineMs === undefined ? {} : { deadline: deadlinePrediction(deadlineMs, supernode.registrationRetryMs ?? defaultRetryMs, supernodes, membership) }),
  };
}

function deadlinePrediction(deadlineMs: number, registrationRetryMs: number, supernodes: number, answerMs: number): RegistrationDeadlinePrediction {
  const burstMs = supernodes * answerMs;
  // The epsilon keeps an answer due exactly at the deadline in time despite floating-point division.
  const inTime = Math.floor(deadlineMs / answerMs + 1e-9);
  const stormUtilisation = burstMs / (deadlineMs + registrationRetryMs);
  return {
    deadlineMs,
    registrationRetryMs,
    outOfServiceAtBurst: Math.max(0, supernodes - inTime),
    stormUtilisation,
    feedsItself: stormUtilisation > 1 && burstMs > deadlineMs,
    tippingDeadlineMs: Math.max(0, Math.min(burstMs, burstMs - registrationRetryMs)),
    drainsAloneFromMs: burstMs / 2,
  };
}
