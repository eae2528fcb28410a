import { z } from 'zod';
import type { TimelineAction } from '../scenario/types.js';
import { type FaultKind, labelSchema } from './fault-kind.js';

export type MarkAction = Extract<TimelineAction, { do: 'mark' }>;

/** A labelled moment in the history (T0, "remedy starts"); no fault, nothing to heal. */
export const markStep: FaultKind<MarkAction> = {
  name: 'mark',
  schema: z.strictObject({ do: z.literal('mark'), label: labelSchema }),
  heals: 'none',
  inject: (action) => Promise.resolve({ records: [{ type: 'mark', label: action.label }] }),
};
