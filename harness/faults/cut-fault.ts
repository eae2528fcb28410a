import { z } from 'zod';
import { faultIdSchema, linkTargetSchema } from '../scenario/schema-parts.js';
import { type FaultKind, type Heal, injectOrHeal } from './fault-kind.js';

const cutSchema = z.strictObject({ do: z.literal('cut'), id: faultIdSchema, target: linkTargetSchema });
export type CutAction = z.output<typeof cutSchema>;

declare module '../scenario/types.js' {
  interface StepActions {
    cut: CutAction;
  }
}

/** Every link into the chosen nodes taken down together (a partition); the heal brings them all up. */
export const cutFault: FaultKind<CutAction> = {
  name: 'cut',
  schema: cutSchema,
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
