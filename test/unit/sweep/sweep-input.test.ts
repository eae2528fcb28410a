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

describe('--scale-with', () => {
  const supernodes = 'architectures.p2p.topology.supernodes';
  const perFleet = 'architectures.p2p.topology.clientsPerFleet';
  const standby = 'architectures.p2p.topology.standbyPeers';
  const grown = (fields: Partial<SweepRequest>): SweepRequest => request({ architecture: 'p2p', param: supernodes, from: 32, to: 150, scaleWith: [perFleet, standby], ...fields });

  it('resolves each field with its shipped value and whether it takes whole numbers, in the order given', () => {
    const spec = checkSweepRequest(grown({}));
    expect(spec.scaleWith.map(({ path, shipped, integer }) => ({ path, shipped, integer }))).toEqual([
      { path: perFleet, shipped: 100, integer: true },
      { path: standby, shipped: 8, integer: true },
    ]);
    expect(checkSweepRequest(grown({ scaleWith: ['architectures.p2p.topology.fleets'] })).scaleWith[0]).toMatchObject({ shipped: 3, integer: true });
    expect(checkSweepRequest(grown({ from: 16, to: 64, scaleWith: ['load.crashProbability'] })).scaleWith[0]).toMatchObject({ shipped: 0.4, integer: false });
    expect(checkSweepRequest(request({})).scaleWith).toEqual([]);
  });

  it('builds the varied scenario with every scaled field in proportion, rounded down, the rest as shipped', () => {
    const spec = checkSweepRequest(grown({}));
    const at64 = scenarioAt(sweptScenario, spec.param, 64, spec.scaleWith).architectures.p2p!.topology;
    expect([at64.supernodes, at64.clientsPerFleet, at64.standbyPeers, at64.fleets]).toEqual([64, 200, 16, 3]);
    const at47 = scenarioAt(sweptScenario, spec.param, 47, spec.scaleWith).architectures.p2p!.topology;
    expect([at47.supernodes, at47.clientsPerFleet, at47.standbyPeers]).toEqual([47, 146, 11]); // 146.875, 11.75
    const fraction = checkSweepRequest(grown({ from: 16, to: 64, scaleWith: ['load.crashProbability'] }));
    expect(scenarioAt(sweptScenario, fraction.param, 48, fraction.scaleWith).load.crashProbability).toBe(0.6);
    expect(sweptScenario.architectures.p2p!.topology.clientsPerFleet).toBe(100);
  });

  it('keeps a whole-number field that ships at least 1 at 1 at the smallest end', () => {
    const spec = checkSweepRequest(grown({ from: 1, to: 64 }));
    const at1 = scenarioAt(sweptScenario, spec.param, 1, spec.scaleWith).architectures.p2p!.topology;
    expect([at1.supernodes, at1.clientsPerFleet, at1.standbyPeers]).toEqual([1, 3, 1]); // 3.125, 0.25
  });

  it('refuses a path that names no field, or no number, as --param would, naming --scale-with', () => {
    const missing = refusal(grown({ scaleWith: ['architectures.p2p.topology.clientsPerFleets'] }));
    expect(missing.exitCode).toBe(ExitCode.invalidInput);
    expect(missing.message).toMatch(/^--scale-with architectures\.p2p\.topology\.clientsPerFleets: skype-2010 has no field/);
    expect(missing.describe()).toMatch(/give --scale-with the path of a numeric field of skype-2010/);
    expect(refusal(grown({ scaleWith: ['load.restartDelay.mean'] })).message).toBe('--scale-with load.restartDelay.mean is the text "2h", not a number, so it cannot be scaled');
    expect(refusal(grown({ scaleWith: ['architectures.p2p.topology.supernode'] })).describe()).toMatch(/is an object, not a number, so it cannot be scaled; scale one of the numeric fields inside it/);
    expect(refusal(grown({ scaleWith: ['load..x'] })).message).toBe('--scale-with "load..x" is not a field path');
    expect(refusal(grown({ scaleWith: ['architectures.dedicated.topology.clientsPerFleet'] })).describe()).toMatch(/--scale-with .* belongs to architecture dedicated, but the sweep runs --arch p2p; scale a field under architectures\.p2p/);
  });

  it('refuses the swept field itself, and a field given twice, however the path is written', () => {
    const itself = refusal(grown({ scaleWith: [perFleet, supernodes] }));
    expect(itself.exitCode).toBe(ExitCode.invalidInput);
    expect(itself.describe()).toMatch(/^INVALID_CONFIG: --scale-with architectures\.p2p\.topology\.supernodes is the field --param sweeps; give --scale-with the other fields/);
    const twice = refusal(grown({ scaleWith: ['timeline[5].action.count', perFleet, 'timeline.5.action.count'] }));
    expect(twice.describe()).toMatch(/^INVALID_CONFIG: --scale-with timeline\[5\]\.action\.count is given twice; give each field to scale once/);
  });

  it('refuses to scale by a field that ships 0: there is no ratio', () => {
    const zero = refusal({ param: 'architectures.dedicated.topology.standbyPeers', from: 0, to: 4, scaleWith: ['architectures.dedicated.topology.clientsPerFleet'] });
    expect(zero.exitCode).toBe(ExitCode.invalidInput);
    expect(zero.describe()).toMatch(/^INVALID_CONFIG: --scale-with needs a ratio, but --param architectures\.dedicated\.topology\.standbyPeers ships 0 .*; sweep a field skype-2010 ships other than 0/);
  });

  it('validates each end whole with its scaled fields: a topology past the machine limits is refused, the limit named', () => {
    // 160 supernodes alone are 179 nodes; with 40 standby peers, 211.
    expect(checkSweepRequest(grown({ to: 160, scaleWith: [perFleet] })).to).toBe(160);
    const nodes = refusal(grown({ to: 160 }));
    expect(nodes.exitCode).toBe(ExitCode.invalidInput);
    expect(nodes.message).toBe(`--to 160 makes ${supernodes} (with ${perFleet} 500, ${standby} 40) outside what skype-2010 may hold`);
    expect(nodes.details.join('\n')).toMatch(/needs 211 nodes \(login, 1 offline-messages, 160 supernodes, 40 standby peers, 3 fleets, 6 added by the timeline\), more than this machine can hold \(at most 200\)/);
    expect(nodes.describe()).toMatch(/the --scale-with fields grow and shrink with it/);
    const perProcess = refusal(request({ architecture: 'p2p', param: 'architectures.p2p.topology.fleets', from: 1, to: 400, scaleWith: [perFleet] }));
    expect(perProcess.details.join('\n')).toMatch(/clientsPerFleet: 13333 clients in one fleet process, more than one event loop can hold \(at most 10000\)/);
    const schema = refusal(grown({ from: 16, to: 96, scaleWith: ['load.crashProbability'] }));
    expect(schema.message).toMatch(/^--to 96 makes .* \(with load\.crashProbability 1\.2\)/);
    expect(schema.details.join('\n')).toMatch(/load\.crashProbability: must be between 0 and 1/);
  });
});
