import { z } from 'zod';
import { durationSchema, faultIdSchema, fractionSchema, positiveDurationSchema } from '../scenario/schema-parts.js';
import type { FaultContext, FaultKind, FaultRecord, Heal } from './fault-kind.js';
import { commandError, rejectExtra, splitWords } from './operator-syntax.js';

const REBOOT_USAGE = 'reboot <clients|peers|both> <share> over=<duration> [down=<duration>] [as <id>]';
const WHOM = ['clients', 'peers', 'both'] as const;

const rebootWaveSchema = z.strictObject({
  do: z.literal('reboot-wave'),
  id: faultIdSchema,
  target: z.strictObject({ share: fractionSchema, of: z.enum(WHOM) }),
  over: positiveDurationSchema,
  downFor: durationSchema.exactOptional(),
});
export type RebootWaveAction = z.output<typeof rebootWaveSchema>;

declare module '../scenario/types.js' {
  interface StepActions {
    'reboot-wave': RebootWaveAction;
  }
}

/**
 * Machines restarted by an update within a window (Skype, August 2007): a seeded share of the
 * fleets' clients (each fleet draws and times its own, `POST /reboot-wave`) and of the peer
 * supernodes (killed at seeded moments and brought back after `downFor` by the supervisor, as a
 * crash with `restartAfter`). Nothing undoes it; the rollback cancels the peer reboots still to come.
 */
export const rebootWaveFault: FaultKind<RebootWaveAction> = {
  name: 'reboot-wave',
  schema: rebootWaveSchema,
  heals: 'rollback-only',
  command: {
    name: 'reboot',
    usage: REBOOT_USAGE,
    says: 'reboot a share of the clients and/or peer supernodes over a window, e.g. reboot both 50% over=2h',
    parse({ words: line, nextId }) {
      const words = splitWords(line, REBOOT_USAGE);
      rejectExtra(words, ['over', 'down'], 'reboot', 2, REBOOT_USAGE);
      const [of, shareText] = words.positional;
      const percent = /^(\d+(?:\.\d+)?)%$/.exec(shareText ?? '');
      if (of === undefined || percent === null) throw commandError('reboot needs whom (clients, peers or both) and a share such as 50%', REBOOT_USAGE);
      const over = words.named.get('over');
      if (over === undefined) throw commandError('reboot needs over=<duration>, the window the reboots are spread over', REBOOT_USAGE);
      const down = words.named.get('down');
      return { do: 'reboot-wave', id: words.id ?? nextId('reboot'), target: { share: Number(percent[1]) / 100, of }, over, ...(down === undefined ? {} : { downFor: down }) };
    },
    complete: (position) => (position === 1 ? WHOM : []),
  },
  async inject(action, context) {
    const overMs = context.realMs(action.over);
    const downFor = action.downFor ?? '0s';
    const { share, of } = action.target;
    const fleets = of === 'peers' ? [] : context.chooseNodes({ group: 'fleets' });
    const peers = of === 'clients' ? [] : context.chooseNodes({ group: 'supernodes', fraction: share }, ['peer']);
    const peerReboots = schedulePeerReboots(context, peers, overMs, downFor);
    const heal: Heal = () => {
      peerReboots.cancel();
      const failed = peerReboots.failed;
      return Promise.resolve(record(action, 'heal', [...fleets, ...peerReboots.rebooted], failed.length === 0 ? undefined : { failedReboots: failed }));
    };
    const wave = { share, overMs, downForMs: context.realMs(downFor), key: `reboot-wave-${context.nextNumber('reboot-wave')}` };
    try {
      await Promise.all(fleets.map((fleet) => context.command(fleet, '/reboot-wave', wave)));
    } catch (error) {
      peerReboots.cancel();
      throw error;
    }
    return { records: [record(action, 'inject', [...fleets, ...peers], { share, of, overMs })], heal };
  },
};

function record(action: RebootWaveAction, phase: 'inject' | 'heal', targets: readonly string[], detail?: Readonly<Record<string, unknown>>): FaultRecord {
  return { type: 'fault', id: action.id, action: phase, kind: 'reboot-wave', targets, ...(detail === undefined ? {} : { detail }) };
}

/** Each peer killed at a seeded moment within the window, its loss the fault's, back after `downFor`. */
function schedulePeerReboots(context: FaultContext, peers: readonly string[], overMs: number, downFor: string) {
  const draw = context.draws();
  const rebooted: string[] = [];
  /** Peers the platform could not kill, with why: the rollback's record names them. */
  const failed: string[] = [];
  const timers = peers.map((name) =>
    setTimeout(() => {
      rebooted.push(name);
      context.nodes.expectKill(name);
      context.overrideRestart(name, { kind: 'fixed', value: downFor });
      context
        .node(name)
        ?.kill()
        .catch((error: unknown) => failed.push(`${name}: ${error instanceof Error ? error.message : String(error)}`));
    }, draw() * overMs),
  );
  return {
    rebooted,
    failed,
    cancel: () => timers.forEach((timer) => clearTimeout(timer)),
  };
}
