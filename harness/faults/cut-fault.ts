import { z } from 'zod';
import type { LinkRelease } from '../network/link-holds.js';
import { faultIdSchema, linkTargetSchema } from '../scenario/schema-parts.js';
import { type FaultKind, type Heal, injectOrHeal } from './fault-kind.js';
import { LINK_CHOICES, parseLinkTarget, rejectExtra, splitWords } from './operator-syntax.js';

const CUT_USAGE = 'cut <from>-><group>[@<share>] [as <id>]';

const cutSchema = z.strictObject({ do: z.literal('cut'), id: faultIdSchema, target: linkTargetSchema });
export type CutAction = z.output<typeof cutSchema>;

declare module '../scenario/types.js' {
  interface StepActions {
    cut: CutAction;
  }
}

/** Every link into the chosen nodes taken down together (a partition); the heal brings up those no other fault holds down. */
export const cutFault: FaultKind<CutAction> = {
  name: 'cut',
  schema: cutSchema,
  heals: 'healable',
  command: {
    name: 'cut',
    usage: CUT_USAGE,
    says: 'take the links down (a partition), e.g. cut clients->supernodes@50%',
    parse({ words: line, nextId }) {
      const words = splitWords(line, CUT_USAGE);
      rejectExtra(words, [], 'cut', 1, CUT_USAGE);
      const target = parseLinkTarget(words.positional[0], 'cut', CUT_USAGE);
      return { do: 'cut', id: words.id ?? nextId('cut'), target: { links: target } };
    },
    complete: (position) => (position === 1 ? LINK_CHOICES : []),
  },
  async inject(action, context) {
    const links = context.chooseLinks(action.target.links);
    const targets = links.map((link) => link.name);
    let release: LinkRelease | undefined;
    const heal: Heal = async () => {
      await release?.();
      return { type: 'fault', id: action.id, action: 'heal', kind: 'cut', targets };
    };
    await injectOrHeal(async () => {
      release = await context.holdDown(links);
    }, heal);
    return { records: [{ type: 'fault', id: action.id, action: 'inject', kind: 'down', targets }], heal };
  },
};
