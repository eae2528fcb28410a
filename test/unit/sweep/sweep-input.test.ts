import { describe, expect, it } from 'vitest';
import { ChaosError, ExitCode } from '../../../harness/errors.js';
import { checkSweepRequest, scenarioAt, type SweepRequest } from '../../../harness/sweep/sweep-input.js';
import { numericPaths, parseParamPath, withParamValue } from '../../../harness/sweep/sweep-param.js';
import { sweptScenario } from './sweep-fixtures.js';

const capacity = 'architectures.dedicated.topology.supernode.capacity.requestsPerSecond';
const request = (fields: Partial<SweepRequest>): SweepRequest => ({ scenario: sweptScenario, architecture: 'dedicated', param: capacity, from: 10, to: 200, repeat: 3, steps: 5, ...fields });

function refusal(fields: Partial<SweepRequest>): ChaosError {
  try {
    checkSweepRequest(request(fields));
  } catch (error) {
    if (error instanceof ChaosError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('checkSweepRequest', () => {
  it('accepts a numeric field within the limits, with the shipped value and whether it takes whole numbers', () => {
    const spec = checkSweepRequest(request({}));
    expect(spec.param).toMatchObject({ path: capacity, shipped: 150 });
    expect(spec.integer).toBe(false);
    expect(spec.expectation).toBe('meets-targets');
    const clients = checkSweepRequest(request({ param: 'architectures.dedicated.topology.clientsPerFleet', from: 50, to: 1000 }));
    expect(clients.integer).toBe(true);
    expect(clients.param.shipped).toBe(100);
    expect(checkSweepRequest(request({ param: 'load.reconnect.intervalMs', from: 100, to: 10_000 })).param.shipped).toBe(2_000);
    expect(checkSweepRequest(request({ param: 'load.crashProbability', from: 0, to: 1 })).param.shipped).toBe(0.4);
  });

  it('refuses an unknown path with the field that is missing and the numeric fields that end alike (exit 2)', () => {
    const error = refusal({ param: 'architectures.dedicated.supernode.capacity.requestsPerSecond' });
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.message).toContain('has no field architectures.dedicated.supernode (architectures.dedicated has topology, expectation, targets)');
    expect(error.details).toEqual([capacity]);
    expect(error.describe()).toMatch(/give --param the path of a numeric field/);
  });

  it('refuses a field that is not a number: text, an object (listing the numbers inside), a path that is no path', () => {
    expect(refusal({ param: 'load.restartDelay.mean' }).message).toBe('--param load.restartDelay.mean is the text "2h", not a number, so it cannot be swept');
    const object = refusal({ param: 'architectures.dedicated.topology.supernode.capacity' });
    expect(object.message).toMatch(/is an object, not a number/);
    expect(object.details).toEqual([`${'architectures.dedicated.topology.supernode.capacity'}.sessions`, capacity]);
    expect(refusal({ param: 'load..x' }).message).toMatch(/is not a field path/);
    const suggested = refusal({ param: 'load.nothing.count' }).details;
    expect(suggested).toContain('timeline[2].action.target.nodes.count');
    expect(suggested).not.toContain('timeline[5].action.count');
  });

  it('refuses a field of the other architecture, or a step that does not run on this one', () => {
    expect(refusal({ param: 'architectures.p2p.topology.supernodes' }).describe()).toMatch(/belongs to architecture p2p, but the sweep runs --arch dedicated; sweep a field under architectures.dedicated/);
    expect(refusal({ param: 'timeline[5].action.count', from: 1, to: 9 }).message).toMatch(/timeline\[5\] runs only on p2p/);
    expect(refusal({ architecture: 'p2p', scenario: { ...sweptScenario, architectures: { dedicated: sweptScenario.architectures.dedicated! } } }).describe()).toMatch(/does not define architecture p2p; use --arch with dedicated/);
  });

  it('refuses an empty or reversed range, with the fix', () => {
    expect(refusal({ from: 200, to: 10 }).describe()).toMatch(/--from 200 is not below --to 10; .*e\.g\. --from 10 --to 200/);
    expect(refusal({ from: 10, to: 10 }).describe()).toMatch(/e\.g\. --from 10 --to 20/);
  });

  it('refuses an end outside the schema or the machine limits, naming the rule', () => {
    const probability = refusal({ param: 'load.crashProbability', from: 0.5, to: 1.5 });
    expect(probability.message).toBe('--to 1.5 makes load.crashProbability outside what skype-2010 may hold');
    expect(probability.details.join('\n')).toMatch(/load\.crashProbability: must be between 0 and 1/);
    const clients = refusal({ param: 'architectures.dedicated.topology.clientsPerFleet', from: 50, to: 20_000 });
    expect(clients.details.join('\n')).toMatch(/more than one event loop can hold \(at most 10000\)/);
    expect(refusal({ param: 'load.reconnect.intervalMs', from: 1, to: 100 }).details.join('\n')).toMatch(/faster than 10 ms/);
    expect(refusal({ param: 'architectures.dedicated.topology.clientsPerFleet', from: 50.5, to: 100 }).message).toMatch(/takes whole numbers only/);
  });

  it('refuses a bad --repeat or --steps', () => {
    expect(refusal({ repeat: 0 }).describe()).toMatch(/--repeat 0 is not a run count; give --repeat an integer from 1 to 100/);
    expect(refusal({ repeat: 2.5 }).exitCode).toBe(ExitCode.invalidInput);
    expect(refusal({ steps: -1 }).describe()).toMatch(/--steps -1 is not a step count/);
  });

  it('holds a point by the expectation unless --holds-when says delivered, and refuses any other rule with both rules named', () => {
    expect(checkSweepRequest(request({})).holdsWhen).toBe('expectation');
    expect(checkSweepRequest(request({ holdsWhen: 'expectation' })).holdsWhen).toBe('expectation');
    expect(checkSweepRequest(request({ holdsWhen: 'delivered' })).holdsWhen).toBe('delivered');
    const error = refusal({ holdsWhen: 'foo' });
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.message).toBe('--holds-when foo is not a rule a point can hold by');
    expect(error.describe()).toMatch(/give --holds-when expectation or delivered: expectation \(the default\) when .*, delivered when the harness delivers the scenario's load/);
    expect(refusal({ holdsWhen: 'Delivered' }).message).toMatch(/--holds-when Delivered is not a rule/);
  });
});

describe('the varied scenario', () => {
  it('changes one field in a copy and validates it whole', () => {
    const spec = checkSweepRequest(request({}));
    const varied = scenarioAt(sweptScenario, spec.param, 22);
    expect(varied.architectures.dedicated?.topology.supernode.capacity.requestsPerSecond).toBe(22);
    expect(sweptScenario.architectures.dedicated?.topology.supernode.capacity.requestsPerSecond).toBe(150);
    expect(varied.architectures.p2p).toEqual(sweptScenario.architectures.p2p);
  });

  it('reads list indices either way and lists every numeric field', () => {
    expect(parseParamPath('timeline[2].action.count')).toEqual(['timeline', 2, 'action', 'count']);
    expect(parseParamPath('timeline.2.action.count')).toEqual(['timeline', 2, 'action', 'count']);
    expect(numericPaths(sweptScenario)).toContain('timeline[2].action.target.nodes.count');
    const copy = withParamValue(sweptScenario, ['timeline', 2, 'action', 'target', 'nodes', 'count'], 2) as typeof sweptScenario;
    expect(copy.timeline[2]?.action).toMatchObject({ target: { nodes: { count: 2 } } });
  });
});
