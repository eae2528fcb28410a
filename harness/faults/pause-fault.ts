import { z } from 'zod';
import { faultIdSchema, nodesTargetSchema } from '../scenario/schema-parts.js';
import { type FaultKind, type Heal, injectOrHeal } from './fault-kind.js';
import { nodeGroupCommand } from './operator-syntax.js';

const pauseSchema = z.strictObject({ do: z.literal('pause'), id: faultIdSchema, target: nodesTargetSchema });
export type PauseAction = z.output<typeof pauseSchema>;

declare module '../scenario/types.js' {
  interface StepActions {
    pause: PauseAction;
  }
}

/** The chosen nodes frozen (SIGSTOP, docker pause); the heal resumes them. */
export const pauseFault: FaultKind<PauseAction> = {
  name: 'pause',
  schema: pauseSchema,
  heals: 'healable',
  command: nodeGroupCommand({ name: 'pause', usage: 'pause <group> [<share>] [as <id>]', says: 'freeze nodes (SIGSTOP, docker pause) until healed' }, ({ id, target }) => ({
    do: 'pause',
    id,
    target,
  })),
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
