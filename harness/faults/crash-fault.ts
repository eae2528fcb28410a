import { z } from 'zod';
import type { LinkRelease } from '../network/link-holds.js';
import { distributionSchema, faultIdSchema, nodesTargetSchema } from '../scenario/schema-parts.js';
import { type FaultKind, type Heal, injectOrHeal } from './fault-kind.js';
import { nodeGroupCommand } from './operator-syntax.js';

const crashSchema = z.strictObject({ do: z.literal('crash'), id: faultIdSchema, target: nodesTargetSchema, restartAfter: distributionSchema.exactOptional() });
export type CrashAction = z.output<typeof crashSchema>;

declare module '../scenario/types.js' {
  interface StepActions {
    crash: CrashAction;
  }
}

/**
 * The chosen nodes killed (SIGKILL). The links into them are taken down first, all at once, and
 * brought up again once every kill is done: an engine that kills containers one after another
 * (Docker: seconds for a handful, more on a busy host) must not let the first victims' clients
 * re-home onto the last victims before those die. Their own connections out close as each dies.
 * The harness does not undo a crash: users restart their machines (the supervisor), after
 * `restartAfter` when the step gives it. Its heal only closes the fault in the history at rollback
 * (and brings up any link a failed kill left down).
 */
export const crashFault: FaultKind<CrashAction> = {
  name: 'crash',
  schema: crashSchema,
  heals: 'rollback-only',
  command: nodeGroupCommand(
    { name: 'crash', usage: 'crash <group> [<share>] [restart=<duration>] [as <id>]', says: 'kill nodes (SIGKILL), e.g. crash supernodes 30%', named: ['restart'] },
    ({ id, target, named }) => {
      const restart = named.get('restart');
      return { do: 'crash', id, target, ...(restart === undefined ? {} : { restartAfter: { kind: 'fixed', value: restart } }) };
    },
  ),
  async inject(action, context) {
    const names = context.chooseNodes(action.target.nodes);
    let release: LinkRelease | undefined;
    const heal: Heal = async () => {
      await release?.();
      return { type: 'fault', id: action.id, action: 'heal', kind: 'crash', targets: names };
    };
    for (const name of names) {
      context.nodes.expectKill(name);
      if (action.restartAfter !== undefined) context.overrideRestart(name, action.restartAfter);
    }
    await injectOrHeal(async () => {
      release = await context.holdDown(context.linksInto(names));
      try {
        await Promise.all(names.map((name) => context.node(name)?.kill()));
      } finally {
        await release();
      }
    }, heal);
    return { records: [{ type: 'fault', id: action.id, action: 'inject', kind: 'crash', targets: names }], heal };
  },
};
