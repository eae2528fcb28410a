import { ChaosError } from '../errors.js';
import type { LinkGroup, NodeGroup, NodeSelector } from '../scenario/types.js';

/**
 * How an operator's command line reads as a step (chaos rehearse): the words every kind's command
 * shares. Each kind states its own command beside its schema; what the step holds (toxic attributes,
 * shares, groups) is left to that schema, so a command and a scenario step get the same messages.
 */

export const LINK_SOURCES: readonly (LinkGroup | 'any')[] = ['any', 'clients', 'supernodes', 'harness'];
/** Groups a link leads to (fleets accept no connections). */
export const LINK_GROUPS: readonly NodeGroup[] = ['offline-messages', 'login', 'supernodes'];
export const NODE_GROUPS: readonly NodeGroup[] = ['supernodes', 'offline-messages', 'login', 'fleets'];
/** `any->offline-messages`, ...: what a link-group word may be. */
export const LINK_CHOICES: readonly string[] = LINK_SOURCES.flatMap((from) => LINK_GROUPS.map((group) => `${from}->${group}`));

export interface CommandHelp {
  readonly name: string;
  readonly usage: string;
  readonly says: string;
}

/** The line after the command's name. */
export interface CommandInput {
  readonly words: readonly string[];
  /** The rest of the line as typed (for free text). */
  readonly text: string;
  /** Names a fault the operator did not name (`inject-1`). */
  readonly nextId: (kind: string) => string;
}

export interface CompletionContext {
  readonly toxicTypes: readonly string[];
  readonly faultIds: readonly string[];
}

/** A kind's operator command: its help, how its words become the step's action, and what may follow at each word. */
export interface OperatorCommandSpec extends CommandHelp {
  /** The step's action (the step's schema checks what it holds); INVALID_CONFIG with the usage when the words do not make one. */
  parse(input: CommandInput): unknown;
  /** Choices for word `position` after the name (1 = the first). */
  complete?(position: number, context: CompletionContext): readonly string[];
}

export function commandError(message: string, usage?: string): ChaosError {
  return new ChaosError('INVALID_CONFIG', message, { hint: usage === undefined ? 'type help for the commands' : `usage: ${usage}` });
}

/** `30%` -> fraction, `3` -> count; anything else is passed on for the step's validation to name. */
export function parseShare(text: string): Pick<NodeSelector, 'fraction' | 'count'> {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent !== null) return { fraction: Number(percent[1]) / 100 };
  if (/^\d+(?:\.\d+)?$/.test(text)) return { count: Number(text) };
  throw commandError(`"${text}" is not a share (write 30% or a count such as 2)`);
}

export const numberOrText = (text: string): number | string => (/^-?\d+(?:\.\d+)?(?:e\d+)?$/i.test(text) ? Number(text) : text);

export interface CommandWords {
  readonly positional: string[];
  readonly named: Map<string, string>;
  readonly id?: string;
}

/** Splits `a b k=v as id` into positional words, `k=v` pairs and the `as` id. */
export function splitWords(words: readonly string[], usage: string): CommandWords {
  const positional: string[] = [];
  const named = new Map<string, string>();
  let id: string | undefined;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    if (word === 'as') {
      const next = words[i + 1];
      if (next === undefined) throw commandError('"as" needs an id after it', usage);
      id = next;
      i += 1;
      continue;
    }
    const eq = word.indexOf('=');
    if (eq > 0) {
      const key = word.slice(0, eq);
      if (named.has(key)) throw commandError(`${key} is given twice`, usage);
      named.set(key, word.slice(eq + 1));
    } else {
      positional.push(word);
    }
  }
  return id === undefined ? { positional, named } : { positional, named, id };
}

/** `any->offline-messages@30%` */
export function parseLinkTarget(text: string | undefined, name: string, usage: string): { from: string; to: Record<string, unknown> } {
  if (text === undefined) throw commandError(`${name} needs the links: <from>-><group>, e.g. any->offline-messages`, usage);
  const match = /^([^-]*)->([^@]+)(?:@(.+))?$/.exec(text);
  if (match === null) throw commandError(`"${text}" is not a link group (write <from>-><group>, e.g. any->offline-messages)`, usage);
  const [, from = '', group = '', share] = match;
  return { from, to: { group, ...(share === undefined ? {} : parseShare(share)) } };
}

/** `<group> [<share>]` */
function parseNodeTarget(words: CommandWords, name: string, usage: string): { nodes: Record<string, unknown> } {
  const [group, share] = words.positional;
  if (group === undefined) throw commandError(`${name} needs a group (${NODE_GROUPS.join(', ')})`, usage);
  return { nodes: { group, ...(share === undefined ? {} : parseShare(share)) } };
}

/** Refuses `k=v` words outside `allowed` and positional words beyond `positionalCount`. */
export function rejectExtra(words: CommandWords, allowed: readonly string[], name: string, positionalCount: number, usage: string): void {
  const extra = [...words.named.keys()].filter((key) => !allowed.includes(key));
  if (extra.length > 0) throw commandError(`${name} takes no ${extra.join(', ')}`, usage);
  if (words.positional.length > positionalCount) throw commandError(`unexpected "${words.positional.slice(positionalCount).join(' ')}"`, usage);
}

/** The words of a step on some nodes of a group. */
export interface NodeStepWords {
  readonly id: string;
  readonly target: { nodes: Record<string, unknown> };
  /** The `k=v` words the command allows. */
  readonly named: ReadonlyMap<string, string>;
}

/** The command of a step on some nodes of a group: `<name> <group> [<share>] [k=v ...] [as <id>]`, `named` listing the `k` it takes. */
export function nodeGroupCommand(help: CommandHelp & { readonly named?: readonly string[] }, action: (words: NodeStepWords) => unknown): OperatorCommandSpec {
  const { name, usage, says } = help;
  return {
    name,
    usage,
    says,
    parse(input) {
      const words = splitWords(input.words, usage);
      rejectExtra(words, help.named ?? [], name, 2, usage);
      const target = parseNodeTarget(words, name, usage);
      return action({ id: words.id ?? input.nextId(name), target, named: words.named });
    },
    complete: (position) => (position === 1 ? NODE_GROUPS : []),
  };
}
