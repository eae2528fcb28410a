import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChaosError, isChaosError } from '../../../harness/errors.js';
import { describeRange, toxicCatalogue } from '../../../harness/network/toxic-catalogue.js';
import { toxicAttributeRules, toxicTypes, validateToxic } from '../../../harness/network/toxic-schema.js';
import { validateScenario } from '../../../harness/scenario/define-scenario.js';
import { validScenario } from '../scenario/scenario-fixture.js';

function problemsOf(input: unknown): string[] {
  try {
    validateToxic(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ChaosError);
    expect((error as ChaosError).code).toBe('INVALID_TOXIC');
    return [...(error as ChaosError).details];
  }
  throw new Error('expected INVALID_TOXIC');
}

const validAttributes: Record<string, Record<string, number>> = {
  latency: { latency: 200, jitter: 20 },
  bandwidth: { rate: 100 },
  slow_close: { delay: 500 },
  timeout: { timeout: 0 },
  reset_peer: { timeout: 10 },
  slicer: { average_size: 64, size_variation: 8, delay: 100 },
  limit_data: { bytes: 0 },
};

describe('validateToxic', () => {
  it('is the catalogue the scenario schema uses', () => {
    expect(toxicAttributeRules).toBe(toxicCatalogue);
  });

  it.each(toxicTypes)('accepts a valid %s toxic and fills defaults (downstream, toxicity 1)', (type) => {
    const valid = validateToxic({ type, attributes: validAttributes[type] });
    expect(valid).toEqual({ type, stream: 'downstream', toxicity: 1, attributes: validAttributes[type] });
  });

  it('fills optional attributes with their defaults', () => {
    expect(validateToxic({ type: 'latency', attributes: { latency: 5 } }).attributes).toEqual({ latency: 5, jitter: 0 });
    expect(validateToxic({ type: 'reset_peer', attributes: {} }).attributes).toEqual({ timeout: 0 });
    expect(validateToxic({ type: 'slicer', attributes: { average_size: 10 } }).attributes).toEqual({ average_size: 10, size_variation: 0, delay: 0 });
  });

  it('keeps stream and toxicity', () => {
    const valid = validateToxic({ type: 'bandwidth', stream: 'upstream', toxicity: 0.25, attributes: { rate: 5 } });
    expect(valid.stream).toBe('upstream');
    expect(valid.toxicity).toBe(0.25);
  });

  const withRequired = toxicTypes.filter((type) => Object.values(toxicAttributeRules[type]).some((rule) => rule.default === undefined));

  it('has required attributes on every type but reset_peer', () => {
    expect(toxicTypes.filter((type) => !withRequired.includes(type))).toEqual(['reset_peer']);
  });

  it.each(withRequired)('names every missing required attribute of %s with its range', (type) => {
    const required = Object.entries(toxicAttributeRules[type]).filter(([, rule]) => rule.default === undefined);
    const problems = problemsOf({ type, attributes: {} });
    expect(problems).toHaveLength(required.length);
    for (const [name, rule] of required) {
      expect(problems).toContain(`attributes.${name}: is required for a ${type} toxic (add ${name}: ${describeRange(rule)})`);
    }
  });

  it.each(toxicTypes)('refuses a negative value for every attribute of %s, naming field, value and range', (type) => {
    for (const [name, rule] of Object.entries(toxicAttributeRules[type])) {
      const problems = problemsOf({ type, attributes: { ...validAttributes[type], [name]: -3 } });
      expect(problems.join('\n')).toContain(`attributes.${name}: -3 is out of range (use an integer from ${rule.min} to ${rule.max} (${rule.unit}))`);
    }
  });

  it.each(toxicTypes)('refuses a value above the maximum for every attribute of %s', (type) => {
    for (const [name, rule] of Object.entries(toxicAttributeRules[type])) {
      const problems = problemsOf({ type, attributes: { ...validAttributes[type], [name]: rule.max + 1 } });
      expect(problems.join('\n')).toContain(`attributes.${name}: ${rule.max + 1} is out of range (use ${describeRange(rule)})`);
    }
  });

  it.each(toxicTypes)('refuses a fractional value for every attribute of %s', (type) => {
    for (const name of Object.keys(toxicAttributeRules[type])) {
      const problems = problemsOf({ type, attributes: { ...validAttributes[type], [name]: 1.5 } });
      expect(problems.join('\n')).toContain(`attributes.${name}: 1.5 is not an integer`);
    }
  });

  it('caps latency, jitter, delay and timeout at one hour', () => {
    for (const [type, name] of [['latency', 'latency'], ['latency', 'jitter'], ['slow_close', 'delay'], ['timeout', 'timeout'], ['reset_peer', 'timeout']] as const) {
      expect(toxicAttributeRules[type][name]).toMatchObject({ max: 3_600_000, unit: 'milliseconds' });
    }
  });

  it('refuses a non-number attribute', () => {
    expect(problemsOf({ type: 'latency', attributes: { latency: '200' } })).toEqual([
      'attributes.latency: "200" is not a number (use an integer from 0 to 3600000 (milliseconds))',
    ]);
  });

  it('refuses an unknown attribute and lists the allowed ones', () => {
    expect(problemsOf({ type: 'latency', attributes: { latency: 1, delay: 5 } })).toEqual([
      'attributes.delay: is not an attribute of a latency toxic (use latency, jitter)',
    ]);
  });

  it('refuses an unknown type, including down (which is not a toxic)', () => {
    for (const type of ['lag', 'down']) {
      const [problem] = problemsOf({ type, attributes: {} });
      expect(problem).toBe(`type: "${type}" is not a Toxiproxy toxic (use one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data; a link is taken down with cut, not a toxic)`);
    }
  });

  it('refuses toxicity outside 0..1 and a bad stream', () => {
    expect(problemsOf({ type: 'latency', toxicity: 2, attributes: { latency: 1 } })).toEqual([
      'toxicity: 2 is out of range (use a number from 0 to 1, the share of connections affected)',
    ]);
    expect(problemsOf({ type: 'latency', toxicity: -0.1, attributes: { latency: 1 } })[0]).toContain('toxicity: -0.1');
    expect(problemsOf({ type: 'latency', stream: 'both', attributes: { latency: 1 } })).toEqual(['stream: "both" is not a stream (use "upstream" or "downstream")']);
  });

  it('refuses a slicer whose size variation is not smaller than its average size', () => {
    expect(problemsOf({ type: 'slicer', attributes: { average_size: 8, size_variation: 8 } })).toEqual([
      'attributes.size_variation: 8 is out of range (use an integer from 0 to 7, below average_size (8))',
    ]);
    expect(validateToxic({ type: 'slicer', attributes: { average_size: 8, size_variation: 7 } }).attributes['size_variation']).toBe(7);
  });

  it('refuses a zero bandwidth rate (Toxiproxy would silently not limit)', () => {
    expect(problemsOf({ type: 'bandwidth', attributes: { rate: 0 } })[0]).toBe('attributes.rate: 0 is out of range (use an integer from 1 to 10000000 (KB/s))');
  });

  it('reports every problem at once, and the message carries them', () => {
    let caught: unknown;
    try {
      validateToxic({ type: 'latency', toxicity: 2, stream: 'x', extra: true, attributes: { latency: -5, jitter: 0.5, foo: 1 } });
    } catch (error) {
      caught = error;
    }
    const error = caught as ChaosError;
    expect(error.details).toHaveLength(6);
    expect(error.message).toContain('attributes.latency: -5');
    expect(error.message).toContain('toxicity: 2');
    expect(error.describe()).toContain('INVALID_TOXIC: invalid latency toxic');
    expect(error.exitCode).toBe(2);
  });

  it('refuses something that is not a toxic at all', () => {
    expect(problemsOf(null)[0]).toMatch(/^toxic: null is not a toxic \(write an object with type, stream, toxicity, attributes/);
    expect(problemsOf({ type: 'latency', attributes: [1] })[0]).toBe('attributes: an array is not an object of attributes (write an object with latency, jitter)');
  });
});

describe('one catalogue: a toxic a scenario accepts at load is one the network layer accepts at T0', () => {
  /** Whether the scenario with this toxic as its trigger loads. */
  const scenarioAccepts = (toxic: unknown): boolean => {
    const scenario = validScenario();
    scenario.timeline[1].action.toxic = toxic;
    try {
      validateScenario(scenario);
      return true;
    } catch (error) {
      if (isChaosError(error) && error.code === 'INVALID_SCENARIO') return false;
      throw error;
    }
  };
  const networkAccepts = (toxic: unknown): boolean => {
    try {
      validateToxic(toxic);
      return true;
    } catch (error) {
      if (isChaosError(error) && error.code === 'INVALID_TOXIC') return false;
      throw error;
    }
  };

  it.each([
    ['a latency of 2.5 (issue 8)', { type: 'latency', attributes: { latency: 2.5 } }],
    ['a bandwidth rate of 0', { type: 'bandwidth', attributes: { rate: 0 } }],
    ['a slicer size_variation above its average', { type: 'slicer', attributes: { average_size: 4, size_variation: 9 } }],
    ['a latency of 10^12', { type: 'latency', attributes: { latency: 1e12 } }],
  ])('both refuse %s, naming the field path, the value and the range', (_name, toxic) => {
    expect(networkAccepts(toxic)).toBe(false);
    const scenario = validScenario();
    scenario.timeline[1].action.toxic = toxic;
    expect(() => validateScenario(scenario)).toThrow(ChaosError);
    try {
      validateScenario(scenario);
    } catch (error) {
      expect((error as ChaosError).details.join('\n')).toMatch(/^timeline\[1\]\.action\.toxic\.attributes\.\w+: \S+ is (out of range|not an integer) \(use an integer from \d+ to \d+/m);
    }
  });

  it('agree on any toxic', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer(), fc.double(), fc.constantFrom(0, 1, 3_600_000, 3_600_001, 1e12, '5', null));
    const toxic = fc.record(
      {
        type: fc.constantFrom(...toxicTypes, 'down'),
        stream: fc.constantFrom('upstream', 'downstream', 'both'),
        toxicity: fc.oneof(fc.double({ min: -1, max: 2 }), fc.constant(1)),
        attributes: fc.dictionary(fc.constantFrom('latency', 'jitter', 'rate', 'delay', 'timeout', 'average_size', 'size_variation', 'bytes', 'foo'), value, { maxKeys: 3 }),
      },
      { requiredKeys: ['type', 'attributes'] },
    );
    fc.assert(fc.property(toxic, (candidate) => scenarioAccepts(candidate) === networkAccepts(candidate)), { numRuns: 300 });
  });
});
