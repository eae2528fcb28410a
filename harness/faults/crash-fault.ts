import { z } from 'zod';
import { distributionSchema, nodesTargetSchema } from '../scenario/scenario-schema.js';
import type { TimelineAction } from '../scenario/types.js';
import { faultIdSchema, type FaultKind, type Heal, injectOrHeal } from './fault-kind.js';

export type CrashAction = Extract<TimelineAction, { do: 'crash' }>;

/**
 * The chosen nodes killed (SIGKILL). The harness does not undo a crash: users restart their
 * machines (the supervisor), after `restartAfter` when the step gives it. Its heal only closes the
 * fault in the history at rollback.
 */
export const crashFault: FaultKind<CrashAction> = {
  name: 'crash',
  schema: z.strictObject({ do: z.literal('crash'), id: faultIdSchema, target: nodesTargetSchema, restartAfter: distributionSchema.exactOptional() }),
  heals: 'rollback-only',
  async inject(action, context) {
    const names = context.chooseNodes(action.target.nodes);
    const heal: Heal = () => Promise.resolve({ type: 'fault', id: action.id, action: 'heal', kind: 'crash', targets: names });
    for (const name of names) {
      context.nodes.expectKill(name);
      if (action.restartAfter !== undefined) context.overrideRestart(name, action.restartAfter);
    }
    await injectOrHeal(() => Promise.all(names.map((name) => context.node(name)?.kill())), heal);
    return { records: [{ type: 'fault', id: action.id, action: 'inject', kind: 'crash', targets: names }], heal };
  },
};
