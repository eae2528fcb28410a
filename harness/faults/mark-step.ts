import { z } from 'zod';
import { labelSchema } from '../scenario/schema-parts.js';
import type { FaultKind } from './fault-kind.js';
import { commandError } from './operator-syntax.js';

const markSchema = z.strictObject({ do: z.literal('mark'), label: labelSchema });
export type MarkAction = z.output<typeof markSchema>;

declare module '../scenario/types.js' {
  interface StepActions {
    mark: MarkAction;
  }
}

/** A labelled moment in the history (T0, "remedy starts"); no fault, nothing to heal. */
export const markStep: FaultKind<MarkAction> = {
  name: 'mark',
  schema: markSchema,
  heals: 'none',
  command: {
    name: 'mark',
    usage: 'mark <text>',
    says: 'a labelled moment in the history',
    parse({ text }) {
      if (text === '') throw commandError('mark needs a text', 'mark <text>');
      return { do: 'mark', label: text };
    },
  },
  inject: (action) => Promise.resolve({ records: [{ type: 'mark', label: action.label }] }),
};
