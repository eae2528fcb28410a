import { describe, expect, it } from 'vitest';
import { createInterruptHandler, relayWindowMs } from '../../../harness/lifecycle/interrupts.js';
import { ResourceOwner } from '../../../harness/lifecycle/owner.js';
import { startOwned } from '../../../harness/platform/owned-start.js';

function handlerAt(clock: { now: number }) {
  const said: string[] = [];
  const forced: string[] = [];
  const handler = createInterruptHandler({ announce: (signal) => said.push(signal), force: (signal) => forced.push(signal), now: () => clock.now });
  return { handler, said, forced };
}

describe('interrupt handling', () => {
  it('the first signal aborts the run and interrupts every live owner, and an owner joining later at once', () => {
    const clock = { now: 1_000 };
    const { handler, said, forced } = handlerAt(clock);
    const early = new ResourceOwner();
    handler.owners.add(early);
    handler.handle('SIGTERM');
    expect(said).toEqual(['SIGTERM']);
    expect(forced).toEqual([]);
    expect(handler.signal.aborted).toBe(true);
    expect(handler.receivedAt).toBe(1_000);
    expect(early.interrupted.aborted).toBe(true);
    const late = new ResourceOwner();
    handler.owners.add(late);
    expect(late.interrupted.aborted).toBe(true);
  });

  it('a repeat within the relay window is the same interrupt delivered twice (npm forwards what the group got); a later one forces', () => {
    const clock = { now: 0 };
    const { handler, said, forced } = handlerAt(clock);
    handler.handle('SIGINT');
    clock.now = relayWindowMs - 1;
    handler.handle('SIGINT');
    expect(said).toEqual(['SIGINT']);
    expect(forced).toEqual([]);
    clock.now = relayWindowMs + 1;
    handler.handle('SIGINT');
    expect(forced).toEqual(['SIGINT']);
  });
});

describe('an interrupted owner', () => {
  it('refuses to start anything and gives up waiting for work under way', async () => {
    const owner = new ResourceOwner();
    let finish: (value: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const waiting = owner.unlessInterrupted(work);
    owner.interrupt();
    await expect(waiting).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(() => owner.throwIfInterrupted('node sn-01')).toThrow('interrupted: node sn-01 not started');
    finish('late');
    await expect(owner.unlessInterrupted(Promise.resolve('done'))).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });

  it('a container a teardown finds still being created is waited for and removed; one not yet begun is never created', async () => {
    const owner = new ResourceOwner();
    const exists = new Set<string>();
    const removals: string[] = [];
    const engine = { create: (): void => undefined };
    const startNode = (name: string) =>
      startOwned({
        owner,
        own: (label, release, batch) => void owner.register(label, release, batch),
        label: `container ${name}`,
        settleMs: 5_000,
        remove: async () => {
          removals.push(`${name} ${exists.has(name) ? 'removed' : 'absent'}`);
          exists.delete(name);
        },
        start: async (gate) => {
          await new Promise<void>((resolve) => (engine.create = resolve));
          gate.beforeCreate();
          await new Promise((resolve) => setTimeout(resolve, 20));
          exists.add(name);
          gate.created();
          return name;
        },
      });
    const inFlight = startNode('sn-01');
    engine.create();
    const notBegun = startNode('sn-02');
    owner.interrupt();
    await expect(inFlight).rejects.toMatchObject({ code: 'INTERRUPTED' });
    await expect(notBegun).rejects.toMatchObject({ code: 'INTERRUPTED' });
    const teardown = owner.releaseAll();
    engine.create();
    expect(await teardown).toEqual([]);
    expect(removals.sort()).toEqual(['sn-01 removed', 'sn-02 absent']);
    expect(exists.size).toBe(0);
  });
});
