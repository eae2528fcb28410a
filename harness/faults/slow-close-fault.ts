import { z } from 'zod';
import { faultIdSchema, nodesTargetSchema } from '../scenario/schema-parts.js';
import type { FaultKind } from './fault-kind.js';
import { commandError, nodeGroupCommand, numberOrText } from './operator-syntax.js';
import { addToxics, toxicDetail } from './toxic-fault.js';

const SLOW_CLOSE_USAGE = 'slow-close <group> [<share>] delay=<ms> [as <id>]';

const slowCloseSchema = z.strictObject({
  do: z.literal('slow-close'),
  id: faultIdSchema,
  /** Every link into these nodes, from any group. */
  target: nodesTargetSchema,
  /** Real milliseconds each connection lingers before it closes. */
  delayMs: z.number().int('must be a whole number').positive('must be greater than 0'),
});
export type SlowCloseAction = z.output<typeof slowCloseSchema>;

declare module '../scenario/types.js' {
  interface StepActions {
    'slow-close': SlowCloseAction;
  }
}

/** Toxiproxy's slow_close on a node group's links: closing connections linger; the heal removes the toxics. */
export const slowCloseFault: FaultKind<SlowCloseAction> = {
  name: 'slow-close',
  schema: slowCloseSchema,
  heals: 'healable',
  command: nodeGroupCommand(
    { name: 'slow-close', usage: SLOW_CLOSE_USAGE, says: 'connections into the nodes linger before they close (Toxiproxy slow_close) until healed', named: ['delay'] },
    ({ id, target, named }) => {
      const delay = named.get('delay');
      if (delay === undefined) throw commandError('slow-close needs delay=<ms>', SLOW_CLOSE_USAGE);
      return { do: 'slow-close', id, target, delayMs: numberOrText(delay) };
    },
  ),
  async inject(action, context) {
    const toxic = { type: 'slow_close', attributes: { delay: action.delayMs } } as const;
    const { added, heal } = await addToxics(action.id, context.chooseLinks({ from: 'any', to: action.target.nodes }), toxic);
    const targets = added.map(({ link }) => link.name);
    return { records: [{ type: 'fault', id: action.id, action: 'inject', kind: toxic.type, targets, detail: toxicDetail(toxic) }], heal };
  },
};
