import { formatParamPath, parseParamPath } from '../sweep/sweep-param.js';

type Container = Record<string | number, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a path cannot be set, in words. */
export interface FieldPathProblem {
  readonly path: string;
  readonly problem: string;
}

/**
 * A deep copy of `document` with each path set to a copy of its value (numbers, text, objects).
 * Every field above the last must exist; the last may be a new key of an existing object, but only
 * an existing entry of a list. Returns the problems instead when any path cannot be set.
 */
export function setFieldPaths(document: unknown, values: Readonly<Record<string, unknown>>): { readonly value: unknown } | { readonly problems: readonly FieldPathProblem[] } {
  const copy: unknown = structuredClone(document);
  const problems: FieldPathProblem[] = [];
  for (const [path, value] of Object.entries(values)) {
    const problem = setOne(copy, path, value);
    if (problem !== undefined) problems.push({ path, problem });
  }
  return problems.length === 0 ? { value: copy } : { problems };
}

function setOne(root: unknown, path: string, value: unknown): string | undefined {
  const segments = parseParamPath(path);
  if (segments === undefined) return 'is not a field path (dot-separated names, [i] for list entries)';
  let node = root;
  for (const [index, part] of segments.slice(0, -1).entries()) {
    const child = childOf(node, part);
    if (child === undefined) return `has no field ${formatParamPath(segments.slice(0, index + 1))} (${formatParamPath(segments.slice(0, index)) || 'the scenario'} has ${keysOf(node)})`;
    node = child;
  }
  const last = segments.at(-1)!;
  const parent = formatParamPath(segments.slice(0, -1)) || 'the scenario';
  if (Array.isArray(node)) {
    if (typeof last !== 'number' || last >= node.length) return `${parent} is a list with ${keysOf(node)}: only an existing entry can be set`;
  } else if (!isRecord(node) || typeof last !== 'string') {
    return `${parent} is ${isRecord(node) ? 'an object, not a list' : 'not an object'}, so it has no field ${String(last)}`;
  }
  (node as Container)[last] = structuredClone(value);
  return undefined;
}

function childOf(node: unknown, part: string | number): unknown {
  if (Array.isArray(node)) return typeof part === 'number' ? node[part] : undefined;
  if (isRecord(node) && typeof part === 'string' && Object.hasOwn(node, part)) return node[part];
  return undefined;
}

function keysOf(node: unknown): string {
  if (Array.isArray(node)) return node.length === 0 ? 'no entries' : `entries [0] to [${node.length - 1}]`;
  return isRecord(node) ? Object.keys(node).join(', ') || 'no fields' : 'nothing';
}
