import { z } from 'zod';
import { nodesTargetSchema } from '../scenario/scenario-schema.js';
import type { TimelineAction } from '../scenario/types.js';
import { faultIdSchema, type FaultKind, type Heal, injectOrHeal } from './fault-kind.js';

export type PauseAction = Extract<TimelineAction, { do: 'pause' }>;

/** The chosen nodes frozen (SIGSTOP, docker pause); the heal resumes them. */
export const pauseFault: FaultKind<PauseAction> = {
  name: 'pause',
  schema: z.strictObject({ do: z.literal('pause'), id: faultIdSchema, target: nodesTargetSchema }),
  heals: 'healable',
  async inject(action, context) {
    const names = context.chooseNodes(action.target.nodes);
    const heal: Heal = async () => {
      await Promise.all(names.map((name) => context.node(name)?.resume()));
      return { type: 'fault', id: action.id, action: 'heal', kind: 'pause', targets: names };
    };
    await injectOrHeal(() => Promise.all(names.map((name) => context.node(name)?.pause())), heal);
    return { records: [{ type: 'fault', id: action.id, action: 'inject', kind: 'pause', targets: names }], heal };
  },
};
