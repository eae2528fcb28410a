import { ChaosError } from '../errors.js';
import type { Architecture, ScenarioDefinition } from '../scenario/types.js';

/** A numeric scenario field found by its path, with the value the scenario ships. */
export interface SweepParam {
  /** The path as written in reports: `architectures.dedicated.topology.clientsPerFleet`, `timeline[2].action.count`. */
  readonly path: string;
  readonly segments: readonly (string | number)[];
  readonly shipped: number;
}

type Node = unknown;

const isRecord = (value: Node): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `timeline[2].action.count` or `timeline.2.action.count` as segments; undefined when the text is not a path. */
export function parseParamPath(text: string): (string | number)[] | undefined {
  const normalized = text.trim().replace(/\[(\d+)\]/g, '.$1');
  if (normalized === '' || /^\.|\.\.|\.$/.test(normalized)) return undefined;
  const parts = normalized.split('.');
  if (parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return undefined;
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** `timeline[2].action.count` from segments. */
export function formatParamPath(segments: readonly (string | number)[]): string {
  return segments.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`), '');
}

/** Every numeric leaf of the scenario, by path; its negative controls are not part of the system swept. */
export function numericPaths(scenario: ScenarioDefinition): string[] {
  const paths: string[] = [];
  const walk = (node: Node, segments: (string | number)[]): void => {
    if (segments.length === 1 && segments[0] === 'controls') return;
    if (typeof node === 'number') paths.push(formatParamPath(segments));
    else if (Array.isArray(node)) node.forEach((child, index) => walk(child, [...segments, index]));
    else if (isRecord(node)) for (const [key, child] of Object.entries(node)) walk(child, [...segments, key]);
  };
  walk(scenario, []);
  return paths;
}

function childOf(node: Node, part: string | number): Node {
  if (Array.isArray(node)) return typeof part === 'number' ? node[part] : undefined;
  if (isRecord(node) && typeof part === 'string' && Object.hasOwn(node, part)) return node[part];
  return undefined;
}

function keysOf(node: Node): string {
  if (Array.isArray(node)) return node.length === 0 ? 'no entries' : `entries [0] to [${node.length - 1}]`;
  return isRecord(node) ? Object.keys(node).join(', ') : 'nothing';
}

const paramHint = (scenario: ScenarioDefinition, architecture: Architecture, flag: string): string =>
  `give ${flag} the path of a numeric field of ${scenario.name}, e.g. architectures.${architecture}.topology.clientsPerFleet or load.crashProbability (its numeric fields are listed below)`;

/** Numeric paths that end like the one asked for, or all of them when none does (architecture fields of `architecture` only). */
function suggestions(scenario: ScenarioDefinition, architecture: Architecture, segments: readonly (string | number)[]): string[] {
  const runsOn = (path: string): boolean => {
    const step = /^timeline\[(\d+)\]/.exec(path);
    const only = step === null ? undefined : scenario.timeline[Number(step[1])]?.only;
    return only === undefined || only.includes(architecture);
  };
  const relevant = numericPaths(scenario).filter((path) => (!path.startsWith('architectures.') || path.startsWith(`architectures.${architecture}.`)) && runsOn(path));
  const leaf = String(segments.at(-1));
  const alike = relevant.filter((path) => path.endsWith(`.${leaf}`) || path.endsWith(`]${leaf}`));
  return alike.length > 0 ? alike : relevant;
}

/**
 * Resolves `--param` (or a `--scale-with`, named by `flag` in what it refuses) in the scenario: it must
 * name a number the scenario has, and, under `architectures.`, the architecture being swept (a field
 * of another changes nothing it runs).
 */
export function resolveSweepParam(scenario: ScenarioDefinition, text: string, architecture: Architecture, flag = '--param'): SweepParam {
  // What the field is for: swept (--param), or scaled with it (--scale-with).
  const [verb, done] = flag === '--param' ? ['sweep', 'swept'] : ['scale', 'scaled'];
  const segments = parseParamPath(text);
  if (segments === undefined) {
    throw new ChaosError('INVALID_CONFIG', `${flag} ${JSON.stringify(text)} is not a field path`, {
      hint: 'write it as dot-separated names with [i] for list entries, e.g. architectures.dedicated.topology.supernode.capacity.requestsPerSecond or timeline[5].action.count',
    });
  }
  const path = formatParamPath(segments);
  if (segments[0] === 'architectures' && segments[1] !== undefined && segments[1] !== architecture) {
    throw new ChaosError('INVALID_CONFIG', `${flag} ${path} belongs to architecture ${String(segments[1])}, but the sweep runs --arch ${architecture}`, {
      hint: `${verb} a field under architectures.${architecture}, or run the sweep with --arch ${String(segments[1])}`,
    });
  }
  const step = segments[0] === 'timeline' && typeof segments[1] === 'number' ? scenario.timeline[segments[1]] : undefined;
  if (step?.only !== undefined && !step.only.includes(architecture)) {
    throw new ChaosError('INVALID_CONFIG', `${flag} ${path}: timeline[${String(segments[1])}] runs only on ${step.only.join(', ')}, so it changes nothing the sweep of ${architecture} runs`, {
      hint: `${verb} a step that runs on ${architecture}, or run the sweep with --arch ${step.only.join(' or ')}`,
    });
  }
  let node: Node = scenario;
  for (const [index, part] of segments.entries()) {
    const child = childOf(node, part);
    if (child === undefined) {
      const parent = formatParamPath(segments.slice(0, index)) || 'the scenario';
      throw new ChaosError('INVALID_CONFIG', `${flag} ${path}: ${scenario.name} has no field ${formatParamPath(segments.slice(0, index + 1))} (${parent} has ${keysOf(node)})`, {
        hint: paramHint(scenario, architecture, flag),
        details: suggestions(scenario, architecture, segments),
      });
    }
    node = child;
  }
  if (typeof node !== 'number') {
    const what = typeof node === 'string' ? `the text ${JSON.stringify(node)}` : Array.isArray(node) ? 'a list' : isRecord(node) ? 'an object' : `a ${typeof node}`;
    const inside = isRecord(node) || Array.isArray(node) ? numericPaths(scenario).filter((candidate) => candidate.startsWith(path)) : [];
    throw new ChaosError('INVALID_CONFIG', `${flag} ${path} is ${what}, not a number, so it cannot be ${done}`, {
      hint: inside.length > 0 ? `${verb} one of the numeric fields inside it (listed below)` : `${paramHint(scenario, architecture, flag)}; durations are text and cannot be ${done}`,
      details: inside.length > 0 ? inside : suggestions(scenario, architecture, segments),
    });
  }
  return { path, segments, shipped: node };
}

/** A deep copy of the scenario with the field at `segments` set to `value` (the input is left as it was). */
export function withParamValue(scenario: ScenarioDefinition, segments: readonly (string | number)[], value: number): unknown {
  return withParamValues(scenario, [{ segments, value }]);
}

/** A deep copy of the scenario with each field set to its value, in order (the input is left as it was). */
export function withParamValues(scenario: ScenarioDefinition, fields: readonly { readonly segments: readonly (string | number)[]; readonly value: number }[]): unknown {
  const copy: unknown = structuredClone(scenario);
  for (const { segments, value } of fields) {
    let node: Node = copy;
    for (const part of segments.slice(0, -1)) node = childOf(node, part);
    const last = segments.at(-1);
    if (last === undefined || !(isRecord(node) || Array.isArray(node))) throw new RangeError(`no field at ${formatParamPath(segments)}`);
    (node as Record<string | number, unknown>)[last] = value;
  }
  return copy;
}
