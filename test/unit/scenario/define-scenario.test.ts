import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../harness/errors.js';
import { defineScenario, validateScenario } from '../../../harness/scenario/define-scenario.js';
import { skype2010 } from '../../../scenarios/skype-2010.js';
import { scenarioProblems, validScenario, validScenarioDefinition } from './scenario-fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = any;

function problemsOf(mutate: (s: Mutable) => void): readonly string[] {
  const scenario = validScenario();
  mutate(scenario);
  return scenarioProblems(scenario);
}

const crashAt = (at: string, id = 'crash-x') => ({ at, action: { do: 'crash', id, target: { nodes: { group: 'supernodes', count: 1 } } } });
const injectAt = (at: string, id: string) => ({
  at,
  action: { do: 'inject', id, target: { links: { from: 'clients', to: { group: 'supernodes' } } }, toxic: { type: 'timeout', attributes: { timeout: 0 } } },
});

describe('validateScenario accepts valid scenarios', () => {
  it('returns the fixture unchanged', () => {
    expect(validateScenario(validScenario())).toEqual(validScenarioDefinition());
  });

  it('accepts the shipped skype-2010 scenario', () => {
    expect(validateScenario(skype2010).name).toBe('skype-2010');
  });

  it('defineScenario is the identity', () => {
    const definition = validScenarioDefinition();
    expect(defineScenario(definition)).toBe(definition);
  });
});

describe('validateScenario: one rule per test', () => {
  const cases: [string, (s: Mutable) => void, string][] = [
    ['a missing field', (s) => delete s.sampleEveryMs, 'sampleEveryMs: is missing (add a number)'],
    ['a wrong type', (s) => (s.seed = 'x'), 'seed: expected number, got "x" (write a number here)'],
    ['one network at a time asked for with a word', (s) => (s.oneAtATime = 'yes'), 'oneAtATime: expected boolean, got "yes" (write a boolean here)'],
    ['a non-integer seed', (s) => (s.seed = 1.5), 'seed: must be a whole number'],
    ['an unknown field', (s) => (s.load.crashProbabilty = 0.1), 'load.crashProbabilty: is not a known field (remove it or check its spelling)'],
    ['a value outside an enum', (s) => (s.steadyState.probes[0].metric = 'online'), 'steadyState.probes[0].metric: "online" is not allowed (use one of "onlineFraction", "lookupSuccess", "supernodesAliveFraction")'],
    ['an unknown action', (s) => (s.timeline[0].action.do = 'explode'), 'timeline[0].action.do: names no known variant (use one of "mark", "inject", "cut", "crash", "pause", "add-supernodes", "slow-close", "reboot-wave", "heal")'],
    ['an unknown distribution', (s) => (s.load.restartDelay = { kind: 'normal', mean: '1h' }), 'load.restartDelay.kind: names no known variant (use one of "fixed", "uniform", "exponential")'],
    ['a duration that does not parse', (s) => (s.timeline[2].at = '2 hours'), 'timeline[2].at: is not a duration (write a number and a unit (ms, s, m, h, d), e.g. "250ms", "1.5s", "30m", "20h" or "1h30m")'],
    ['a zero time scale', (s) => (s.timeScale.oneHour = '0s'), 'timeScale.oneHour: must be longer than zero (e.g. "1.5s")'],
    ['a non-positive version weight', (s) => (s.load.versionMix.fine = 0), 'load.versionMix.fine: must be greater than 0'],
    ['an empty version mix', (s) => (s.load.versionMix = {}), 'load.versionMix: must name at least one version (e.g. { "5.0.0.152": 0.5, "5.0.0.156": 0.5 })'],
    ['a probability above 1', (s) => (s.load.crashProbability = 1.5), 'load.crashProbability: must be between 0 and 1 (a share, e.g. 0.3 for 30%)'],
    ['a selector fraction above 1', (s) => (s.timeline[3].action.target.nodes.fraction = 30), 'timeline[3].action.target.nodes.fraction: must be between 0 and 1 (a share, e.g. 0.3 for 30%)'],
    ['a selector with fraction and count', (s) => (s.timeline[3].action.target.nodes.count = 2), 'timeline[3].action.target.nodes: give either fraction or count, not both (drop one)'],
    ['a target floor above 1', (s) => (s.architectures.dedicated.targets.availabilityFloor = 70), 'architectures.dedicated.targets.availabilityFloor: must be between 0 and 1 (a share, e.g. 0.3 for 30%)'],
    ['a fractional node count', (s) => (s.architectures.p2p.topology.supernodes = 2.5), 'architectures.p2p.topology.supernodes: must be a whole number'],
    ['an unknown toxic attribute', (s) => (s.timeline[1].action.toxic.attributes.latncy = 1), 'timeline[1].action.toxic.attributes.latncy: is not an attribute of a latency toxic (use latency, jitter)'],
    ['a toxic without its main attribute', (s) => (s.timeline[1].action.toxic.attributes = { jitter: 5 }), 'timeline[1].action.toxic.attributes.latency: is required for a latency toxic (add latency: an integer from 0 to 3600000 (milliseconds))'],
    ['a negative toxic attribute', (s) => (s.timeline[1].action.toxic.attributes.jitter = -5), 'timeline[1].action.toxic.attributes.jitter: -5 is out of range (use an integer from 0 to 3600000 (milliseconds))'],
    ['a fractional toxic attribute (issue 8: accepted at load, refused at T0)', (s) => (s.timeline[1].action.toxic.attributes.latency = 2.5), 'timeline[1].action.toxic.attributes.latency: 2.5 is not an integer (use an integer from 0 to 3600000 (milliseconds))'],
    ['a toxic attribute above its maximum', (s) => (s.timeline[1].action.toxic.attributes.latency = 1e12), 'timeline[1].action.toxic.attributes.latency: 1000000000000 is out of range (use an integer from 0 to 3600000 (milliseconds))'],
    ['a zero bandwidth rate', (s) => (s.timeline[1].action.toxic = { type: 'bandwidth', attributes: { rate: 0 } }), 'timeline[1].action.toxic.attributes.rate: 0 is out of range (use an integer from 1 to 10000000 (KB/s))'],
    ['a slicer size_variation not below average_size', (s) => (s.timeline[1].action.toxic = { type: 'slicer', attributes: { average_size: 8, size_variation: 8 } }), 'timeline[1].action.toxic.attributes.size_variation: 8 is out of range (use an integer from 0 to 7, below average_size (8))'],
    ['a negative seed', (s) => (s.seed = -1), 'seed: must be an integer from 0 to 2147483647'],
    ['a seed beyond 31 bits', (s) => (s.seed = 2 ** 31), 'seed: must be an integer from 0 to 2147483647'],
    ['a timer beyond an hour', (s) => (s.load.heartbeatIntervalMs = 3_600_001), 'load.heartbeatIntervalMs: must be at most 3600000 ms (one hour; shorten it)'],
    ['an infinite number', (s) => (s.sampleEveryMs = Infinity), 'sampleEveryMs: expected a finite number, got Infinity (write a finite number here)'],
    ['too many clients in one fleet', (s) => (s.architectures.dedicated.topology.clientsPerFleet = 10_001), 'architectures.dedicated.topology.clientsPerFleet: 10001 clients in one fleet process, more than one event loop can hold (at most 10000) (use more fleets with fewer clients each (see `npm run bench`))'],
    ['too many clients in all', (s) => ((s.architectures.dedicated.topology.clientsPerFleet = 10_000), (s.architectures.dedicated.topology.fleets = 6)), 'architectures.dedicated.topology: needs 60000 clients (fleets × clientsPerFleet), more than this machine can hold (at most 50000, four sockets each) (shrink fleets or clientsPerFleet so that their product is at most 50000)'],
    ['too many nodes, counting supernodes the timeline adds', (s) => (s.architectures.p2p.topology.supernodes = 193), 'architectures.p2p.topology: needs 201 nodes (login, 1 offline-messages, 193 supernodes, 2 standby peers, 2 fleets, 2 added by the timeline), more than this machine can hold (at most 200) (shrink the topology to at most 200 nodes; each is a process or container of about 50 MB)'],
    ['a run longer than a day of real time', (s) => (s.timeScale.oneHour = '1h'), 'duration: the run would last 40h of real time (steadyState.within + duration at timeScale.oneHour "1h"), more than 24h (shorten duration or timeScale.oneHour so that the run lasts at most 24h)'],
    ['a restart delay longer than a day of real time', (s) => (s.load.restartDelay = { kind: 'exponential', mean: '100000h' }), 'load.restartDelay.mean: "100000h" lasts 27h47m of real time at this time scale, more than 24h (use a delay of at most 24h real time; a user who never restarts within the run needs only a delay past duration)'],
    ['a toxicity above 1', (s) => (s.timeline[1].action.toxic.toxicity = 2), 'timeline[1].action.toxic.toxicity: 2 is out of range (use a number from 0 to 1, the share of connections affected)'],
    ['an unknown toxic type', (s) => (s.timeline[1].action.toxic.type = 'jitter'), 'timeline[1].action.toxic.type: "jitter" is not a Toxiproxy toxic (use one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data; a link is taken down with cut, not a toxic)'],
    ['links into fleets', (s) => (s.timeline[1].action.target.links.to.group = 'fleets'), 'timeline[1].action.target.links.to.group: fleets accept no connections, so no link leads to them (target supernodes, login or offline-messages)'],
    ['a uniform distribution with min > max', (s) => (s.load.restartDelay = { kind: 'uniform', min: '3h', max: '1h' }), 'load.restartDelay.max: min must not exceed max (swap them)'],
    ['a backoff cap below its base', (s) => (s.load.reconnect = { policy: 'backoff', baseMs: 500, capMs: 100 }), 'load.reconnect.capMs: capMs must be at least baseMs (raise capMs)'],
    ['an outage range with min > max', (s) => (s.architectures.p2p.outage.supernodeLossDirect = { min: 0.5, max: 0.2 }), 'architectures.p2p.outage.supernodeLossDirect.max: min must not exceed max (swap them)'],
    ['a name that is not a slug', (s) => (s.name = 'Skype 2010'), 'name: must be lower-case letters, digits and dashes (it names report folders), e.g. "skype-2010"'],
    ['an empty probe list', (s) => (s.steadyState.probes = []), 'steadyState.probes: needs at least one probe (e.g. { metric: "onlineFraction", atLeast: 0.95 })'],
    ['no architecture', (s) => (s.architectures = {}), 'architectures: names no architecture (add at least one of p2p, dedicated)'],
    ['an unknown architecture', (s) => (s.architectures.hybrid = s.architectures.p2p), 'architectures.hybrid: is not a known field (remove it or check its spelling)'],
    ['reproduces-outage without an outage', (s) => delete s.architectures.p2p.outage, 'architectures.p2p.outage: is required when the expectation is reproduces-outage (add the outage signature and state at least one of supernodeLossDirect, minCascadeAmplification, maxOnlineLowPoint, cascadeContinuesAfterHeal: true, maxOnlineAfterLowPoint, maxMeanOnline, or expect meets-targets)'],
    ['an empty outage signature', (s) => (s.architectures.p2p.outage = {}), 'architectures.p2p.outage: states no field that checks anything, so any run would reproduce the outage (state at least one of supernodeLossDirect, minCascadeAmplification, maxOnlineLowPoint, cascadeContinuesAfterHeal: true, maxOnlineAfterLowPoint, maxMeanOnline)'],
    ['an outage signature that checks nothing', (s) => (s.architectures.p2p.outage = { cascadeContinuesAfterHeal: false }), 'architectures.p2p.outage: states no field that checks anything, so any run would reproduce the outage (state at least one of supernodeLossDirect, minCascadeAmplification, maxOnlineLowPoint, cascadeContinuesAfterHeal: true, maxOnlineAfterLowPoint, maxMeanOnline)'],
    ['meets-targets without targets', (s) => (s.architectures.dedicated.targets = {}), 'architectures.dedicated.targets: states no target, so meets-targets would check nothing (add targets such as recoveryWithin or availabilityFloor)'],
    ['a p2p topology in dedicated mode', (s) => (s.architectures.p2p.topology.supernodeMode = 'dedicated'), 'architectures.p2p.topology.supernodeMode: a p2p topology cannot run "dedicated" supernodes (use supernodeMode: "peer")'],
    ['a dedicated topology in peer mode', (s) => (s.architectures.dedicated.topology.supernodeMode = 'peer'), 'architectures.dedicated.topology.supernodeMode: a dedicated topology cannot run "peer" supernodes (use supernodeMode: "dedicated")'],
    ['standby peers in a dedicated topology', (s) => (s.architectures.dedicated.topology.standbyPeers = 3), 'architectures.dedicated.topology.standbyPeers: dedicated supernodes are never promoted from clients (set standbyPeers: 0)'],
    ['a peer version mix in a dedicated topology', (s) => (s.architectures.dedicated.topology.peerVersionMix = { buggy: 1 }), 'architectures.dedicated.topology.peerVersionMix: dedicated supernodes run no client software (remove peerVersionMix)'],
    ['boxes running client software in a p2p topology', (s) => (s.architectures.p2p.topology.defects = { boxesRunClientVersion: 'buggy' }), 'architectures.p2p.topology.defects.boxesRunClientVersion: p2p supernodes are peers that already run client code (remove boxesRunClientVersion; peerVersionMix sets the versions the peers run)'],
    ['promotion turned off in a dedicated topology', (s) => (s.architectures.dedicated.topology.defects = { promotionOff: true }), 'architectures.dedicated.topology.defects.promotionOff: dedicated supernodes are never promoted from clients, so there is no promotion to turn off (remove promotionOff)'],
    ['a buggy version outside the mix', (s) => (s.load.buggyVersion = '5.0.0.152'), 'load.buggyVersion: "5.0.0.152" is not in load.versionMix (add "5.0.0.152" to the version mix or fix its spelling; the mix has buggy, fine)'],
    ['a hold longer than within', (s) => (s.steadyState.hold = '30h'), 'steadyState.hold: "30h" is longer than within ("20h"), so it can never hold in time (shorten hold or lengthen within)'],
    ['a step after the end of the run', (s) => (s.timeline[4].at = '21h'), 'timeline[4].at: "21h" is after the end of the run (duration "20h") (move the step earlier or lengthen duration)'],
    ['an abort offset after the end of the run', (s) => (s.abortWhen[0].after = '1d'), 'abortWhen[0].after: "1d" is after the end of the run (duration "20h") (use an offset within duration)'],
    ['a heal of an unknown fault', (s) => s.timeline.push({ at: '4h', action: { do: 'heal', id: 'trigger2' } }), 'timeline[5].action.id: heal of unknown fault "trigger2" (inject or cut it in an earlier step)'],
    ['a heal before its fault', (s) => (s.timeline[2].at = '0s', s.timeline[1].at = '1h'), 'timeline[2].action.id: heal of "trigger" comes before timeline[1] creates it (move the heal after the fault)'],
    ['a heal listed before its fault at the same offset', (s) => s.timeline.splice(0, 0, { at: '5h', action: { do: 'heal', id: 'late' } }, injectAt('5h', 'late')), 'timeline[0].action.id: heal of "late" comes before timeline[1] creates it (move the heal after the fault)'],
    ['a duplicate fault id', (s) => s.timeline.push(crashAt('4h', 'trigger')), 'timeline[5].action.id: "trigger" is already used by timeline[1] (give each fault its own id)'],
    ['a heal of a crash', (s) => s.timeline.push({ at: '4h', action: { do: 'heal', id: 'crash-some' } }), 'timeline[5].action.id: "crash-some" is a crash, which cannot be healed (give the crash restartAfter, or let users restart per load.restartDelay)'],
    ['a second heal', (s) => s.timeline.push({ at: '4h', action: { do: 'heal', id: 'trigger' } }), 'timeline[5].action.id: "trigger" is already healed by timeline[2] (remove one of the heals)'],
    ['a heal for an architecture the fault skips', (s) => (s.timeline[1].only = ['p2p']), 'timeline[2].action.id: heal of "trigger" runs for dedicated, where the fault is never created (give the heal the same only as timeline[1])'],
    ['a step only for an absent architecture', (s) => (delete s.architectures.p2p), 'timeline[4].only[0]: "p2p" is not an architecture of this scenario (add it under architectures or drop it here; the scenario has dedicated)'],
    ['mega supernodes without their tuning', (s) => delete s.architectures.p2p.topology.megaSupernode, 'timeline[4].action.tuning: "mega" needs architectures.p2p.topology.megaSupernode (add megaSupernode to the p2p topology, use tuning "default", or limit the step with only)'],
    ['a rollback heal of an unknown fault', (s) => s.rollbacks.push({ do: 'heal', id: 'nothing' }), 'rollbacks[1].id: heal of unknown fault "nothing" (name a fault the timeline injects or cuts)'],
    ['a rollback reusing a fault id', (s) => s.rollbacks.push(crashAt('0s', 'trigger').action), 'rollbacks[1].id: "trigger" is already used (give each fault its own id)'],
  ];

  it.each(cases)('reports %s', (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toEqual([expected]);
  });

  it('accepts an outage signature of any one field, and ignores an empty one under meets-targets', () => {
    expect(problemsOf((s) => (s.architectures.p2p.outage = { maxOnlineLowPoint: 0.3, maxOnlineAfterLowPoint: 0.5 }))).toEqual([]);
    expect(problemsOf((s) => (s.architectures.p2p.outage = { cascadeContinuesAfterHeal: true }))).toEqual([]);
    expect(problemsOf((s) => (s.architectures.dedicated.outage = {}))).toEqual([]);
  });

  it('accepts each defect in the architecture it belongs to', () => {
    expect(problemsOf((s) => (s.architectures.p2p.topology.defects = { promotionOff: true, offlineStoreDropsShare: 0.1, directoryPinsDeadSupernodes: true }))).toEqual([]);
    expect(problemsOf((s) => (s.architectures.dedicated.topology.defects = { boxesRunClientVersion: 'buggy', offlineStoreDropsShare: 0.1 }))).toEqual([]);
  });

  it('reports an inject aimed at nodes instead of links, naming both sides', () => {
    expect(problemsOf((s) => (s.timeline[1].action.target = { nodes: { group: 'supernodes' } }))).toEqual([
      'timeline[1].action.target.links: is missing (add an object)',
      'timeline[1].action.target.nodes: is not a known field (remove it or check its spelling)',
    ]);
  });
});

describe('validateScenario reports every problem at once', () => {
  it('lists all problems of a badly broken scenario in one INVALID_SCENARIO error', () => {
    const scenario = validScenario();
    scenario.seed = 'x';
    scenario.load.buggyVersion = 'nope';
    scenario.timeline[1].action.toxic.attributes = { latncy: 3 };
    scenario.timeline.push({ at: '4h', action: { do: 'heal', id: 'trigger2' } });
    scenario.architectures.p2p.topology.supernodeMode = 'dedicated';
    delete scenario.sampleEveryMs;
    let caught: unknown;
    try {
      validateScenario(scenario);
    } catch (error) {
      caught = error;
    }
    expect(isChaosError(caught)).toBe(true);
    if (!isChaosError(caught)) return;
    expect(caught.code).toBe('INVALID_SCENARIO');
    expect(caught.exitCode).toBe(2);
    expect(caught.message).toBe('scenario "fixture" has 7 problems');
    expect(caught.details).toEqual(
      expect.arrayContaining([
        'seed: expected number, got "x" (write a number here)',
        'timeline[1].action.toxic.attributes.latncy: is not an attribute of a latency toxic (use latency, jitter)',
        'timeline[1].action.toxic.attributes.latency: is required for a latency toxic (add latency: an integer from 0 to 3600000 (milliseconds))',
        'sampleEveryMs: is missing (add a number)',
        'architectures.p2p.topology.supernodeMode: a p2p topology cannot run "dedicated" supernodes (use supernodeMode: "peer")',
        'load.buggyVersion: "nope" is not in load.versionMix (add "nope" to the version mix or fix its spelling; the mix has buggy, fine)',
        'timeline[5].action.id: heal of unknown fault "trigger2" (inject or cut it in an earlier step)',
      ]),
    );
    expect(caught.describe().split('\n')).toHaveLength(8);
  });

  it('rejects input that is not an object', () => {
    expect(() => validateScenario('skype')).toThrow(/has 1 problem$/);
  });
});
