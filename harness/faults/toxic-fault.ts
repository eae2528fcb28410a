import { z } from 'zod';
import { faultIdSchema, linkTargetSchema, toxicSchema } from '../scenario/schema-parts.js';
import type { ToxicSpec } from '../scenario/types.js';
import type { FaultableLink } from '../network/link-types.js';
import { type FaultKind, type FaultRecord, type Heal, PartlyInjected } from './fault-kind.js';
import { commandError, LINK_CHOICES, numberOrText, parseLinkTarget, rejectExtra, splitWords, type CommandInput } from './operator-syntax.js';

const injectSchema = z.strictObject({ do: z.literal('inject'), id: faultIdSchema, target: linkTargetSchema, toxic: toxicSchema });
export type ToxicAction = z.output<typeof injectSchema>;

declare module '../scenario/types.js' {
  interface StepActions {
    inject: ToxicAction;
  }
}

const INJECT_USAGE = 'inject <toxic> <from>-><group>[@<share>] [<attribute>=<n> ...] [stream=upstream|downstream] [toxicity=<0..1>] [as <id>]';

/** A Toxiproxy toxic on every link into the chosen nodes; the heal removes each toxic added. */
export const toxicFault: FaultKind<ToxicAction> = {
  name: 'inject',
  schema: injectSchema,
  heals: 'healable',
  command: {
    name: 'inject',
    usage: INJECT_USAGE,
    says: 'a Toxiproxy toxic on the links into a group, e.g. inject latency any->offline-messages latency=3000',
    parse: parseInjectCommand,
    complete: (position, { toxicTypes }) => (position === 1 ? toxicTypes : position === 2 ? LINK_CHOICES : []),
  },
  async inject(action, context) {
    const links = context.chooseLinks(action.target.links);
    const { added, heal } = await addToxics(action.id, links, action.toxic);
    const record: FaultRecord = {
      type: 'fault',
      id: action.id,
      action: 'inject',
      kind: action.toxic.type,
      targets: added.map(({ link }) => link.name),
      detail: toxicDetail(action.toxic),
    };
    return { records: [record], heal };
  },
};

function parseInjectCommand(input: CommandInput): unknown {
  const words = splitWords(input.words, INJECT_USAGE);
  const [type, links] = words.positional;
  if (type === undefined) throw commandError('inject needs a toxic type', INJECT_USAGE);
  const target = parseLinkTarget(links, 'inject', INJECT_USAGE);
  const attributes: Record<string, number | string> = {};
  let stream: string | undefined;
  let toxicity: number | string | undefined;
  for (const [key, value] of words.named) {
    if (key === 'stream') stream = value;
    else if (key === 'toxicity') toxicity = numberOrText(value);
    else attributes[key] = numberOrText(value);
  }
  rejectExtra(words, [...words.named.keys()], 'inject', 2, INJECT_USAGE);
  const toxic = { type, ...(stream === undefined ? {} : { stream }), ...(toxicity === undefined ? {} : { toxicity }), attributes };
  return { do: 'inject', id: words.id ?? input.nextId('inject'), target: { links: target }, toxic };
}

/**
 * Adds the toxic to each link in turn (one at a time: a toxic Toxiproxy refuses stops the rest);
 * the heal removes the ones added, also when a later one was refused.
 */
export async function addToxics(
  id: string,
  links: readonly FaultableLink[],
  toxic: ToxicSpec,
): Promise<{ added: readonly { link: FaultableLink; toxic: string }[]; heal: Heal }> {
  const added: { link: FaultableLink; toxic: string }[] = [];
  const heal: Heal = async () => {
    await Promise.all(added.map(({ link, toxic: name }) => link.removeToxic(name)));
    return { type: 'fault', id, action: 'heal', kind: 'toxic', targets: added.map(({ link }) => link.name) };
  };
  try {
    for (const link of links) added.push({ link, toxic: await link.addToxic(toxic) });
  } catch (error) {
    throw new PartlyInjected(error, heal);
  }
  return { added, heal };
}

/** The toxic's settings as the history shows them. */
export function toxicDetail(toxic: ToxicSpec): Readonly<Record<string, unknown>> {
  return { ...toxic.attributes, ...(toxic.stream ? { stream: toxic.stream } : {}), ...(toxic.toxicity === undefined ? {} : { toxicity: toxic.toxicity }) };
}
