import { z } from 'zod';
import type { HistoryRecord } from '../observe/history-types.js';
import { labelSchema, wholeAtLeast } from '../scenario/schema-parts.js';
import { NodeNames, supernodeLinks } from '../topology/plan-topology.js';
import type { FaultKind } from './fault-kind.js';
import { commandError, numberOrText, rejectExtra, splitWords } from './operator-syntax.js';

const ADD_USAGE = 'add <count> [mega|default]';

const addSupernodesSchema = z.strictObject({ do: z.literal('add-supernodes'), label: labelSchema, count: wholeAtLeast(1), tuning: z.enum(['mega', 'default']) });
export type AddSupernodesAction = z.output<typeof addSupernodesSchema>;

declare module '../scenario/types.js' {
  interface StepActions {
    'add-supernodes': AddSupernodesAction;
  }
}

/** The remedy: supernodes (mega-01, mega-02, ... over the run) started with their links; nothing to heal. */
export const addSupernodesRemedy: FaultKind<AddSupernodesAction> = {
  name: 'add-supernodes',
  schema: addSupernodesSchema,
  heals: 'none',
  command: {
    name: 'add',
    usage: ADD_USAGE,
    says: 'add dedicated supernodes to the running network',
    parse({ words: line }) {
      const words = splitWords(line, ADD_USAGE);
      rejectExtra(words, [], 'add', 2, ADD_USAGE);
      const [countText, tuning = 'default'] = words.positional;
      if (countText === undefined) throw commandError('add needs a count', ADD_USAGE);
      return { do: 'add-supernodes', label: `operator: add ${countText} ${tuning}`, count: numberOrText(countText), tuning };
    },
    complete: (position) => (position === 2 ? ['mega', 'default'] : []),
  },
  async inject(action, context) {
    const startedAt = Date.now();
    const planned = Array.from({ length: action.count }, () => context.planAddedSupernode(NodeNames.mega(context.nextNumber('mega')), action.tuning));
    const added = await context.addNodes(
      planned,
      planned.flatMap((node) => supernodeLinks(node.name)),
    );
    const records: HistoryRecord[] = [];
    for (const node of added) {
      context.nodes.watch(node.handle);
      records.push({ type: 'node', node: node.handle.name, role: node.handle.role, change: 'added' });
    }
    records.push({ type: 'remedy', label: action.label, added: added.map((node) => node.handle.name), tookMs: Date.now() - startedAt });
    return { records };
  },
};
