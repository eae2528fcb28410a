import { z } from 'zod';
import { labelSchema } from '../scenario/schema-parts.js';
import type { FaultKind } from './fault-kind.js';

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
  inject: (action) => Promise.resolve({ records: [{ type: 'mark', label: action.label }] }),
};
