import type { ToxicType } from '../scenario/types.js';

/**
 * The one catalogue of toxics: every kind Toxiproxy 2.12 knows (but `down`, which is a proxy
 * disabled, not a toxic), its attributes and the range each accepts. A scenario is checked
 * against it when it is loaded; the network layer only fills in the defaults.
 *
 * Toxiproxy decodes every attribute into a Go integer (a fraction is refused with a 400), so all
 * are integers. The upper bounds are ours, where Toxiproxy has none: an hour is longer than any
 * fault a compressed replay plays, and beyond it a value is a typo, not a scenario.
 */

export interface ToxicAttributeRule {
  /** Absent: the attribute is required. */
  readonly default?: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

const HOUR_MS = 3_600_000;
const ms = (min: number, extra?: Partial<ToxicAttributeRule>): ToxicAttributeRule => ({ min, max: HOUR_MS, unit: 'milliseconds', ...extra });

export const toxicCatalogue: Readonly<Record<ToxicType, Readonly<Record<string, ToxicAttributeRule>>>> = {
  latency: { latency: ms(0), jitter: ms(0, { default: 0 }) },
  // Rate 0 would mean "no limit" to Toxiproxy, silently; 10 GB/s is beyond any loopback link.
  bandwidth: { rate: { min: 1, max: 10_000_000, unit: 'KB/s' } },
  slow_close: { delay: ms(0) },
  // 0 holds the data until the toxic is removed.
  timeout: { timeout: ms(0) },
  reset_peer: { timeout: ms(0, { default: 0 }) },
  // average_size 0 overflows Toxiproxy's stack; a size_variation not below average_size slices out of
  // range (Toxiproxy's own comment: "must be less than the average size"). Toxiproxy reads 32 KiB at a
  // time, so slices above 1 MiB change nothing.
  slicer: {
    average_size: { min: 1, max: 1_048_576, unit: 'bytes' },
    size_variation: { default: 0, min: 0, max: 1_048_575, unit: 'bytes, below average_size' },
    delay: { default: 0, min: 0, max: HOUR_MS * 1_000, unit: 'microseconds' },
  },
  limit_data: { bytes: { min: 0, max: 2 ** 40, unit: 'bytes' } },
};

export const toxicTypes = Object.keys(toxicCatalogue) as ToxicType[];
export const toxicStreams = ['upstream', 'downstream'] as const;
const toxicFields = ['type', 'stream', 'toxicity', 'attributes'];

/** One thing wrong with a toxic: the path inside the toxic, what is wrong (naming the value), and the fix. */
export interface ToxicProblem {
  readonly path: readonly (string | number)[];
  readonly problem: string;
  readonly hint: string;
}

/** `an integer from 0 to 3600000 (milliseconds)` */
export function describeRange(rule: Pick<ToxicAttributeRule, 'min' | 'max' | 'unit'>): string {
  return `an integer from ${rule.min} to ${rule.max} (${rule.unit})`;
}

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with one attribute value against its rule; undefined when it is fine. */
function valueProblem(value: unknown, rule: ToxicAttributeRule): string | undefined {
  if (typeof value !== 'number') return `${show(value)} is not a number`;
  if (!Number.isFinite(value)) return `${show(value)} is not a finite number`;
  if (!Number.isInteger(value)) return `${show(value)} is not an integer`;
  if (value < rule.min || value > rule.max) return `${show(value)} is out of range`;
  return undefined;
}

function attributeProblems(type: ToxicType, attributes: Record<string, unknown>): ToxicProblem[] {
  const rules = toxicCatalogue[type];
  const names = Object.keys(rules);
  const problems: ToxicProblem[] = [];
  for (const name of Object.keys(attributes)) {
    if (!Object.hasOwn(rules, name)) problems.push({ path: ['attributes', name], problem: `is not an attribute of a ${type} toxic`, hint: `use ${names.join(', ')}` });
  }
  for (const [name, rule] of Object.entries(rules)) {
    const value = attributes[name];
    if (value === undefined) {
      if (rule.default === undefined) problems.push({ path: ['attributes', name], problem: `is required for a ${type} toxic`, hint: `add ${name}: ${describeRange(rule)}` });
      continue;
    }
    const problem = valueProblem(value, rule);
    if (problem !== undefined) problems.push({ path: ['attributes', name], problem, hint: `use ${describeRange(rule)}` });
  }
  if (type === 'slicer') {
    const average = attributes['average_size'];
    const variation = attributes['size_variation'];
    const { average_size: averageRule, size_variation: variationRule } = toxicCatalogue.slicer;
    const valid = (value: unknown, rule: ToxicAttributeRule | undefined): value is number => rule !== undefined && valueProblem(value, rule) === undefined;
    if (valid(average, averageRule) && valid(variation, variationRule) && variation >= average) {
      problems.push({
        path: ['attributes', 'size_variation'],
        problem: `${variation} is out of range`,
        hint: `use an integer from 0 to ${average - 1}, below average_size (${average})`,
      });
    }
  }
  return problems;
}

/** Every problem of a toxic, checked against the catalogue; empty when Toxiproxy will take it. */
export function toxicProblems(input: unknown): ToxicProblem[] {
  if (!isRecord(input)) {
    return [{ path: [], problem: `${show(input)} is not a toxic`, hint: `write an object with ${toxicFields.join(', ')}, e.g. { "type": "latency", "attributes": { "latency": 3000 } }` }];
  }
  const problems: ToxicProblem[] = [];
  for (const key of Object.keys(input)) {
    if (!toxicFields.includes(key)) problems.push({ path: [key], problem: 'is not a field of a toxic', hint: `use ${toxicFields.join(', ')}` });
  }
  const { type, stream, toxicity, attributes } = input;
  const knownType = typeof type === 'string' && (toxicTypes as string[]).includes(type) ? (type as ToxicType) : undefined;
  if (type === undefined) {
    problems.push({ path: ['type'], problem: 'is missing', hint: `add one of ${toxicTypes.join(', ')}` });
  } else if (knownType === undefined) {
    problems.push({ path: ['type'], problem: `${show(type)} is not a Toxiproxy toxic`, hint: `use one of ${toxicTypes.join(', ')}; a link is taken down with cut, not a toxic` });
  }
  if (stream !== undefined && !(toxicStreams as readonly unknown[]).includes(stream)) {
    problems.push({ path: ['stream'], problem: `${show(stream)} is not a stream`, hint: 'use "upstream" or "downstream"' });
  }
  if (toxicity !== undefined && (typeof toxicity !== 'number' || !(toxicity >= 0 && toxicity <= 1))) {
    problems.push({ path: ['toxicity'], problem: `${show(toxicity)} is out of range`, hint: 'use a number from 0 to 1, the share of connections affected' });
  }
  if (!isRecord(attributes)) {
    problems.push({
      path: ['attributes'],
      problem: attributes === undefined ? 'is missing' : `${show(attributes)} is not an object of attributes`,
      hint: knownType === undefined ? 'write an object of numbers' : `write an object with ${Object.keys(toxicCatalogue[knownType]).join(', ')}`,
    });
  } else if (knownType !== undefined) {
    problems.push(...attributeProblems(knownType, attributes));
  }
  return problems;
}

/** A toxic as sent to Toxiproxy: every default filled in. */
export interface FilledToxic {
  readonly type: ToxicType;
  readonly stream: 'upstream' | 'downstream';
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/** Fills in the defaults of a toxic that passed `toxicProblems`: downstream, toxicity 1, each attribute's default. */
export function fillToxicDefaults(toxic: { readonly type: ToxicType; readonly stream?: 'upstream' | 'downstream'; readonly toxicity?: number; readonly attributes: Readonly<Record<string, number>> }): FilledToxic {
  const attributes: Record<string, number> = {};
  for (const [name, rule] of Object.entries(toxicCatalogue[toxic.type])) attributes[name] = toxic.attributes[name] ?? rule.default ?? 0;
  return { type: toxic.type, stream: toxic.stream ?? 'downstream', toxicity: toxic.toxicity ?? 1, attributes };
}
