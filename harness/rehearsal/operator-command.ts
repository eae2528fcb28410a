import { ChaosError } from '../errors.js';
import type { LinkGroup, NodeGroup, NodeSelector, TimelineAction } from '../scenario/types.js';

/**
 * The operator's command language, shared by the terminal prompt and the page (the page sends the
 * same text). A command that acts becomes a timeline step's action: the same value a scenario
 * holds, validated and executed by the same code (see operator-console.ts).
 */

export type OperatorCommand =
  | { readonly kind: 'step'; readonly action: TimelineAction }
  | { readonly kind: 'heal-all' }
  | { readonly kind: 'end' }
  | { readonly kind: 'help'; readonly topic?: string }
  | { readonly kind: 'faults' }
  | { readonly kind: 'status' };

export const LINK_SOURCES: readonly (LinkGroup | 'any')[] = ['any', 'clients', 'supernodes', 'harness'];
/** Groups a link leads to (fleets accept no connections). */
export const LINK_GROUPS: readonly NodeGroup[] = ['offline-messages', 'login', 'supernodes'];
export const NODE_GROUPS: readonly NodeGroup[] = ['supernodes', 'offline-messages', 'login', 'fleets'];

export interface CommandHelp {
  readonly name: string;
  readonly usage: string;
  readonly says: string;
}

export const COMMANDS: readonly CommandHelp[] = [
  { name: 'inject', usage: 'inject <toxic> <from>-><group>[@<share>] [<attribute>=<n> ...] [stream=upstream|downstream] [toxicity=<0..1>] [as <id>]', says: 'a Toxiproxy toxic on the links into a group, e.g. inject latency any->offline-messages latency=3000' },
  { name: 'cut', usage: 'cut <from>-><group>[@<share>] [as <id>]', says: 'take the links down (a partition), e.g. cut clients->supernodes@50%' },
  { name: 'up', usage: 'up <id>', says: 'bring the links of a cut back up' },
  { name: 'crash', usage: 'crash <group> [<share>] [restart=<duration>] [as <id>]', says: 'kill nodes (SIGKILL), e.g. crash supernodes 30%' },
  { name: 'pause', usage: 'pause <group> [<share>] [as <id>]', says: 'freeze nodes (SIGSTOP, docker pause) until healed' },
  { name: 'add', usage: 'add <count> [mega|default]', says: 'add dedicated supernodes to the running network' },
  { name: 'heal', usage: 'heal <id> | heal all', says: 'undo one fault, or every fault (the kill switch)' },
  { name: 'mark', usage: 'mark <text>', says: 'a labelled moment in the history' },
  { name: 'faults', usage: 'faults', says: 'the faults in place' },
  { name: 'status', usage: 'status', says: 'the latest figures' },
  { name: 'help', usage: 'help [command]', says: 'this list, or one command' },
  { name: 'end', usage: 'end', says: 'heal everything, tear down, write the reports and leave' },
];

/** `help` and `help <command>`. */
export function helpText(topic?: string): string {
  const chosen = topic === undefined ? COMMANDS : COMMANDS.filter((command) => command.name === topic);
  if (chosen.length === 0) return `no command "${topic}"; commands: ${COMMANDS.map((command) => command.name).join(', ')}`;
  const lines = chosen.map((command) => `  ${command.usage}\n      ${command.says}`);
  const footer =
    topic === undefined
      ? `\n  <from>: ${LINK_SOURCES.join(', ')}; <group>: ${NODE_GROUPS.join(', ')} (links lead to ${LINK_GROUPS.join(', ')});\n  <share>: 30% of the group, or a count such as 2; all when absent; ids are given when "as" is absent`
      : '';
  return `${lines.join('\n')}${footer}`;
}

function usageError(message: string, name?: string): ChaosError {
  const usage = COMMANDS.find((command) => command.name === name)?.usage;
  return new ChaosError('INVALID_CONFIG', message, { hint: usage === undefined ? 'type help for the commands' : `usage: ${usage}` });
}

/** `30%` -> fraction, `3` -> count; anything else is passed on for the step's validation to name. */
export function parseShare(text: string): Pick<NodeSelector, 'fraction' | 'count'> {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent !== null) return { fraction: Number(percent[1]) / 100 };
  if (/^\d+(?:\.\d+)?$/.test(text)) return { count: Number(text) };
  throw usageError(`"${text}" is not a share (write 30% or a count such as 2)`);
}

const numberOrText = (text: string): number | string => (/^-?\d+(?:\.\d+)?(?:e\d+)?$/i.test(text) ? Number(text) : text);

interface Words {
  readonly positional: string[];
  readonly named: Map<string, string>;
  readonly id?: string;
}

/** Splits `a b k=v as id` into positional words, `k=v` pairs and the `as` id. */
function splitWords(words: readonly string[], name: string): Words {
  const positional: string[] = [];
  const named = new Map<string, string>();
  let id: string | undefined;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    if (word === 'as') {
      const next = words[i + 1];
      if (next === undefined) throw usageError('"as" needs an id after it', name);
      id = next;
      i += 1;
      continue;
    }
    const eq = word.indexOf('=');
    if (eq > 0) {
      const key = word.slice(0, eq);
      if (named.has(key)) throw usageError(`${key} is given twice`, name);
      named.set(key, word.slice(eq + 1));
    } else {
      positional.push(word);
    }
  }
  return id === undefined ? { positional, named } : { positional, named, id };
}

/** `any->offline-messages@30%` */
function parseLinkTarget(text: string | undefined, name: string): { from: string; to: Record<string, unknown> } {
  if (text === undefined) throw usageError(`${name} needs the links: <from>-><group>, e.g. any->offline-messages`, name);
  const match = /^([^-]*)->([^@]+)(?:@(.+))?$/.exec(text);
  if (match === null) throw usageError(`"${text}" is not a link group (write <from>-><group>, e.g. any->offline-messages)`, name);
  const [, from = '', group = '', share] = match;
  return { from, to: { group, ...(share === undefined ? {} : parseShare(share)) } };
}

function rejectExtra(words: Words, allowed: readonly string[], name: string, positionalCount: number): void {
  const extra = [...words.named.keys()].filter((key) => !allowed.includes(key));
  if (extra.length > 0) throw usageError(`${name} takes no ${extra.join(', ')}`, name);
  if (words.positional.length > positionalCount) throw usageError(`unexpected "${words.positional.slice(positionalCount).join(' ')}"`, name);
}

/**
 * Reads one command line. `nextId(kind)` names a fault the operator did not name (`inject-1`).
 * Throws INVALID_CONFIG naming the problem and the usage when the line is not a command; what the
 * step holds (toxic attributes, shares, groups) is left to the step's own validation.
 */
export function parseOperatorCommand(line: string, nextId: (kind: string) => string): OperatorCommand {
  const trimmed = line.trim();
  if (trimmed === '') throw usageError('empty command');
  const [head = '', ...rest] = trimmed.split(/\s+/);
  const name = head.toLowerCase();
  switch (name) {
    case 'help':
    case '?':
      return rest[0] === undefined ? { kind: 'help' } : { kind: 'help', topic: rest[0] };
    case 'end':
    case 'quit':
    case 'exit':
      return { kind: 'end' };
    case 'faults':
      return { kind: 'faults' };
    case 'status':
      return { kind: 'status' };
    case 'mark': {
      const label = trimmed.slice(head.length).trim();
      if (label === '') throw usageError('mark needs a text', 'mark');
      return { kind: 'step', action: { do: 'mark', label } };
    }
    case 'heal':
    case 'up': {
      const id = rest[0];
      if (id === undefined || rest.length > 1) throw usageError(`${name} needs one fault id`, name);
      if (name === 'heal' && id === 'all') return { kind: 'heal-all' };
      return { kind: 'step', action: { do: 'heal', id } };
    }
    case 'inject': {
      const words = splitWords(rest, name);
      const [type, links] = words.positional;
      if (type === undefined) throw usageError('inject needs a toxic type', name);
      const target = parseLinkTarget(links, name);
      const attributes: Record<string, number | string> = {};
      let stream: string | undefined;
      let toxicity: number | string | undefined;
      for (const [key, value] of words.named) {
        if (key === 'stream') stream = value;
        else if (key === 'toxicity') toxicity = numberOrText(value);
        else attributes[key] = numberOrText(value);
      }
      rejectExtra(words, [...words.named.keys()], name, 2);
      const toxic = { type, ...(stream === undefined ? {} : { stream }), ...(toxicity === undefined ? {} : { toxicity }), attributes };
      return { kind: 'step', action: { do: 'inject', id: words.id ?? nextId('inject'), target: { links: target }, toxic } as unknown as TimelineAction };
    }
    case 'cut': {
      const words = splitWords(rest, name);
      rejectExtra(words, [], name, 1);
      const target = parseLinkTarget(words.positional[0], name);
      return { kind: 'step', action: { do: 'cut', id: words.id ?? nextId('cut'), target: { links: target } } as unknown as TimelineAction };
    }
    case 'crash':
    case 'pause': {
      const words = splitWords(rest, name);
      rejectExtra(words, name === 'crash' ? ['restart'] : [], name, 2);
      const [group, share] = words.positional;
      if (group === undefined) throw usageError(`${name} needs a group (${NODE_GROUPS.join(', ')})`, name);
      const nodes = { group, ...(share === undefined ? {} : parseShare(share)) };
      const restart = words.named.get('restart');
      const action = {
        do: name,
        id: words.id ?? nextId(name),
        target: { nodes },
        ...(restart === undefined ? {} : { restartAfter: { kind: 'fixed', value: restart } }),
      };
      return { kind: 'step', action: action as unknown as TimelineAction };
    }
    case 'add': {
      const words = splitWords(rest, name);
      rejectExtra(words, [], name, 2);
      const [countText, tuning = 'default'] = words.positional;
      if (countText === undefined) throw usageError('add needs a count', name);
      const count = numberOrText(countText);
      return { kind: 'step', action: { do: 'add-supernodes', label: `operator: add ${countText} ${tuning}`, count, tuning } as unknown as TimelineAction };
    }
    default:
      throw usageError(`unknown command "${head}"`);
  }
}

/** Completions for a partial line: command names first, then groups and toxic types where they go. */
export function completeCommand(line: string, context: { readonly toxicTypes: readonly string[]; readonly faultIds: readonly string[] }): [string[], string] {
  const words = line.split(/\s+/);
  const current = words.at(-1) ?? '';
  const pick = (options: readonly string[]): [string[], string] => [options.filter((option) => option.startsWith(current)), current];
  if (words.length <= 1) return pick(COMMANDS.map((command) => command.name));
  const command = words[0];
  const position = words.length - 1;
  const linkOptions = LINK_SOURCES.flatMap((from) => LINK_GROUPS.map((group) => `${from}->${group}`));
  switch (command) {
    case 'inject':
      return position === 1 ? pick(context.toxicTypes) : position === 2 ? pick(linkOptions) : [[], current];
    case 'cut':
      return position === 1 ? pick(linkOptions) : [[], current];
    case 'crash':
    case 'pause':
      return position === 1 ? pick(NODE_GROUPS) : [[], current];
    case 'heal':
      return position === 1 ? pick(['all', ...context.faultIds]) : [[], current];
    case 'up':
      return position === 1 ? pick(context.faultIds) : [[], current];
    case 'add':
      return position === 2 ? pick(['mega', 'default']) : [[], current];
    case 'help':
      return position === 1 ? pick(COMMANDS.map((c) => c.name)) : [[], current];
    default:
      return [[], current];
  }
}
