import { z } from 'zod';
import { nodesTargetSchema } from '../scenario/scenario-schema.js';
import type { NodeTarget } from '../scenario/types.js';
import { faultIdSchema, type FaultKind } from './fault-kind.js';
import { addToxics, toxicDetail } from './toxic-fault.js';

export interface SlowCloseAction {
  readonly do: 'slow-close';
  readonly id: string;
  /** Every link into these nodes, from any group. */
  readonly target: NodeTarget;
  /** Real milliseconds each connection lingers before it closes. */
  readonly delayMs: number;
}

/** Toxiproxy's slow_close on a node group's links: closing connections linger; the heal removes the toxics. */
export const slowCloseFault: FaultKind<SlowCloseAction> = {
  name: 'slow-close',
  schema: z.strictObject({
    do: z.literal('slow-close'),
    id: faultIdSchema,
    target: nodesTargetSchema,
    delayMs: z.number().int('must be a whole number').positive('must be greater than 0'),
  }),
  heals: 'healable',
  async inject(action, context) {
    const toxic = { type: 'slow_close', attributes: { delay: action.delayMs } } as const;
    const { added, heal } = await addToxics(action.id, context.chooseLinks({ from: 'any', to: action.target.nodes }), toxic);
    const targets = added.map(({ link }) => link.name);
    return { records: [{ type: 'fault', id: action.id, action: 'inject', kind: toxic.type, targets, detail: toxicDetail(toxic) }], heal };
  },
};
