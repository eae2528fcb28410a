import { z } from 'zod';
import { linkTargetSchema } from '../scenario/scenario-schema.js';
import type { TimelineAction } from '../scenario/types.js';
import { faultIdSchema, type FaultKind, type Heal, injectOrHeal } from './fault-kind.js';

export type CutAction = Extract<TimelineAction, { do: 'cut' }>;

/** Every link into the chosen nodes taken down together (a partition); the heal brings them all up. */
export const cutFault: FaultKind<CutAction> = {
  name: 'cut',
  schema: z.strictObject({ do: z.literal('cut'), id: faultIdSchema, target: linkTargetSchema }),
  heals: 'healable',
  async inject(action, context) {
    const links = context.chooseLinks(action.target.links);
    const targets = links.map((link) => link.name);
    const heal: Heal = async () => {
      await Promise.all(links.map((link) => link.up()));
      return { type: 'fault', id: action.id, action: 'heal', kind: 'cut', targets };
    };
    await injectOrHeal(() => Promise.all(links.map((link) => link.down())), heal);
    return { records: [{ type: 'fault', id: action.id, action: 'inject', kind: 'down', targets }], heal };
  },
};
