import { z } from 'zod';
import { ChaosError } from '../errors.js';
import type { ToxicSpec, ToxicType } from '../scenario/types.js';

interface AttributeRule {
  /** Absent: the attribute is required. */
  readonly default?: number;
  readonly min: number;
  readonly unit: string;
}

/** Every Toxiproxy 2.12 toxic, its attributes, and the range each accepts (all are integers there). */
export const toxicAttributeRules: Readonly<Record<ToxicType, Readonly<Record<string, AttributeRule>>>> = {
  latency: { latency: { min: 0, unit: 'milliseconds' }, jitter: { default: 0, min: 0, unit: 'milliseconds' } },
  bandwidth: { rate: { min: 1, unit: 'KB/s' } },
  slow_close: { delay: { min: 0, unit: 'milliseconds' } },
  timeout: { timeout: { min: 0, unit: 'milliseconds (0 holds the data until the toxic is removed)' } },
  reset_peer: { timeout: { default: 0, min: 0, unit: 'milliseconds' } },
  slicer: {
    average_size: { min: 1, unit: 'bytes' },
    size_variation: { default: 0, min: 0, unit: 'bytes, smaller than average_size' },
    delay: { default: 0, min: 0, unit: 'microseconds' },
  },
  limit_data: { bytes: { min: 0, unit: 'bytes' } },
};

export const toxicTypes = Object.keys(toxicAttributeRules) as ToxicType[];
const streams = ['upstream', 'downstream'] as const;
const topFields = ['type', 'stream', 'toxicity', 'attributes'];

/** A toxic that passed validation, with every default filled in: exactly what is sent to Toxiproxy. */
export interface ValidToxic {
  readonly type: ToxicType;
  readonly stream: 'upstream' | 'downstream';
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

const envelopeSchema = z.strictObject({
  type: z.enum(toxicTypes as [ToxicType, ...ToxicType[]]),
  stream: z.enum(streams).optional(),
  toxicity: z.number().min(0).max(1).optional(),
  attributes: z.record(z.string(), z.unknown()),
});

function attributeSchema(rules: Readonly<Record<string, AttributeRule>>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, rule] of Object.entries(rules)) {
    const number = z.number().int().min(rule.min).max(Number.MAX_SAFE_INTEGER);
    shape[name] = rule.default === undefined ? number : number.optional();
  }
  return z.strictObject(shape);
}

const attributeSchemas = Object.fromEntries(toxicTypes.map((type) => [type, attributeSchema(toxicAttributeRules[type])])) as Record<
  ToxicType,
  ReturnType<typeof attributeSchema>
>;

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function describeRule(rule: AttributeRule): string {
  return `an integer ≥ ${rule.min} (${rule.unit})`;
}

function fieldAt(input: unknown, key: string): unknown {
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : undefined;
}

function envelopeProblems(input: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    if (issue.code === 'unrecognized_keys') {
      return `${issue.keys.join(', ')}: not a field of a toxic (allowed: ${topFields.join(', ')})`;
    }
    if (field === '') return `a toxic must be an object with ${topFields.join(', ')}`;
    const value = fieldAt(input, field);
    switch (field) {
      case 'type':
        return `type = ${show(value)}: not a Toxiproxy toxic (allowed: ${toxicTypes.join(', ')}; a link is taken down with down(), not a toxic)`;
      case 'stream':
        return `stream = ${show(value)}: must be "upstream" or "downstream"`;
      case 'toxicity':
        return `toxicity = ${show(value)}: must be a number from 0 to 1 (the share of connections affected)`;
      default:
        return `attributes = ${show(value)}: must be an object of numbers`;
    }
  });
}

function attributeProblems(type: ToxicType, attributes: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): string[] {
  const rules = toxicAttributeRules[type];
  const problems = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `attributes.${issue.keys.join(', attributes.')}: not an attribute of ${type} (allowed: ${Object.keys(rules).join(', ')})`;
    }
    const name = String(issue.path[0] ?? '');
    const rule = rules[name];
    const value = attributes[name];
    const range = rule === undefined ? 'a number' : describeRule(rule);
    if (value === undefined) return `attributes.${name} is required for ${type}: ${range}`;
    if (typeof value !== 'number') return `attributes.${name} = ${show(value)}: not a number, must be ${range}`;
    if (!Number.isInteger(value)) return `attributes.${name} = ${show(value)}: not an integer, must be ${range}`;
    return `attributes.${name} = ${show(value)}: out of range, must be ${range}`;
  });
  if (type === 'slicer') {
    const average = attributes['average_size'];
    const variation = attributes['size_variation'];
    if (typeof average === 'number' && typeof variation === 'number' && variation >= average && variation > 0) {
      problems.push(`attributes.size_variation = ${variation}: out of range, must be smaller than average_size (${average})`);
    }
  }
  return [...new Set(problems)];
}

/** Checks a toxic against Toxiproxy's attribute ranges before anything is sent; every problem in one INVALID_TOXIC error. */
export function validateToxic(input: ToxicSpec | unknown): ValidToxic {
  const envelope = envelopeSchema.safeParse(input);
  const problems = envelope.success ? [] : envelopeProblems(input, envelope.error.issues);
  const type = fieldAt(input, 'type');
  const attributes = fieldAt(input, 'attributes');
  const knownType = typeof type === 'string' && (toxicTypes as string[]).includes(type) ? (type as ToxicType) : undefined;
  let parsedAttributes: Record<string, number | undefined> = {};
  if (knownType !== undefined && typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes)) {
    const checked = attributeSchemas[knownType].safeParse(attributes);
    if (checked.success) parsedAttributes = checked.data as Record<string, number | undefined>;
    problems.push(...attributeProblems(knownType, attributes as Record<string, unknown>, checked.success ? [] : checked.error.issues));
  }
  if (problems.length > 0 || !envelope.success || knownType === undefined) {
    throw new ChaosError('INVALID_TOXIC', `invalid ${knownType ?? ''} toxic: ${problems.join('; ')}`.replace('invalid  toxic', 'invalid toxic'), {
      hint: 'fix the toxic (Toxiproxy takes integers: milliseconds for latency, jitter, delay and timeout, KB/s for rate, bytes for sizes, microseconds for the slicer delay)',
      details: problems,
    });
  }
  const filled: Record<string, number> = {};
  for (const [name, rule] of Object.entries(toxicAttributeRules[knownType])) {
    filled[name] = parsedAttributes[name] ?? rule.default ?? 0;
  }
  return {
    type: knownType,
    stream: envelope.data.stream ?? 'downstream',
    toxicity: envelope.data.toxicity ?? 1,
    attributes: filled,
  };
}
