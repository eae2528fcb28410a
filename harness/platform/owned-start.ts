import { setTimeout as delay } from 'node:timers/promises';
import { ChaosError } from '../errors.js';
import type { ResourceOwner } from '../lifecycle/owner.js';

/** What a start tells its release: the engine is about to create the thing, or has created it. */
export interface CreationGate {
  /** Throws once the release has begun, so nothing is created after it. */
  beforeCreate(): void;
  /** The engine created it: from now on removing it by name removes it. */
  created(): void;
}

export interface OwnedStartOptions<T> {
  readonly owner: ResourceOwner;
  /** Registers the release (with the platform's scope of the owner). */
  readonly own: (label: string, release: () => Promise<void>, batch?: string) => void;
  readonly label: string;
  readonly batch?: string;
  /** Creates and starts the thing (e.g. a container under a fixed name), calling the gate around the creation. */
  readonly start: (gate: CreationGate) => Promise<T>;
  /** Removes it by name; must succeed when it does not exist. */
  readonly remove: () => Promise<void>;
  /** The longest a release waits for a creation under way to finish. */
  readonly settleMs: number;
}

/**
 * Starts something whose release is registered before it exists. A release that comes while the
 * start is under way (an interrupt during a deploy) stops a creation not yet begun, waits for one in
 * flight, then removes it: what the engine creates is never left behind, and a start stuck waiting
 * for health is not waited for. The start is raced against the owner's interruption, so the caller
 * gives up at once.
 */
export function startOwned<T>(options: OwnedStartOptions<T>): Promise<T> {
  let releasing = false;
  let creating = false;
  let markCreated: () => void = () => undefined;
  const createdOrGaveUp = new Promise<void>((resolve) => (markCreated = resolve));
  const gate: CreationGate = {
    beforeCreate() {
      if (releasing) throw new ChaosError('INTERRUPTED', `interrupted: ${options.label} not created`, { hint: 'run again to completion' });
      creating = true;
    },
    created: () => markCreated(),
  };
  const starting = options.start(gate);
  void starting.then(markCreated, markCreated);
  options.own(
    options.label,
    async () => {
      releasing = true;
      if (creating) await Promise.race([createdOrGaveUp, delay(options.settleMs)]);
      await options.remove();
    },
    options.batch,
  );
  return options.owner.unlessInterrupted(starting);
}
