import { z } from 'zod';
import type { ControlReply } from '../common/control-server.js';
import { createRandom, deriveSeed } from '../common/seeded-random.js';
import type { TaskScheduler } from '../common/task-scheduler.js';
import type { VirtualClient } from './virtual-client.js';

const realMs = z.number().min(0).max(86_400_000);

/** `POST /reboot-wave` on a fleet's control port. */
export const rebootWaveRequestSchema = z.strictObject({
  /** The share of this fleet's clients whose machines reboot (0-1). */
  share: z.number().min(0).max(1),
  /** Real ms the reboots are spread over, each at a seeded uniform moment. */
  overMs: realMs,
  /** Real ms a rebooting machine is down before its client starts again. */
  downForMs: realMs.default(0),
  /** Names the wave: the same key on the same fleet reboots the same clients at the same moments. */
  key: z.string().min(1).max(64),
});

export interface RebootWaveFleet {
  readonly seed: number;
  readonly clients: readonly VirtualClient[];
  readonly scheduler: TaskScheduler;
  /** Counts one reboot. */
  readonly onReboot: () => void;
}

/**
 * A wave of machine reboots (a Windows Update restarting machines within a window): the chosen
 * clients quit gracefully at their moment, whatever they were doing, and start a new life (log in
 * from scratch) once their machine is back.
 */
export function startRebootWave(fleet: RebootWaveFleet, body: unknown): ControlReply {
  const parsed = rebootWaveRequestSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    return { status: 400, body: { error: `a reboot wave is { share (0-1), overMs, downForMs?, key }: ${problems.join('; ')}` } };
  }
  const { share, overMs, downForMs, key } = parsed.data;
  const random = createRandom(deriveSeed(fleet.seed, `reboot-wave:${key}`));
  const chosen = random.shuffle(fleet.clients).slice(0, Math.round(share * fleet.clients.length));
  for (const client of chosen) {
    fleet.scheduler.after(random.next() * overMs, () => {
      client.stop();
      fleet.onReboot();
      fleet.scheduler.after(downForMs, () => client.start());
    });
  }
  return { status: 202, body: { rebooting: chosen.length, of: fleet.clients.length } };
}
