import { commandError, LINK_GROUPS, LINK_SOURCES, NODE_GROUPS, type CommandHelp, type CompletionContext, type OperatorCommandSpec } from '../faults/operator-syntax.js';
import { faultKinds } from '../faults/registry.js';
import type { TimelineAction } from '../scenario/types.js';

/**
 * The operator's command language, shared by the terminal prompt and the page (the page sends the
 * same text). A command that acts becomes a timeline step's action: the same value a scenario
 * holds, validated and executed by the same code (see operator-console.ts). Each fault kind brings
 * its own command from the registry; this file adds the session's commands around them.
 */

export type OperatorCommand =
  | { readonly kind: 'step'; readonly action: TimelineAction }
  | { readonly kind: 'heal-all' }
  | { readonly kind: 'end' }
  | { readonly kind: 'help'; readonly topic?: string }
  | { readonly kind: 'faults' }
  | { readonly kind: 'status' };

/** The groups commands speak of, for the page. */
export { LINK_GROUPS, LINK_SOURCES, NODE_GROUPS };

const SESSION_COMMANDS: readonly CommandHelp[] = [
  { name: 'up', usage: 'up <id>', says: 'bring the links of a cut back up' },
  { name: 'heal', usage: 'heal <id> | heal all', says: 'undo one fault, or every fault (the kill switch)' },
  { name: 'faults', usage: 'faults', says: 'the faults in place' },
  { name: 'status', usage: 'status', says: 'the latest figures' },
  { name: 'help', usage: 'help [command]', says: 'this list, or one command' },
  { name: 'end', usage: 'end', says: 'heal everything, tear down, write the reports and leave' },
];

const kindCommands: readonly OperatorCommandSpec[] = faultKinds.map((kind) => kind.command);

export const COMMANDS: readonly CommandHelp[] = [...kindCommands, ...SESSION_COMMANDS];

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

function usageOf(name: string): string | undefined {
  return COMMANDS.find((command) => command.name === name)?.usage;
}

/**
 * Reads one command line. `nextId(kind)` names a fault the operator did not name (`inject-1`).
 * Throws INVALID_CONFIG naming the problem and the usage when the line is not a command; what the
 * step holds (toxic attributes, shares, groups) is left to the step's own validation.
 */
export function parseOperatorCommand(line: string, nextId: (kind: string) => string): OperatorCommand {
  const trimmed = line.trim();
  if (trimmed === '') throw commandError('empty command');
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
    case 'heal':
    case 'up': {
      const id = rest[0];
      if (id === undefined || rest.length > 1) throw commandError(`${name} needs one fault id`, usageOf(name));
      if (name === 'heal' && id === 'all') return { kind: 'heal-all' };
      return { kind: 'step', action: { do: 'heal', id } };
    }
    default: {
      const command = kindCommands.find((candidate) => candidate.name === name);
      if (command === undefined) throw commandError(`unknown command "${head}"`);
      // The step's schema checks what the action holds when the console runs it.
      return { kind: 'step', action: command.parse({ words: rest, text: trimmed.slice(head.length).trim(), nextId }) as TimelineAction };
    }
  }
}

/** Completions for a partial line: command names first, then groups and toxic types where they go. */
export function completeCommand(line: string, context: CompletionContext): [string[], string] {
  const words = line.split(/\s+/);
  const current = words.at(-1) ?? '';
  const pick = (options: readonly string[]): [string[], string] => [options.filter((option) => option.startsWith(current)), current];
  if (words.length <= 1) return pick(COMMANDS.map((command) => command.name));
  const name = words[0];
  const position = words.length - 1;
  switch (name) {
    case 'heal':
      return position === 1 ? pick(['all', ...context.faultIds]) : [[], current];
    case 'up':
      return position === 1 ? pick(context.faultIds) : [[], current];
    case 'help':
      return position === 1 ? pick(COMMANDS.map((c) => c.name)) : [[], current];
    default: {
      const choices = kindCommands.find((command) => command.name === name)?.complete?.(position, context) ?? [];
      return choices.length === 0 ? [[], current] : pick(choices);
    }
  }
}
