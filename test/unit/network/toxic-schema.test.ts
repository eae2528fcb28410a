import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { toxicAttributeRules, toxicTypes, validateToxic } from '../../../harness/network/toxic-schema.js';

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
      expect(problems.some((p) => p.includes(`attributes.${name} is required`) && p.includes(`≥ ${rule.min}`))).toBe(true);
    }
  });

  it.each(toxicTypes)('refuses a negative value for every attribute of %s, naming field, value and range', (type) => {
    for (const [name, rule] of Object.entries(toxicAttributeRules[type])) {
      const problems = problemsOf({ type, attributes: { ...validAttributes[type], [name]: -3 } });
      expect(problems.join('\n')).toContain(`attributes.${name} = -3: out of range, must be an integer ≥ ${rule.min}`);
    }
  });

  it.each(toxicTypes)('refuses a fractional value for every attribute of %s', (type) => {
    for (const name of Object.keys(toxicAttributeRules[type])) {
      const problems = problemsOf({ type, attributes: { ...validAttributes[type], [name]: 1.5 } });
      expect(problems.join('\n')).toContain(`attributes.${name} = 1.5: not an integer`);
    }
  });

  it('refuses a non-number attribute', () => {
    expect(problemsOf({ type: 'latency', attributes: { latency: '200' } })).toEqual([
      'attributes.latency = "200": not a number, must be an integer ≥ 0 (milliseconds)',
    ]);
  });

  it('refuses an unknown attribute and lists the allowed ones', () => {
    expect(problemsOf({ type: 'latency', attributes: { latency: 1, delay: 5 } })).toEqual([
      'attributes.delay: not an attribute of latency (allowed: latency, jitter)',
    ]);
  });

  it('refuses an unknown type, including down (which is not a toxic)', () => {
    for (const type of ['lag', 'down']) {
      const [problem] = problemsOf({ type, attributes: {} });
      expect(problem).toContain(`type = "${type}": not a Toxiproxy toxic (allowed: latency, bandwidth`);
    }
  });

  it('refuses toxicity outside 0..1 and a bad stream', () => {
    expect(problemsOf({ type: 'latency', toxicity: 2, attributes: { latency: 1 } })).toEqual([
      'toxicity = 2: must be a number from 0 to 1 (the share of connections affected)',
    ]);
    expect(problemsOf({ type: 'latency', toxicity: -0.1, attributes: { latency: 1 } })[0]).toContain('toxicity = -0.1');
    expect(problemsOf({ type: 'latency', stream: 'both', attributes: { latency: 1 } })).toEqual(['stream = "both": must be "upstream" or "downstream"']);
  });

  it('refuses a slicer whose size variation is not smaller than its average size', () => {
    expect(problemsOf({ type: 'slicer', attributes: { average_size: 8, size_variation: 8 } })).toEqual([
      'attributes.size_variation = 8: out of range, must be smaller than average_size (8)',
    ]);
  });

  it('refuses a zero bandwidth rate (Toxiproxy would silently not limit)', () => {
    expect(problemsOf({ type: 'bandwidth', attributes: { rate: 0 } })[0]).toContain('attributes.rate = 0: out of range, must be an integer ≥ 1');
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
    expect(error.message).toContain('attributes.latency = -5');
    expect(error.message).toContain('toxicity = 2');
    expect(error.describe()).toContain('INVALID_TOXIC: invalid latency toxic');
    expect(error.exitCode).toBe(2);
  });

  it('refuses something that is not a toxic at all', () => {
    expect(problemsOf(null)[0]).toContain('a toxic must be an object');
    expect(problemsOf({ type: 'latency', attributes: [1] })[0]).toContain('attributes');
  });
});
