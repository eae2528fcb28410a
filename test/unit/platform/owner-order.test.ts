import { describe, expect, it } from 'vitest';
import { ResourceOwner } from '../../../harness/lifecycle/owner.js';

/** Counts how many wrapped releases run at once, and the most seen. */
function trackConcurrency() {
  let running = 0;
  const tracker = {
    mostAtOnce: 0,
    wrap: (release: () => Promise<void>) => async () => {
      running += 1;
      tracker.mostAtOnce = Math.max(tracker.mostAtOnce, running);
      try {
        await release();
      } finally {
        running -= 1;
      }
    },
  };
  return tracker;
}

describe('release order', () => {
  it('the owner releases newest first and keeps going past a failure', async () => {
    const owner = new ResourceOwner();
    const order: string[] = [];
    owner.register('network', () => void order.push('network'));
    owner.register('toxiproxy', () => {
      order.push('toxiproxy');
      throw new Error('boom');
    });
    owner.register('proxy', async () => void order.push('proxy'));
    expect(await owner.releaseAll()).toEqual(['toxiproxy: boom']);
    expect(order).toEqual(['proxy', 'toxiproxy', 'network']);
    expect(await owner.releaseAll()).toEqual([]);
    expect(order).toHaveLength(3);
  });

  it('neighbours of one batch are released together, after what came later and before what came earlier', async () => {
    const owner = new ResourceOwner();
    const events: string[] = [];
    const concurrency = trackConcurrency();
    const node = (name: string) =>
      concurrency.wrap(async () => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push(`end ${name}`);
      });
    owner.register('network', () => void events.push('network'));
    for (const name of ['a', 'b', 'c']) owner.register(name, node(name), 'nodes');
    owner.register('proxy', () => void events.push('proxy'));
    expect(await owner.releaseAll()).toEqual([]);
    expect(events[0]).toBe('proxy');
    expect(events.at(-1)).toBe('network');
    expect(concurrency.mostAtOnce).toBe(3);
    expect(events.slice(1, 4).every((e) => e.startsWith('start'))).toBe(true);
  });

  it('members of a batch registered later, apart from the first ones, are released with them all', async () => {
    const owner = new ResourceOwner();
    const order: string[] = [];
    const concurrency = trackConcurrency();
    const node = (name: string) =>
      concurrency.wrap(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(name);
      });
    owner.register('network', () => void order.push('network'));
    owner.register('toxiproxy', () => void order.push('toxiproxy'));
    for (const name of ['a', 'b']) owner.register(name, node(name), 'nodes');
    // A storm: a node restarted, a supernode added with its proxy, another restart.
    owner.register('a again', node('a again'), 'nodes');
    owner.register('mega proxy', () => void order.push('mega proxy'));
    owner.register('mega', node('mega'), 'nodes');
    owner.register('b again', node('b again'), 'nodes');
    expect(await owner.releaseAll()).toEqual([]);
    expect(concurrency.mostAtOnce).toBe(5);
    expect(order.slice(0, 5).sort()).toEqual(['a', 'a again', 'b', 'b again', 'mega']);
    expect(order.slice(5)).toEqual(['mega proxy', 'toxiproxy', 'network']);
    expect(owner.size).toBe(0);
  });

  it('a scope releases only its own registrations, newest first, each once', async () => {
    const owner = new ResourceOwner();
    const order: string[] = [];
    owner.register('before', () => void order.push('before'));
    const set = owner.scope('platform');
    set.register('network', async () => void order.push('network'));
    set.register('node', async () => void order.push('node'));
    owner.register('after', () => void order.push('after'));
    expect(set.size).toBe(2);
    await set.releaseOrThrow();
    await set.releaseOrThrow();
    expect(order).toEqual(['node', 'network']);
    expect(owner.size).toBe(2);
    await owner.releaseAll();
    expect(order).toEqual(['node', 'network', 'after', 'before']);
  });

  it('a failed start releases what it had created and rethrows', async () => {
    const owner = new ResourceOwner();
    const released: string[] = [];
    const set = owner.scope('docker platform r1');
    await expect(
      set.unwindOnFailure(async () => {
        set.register('network', async () => void released.push('network'));
        set.register('toxiproxy', async () => void released.push('toxiproxy'));
        throw new Error('image missing');
      }),
    ).rejects.toThrow('image missing');
    expect(released).toEqual(['toxiproxy', 'network']);
    expect(owner.size).toBe(0);
  });

  it('dispose reports failing releases after running all of them', async () => {
    const owner = new ResourceOwner();
    const set = owner.scope('docker platform r1');
    const released: string[] = [];
    set.register('a', async () => void released.push('a'));
    set.register('b', async () => {
      throw new Error('stuck');
    });
    await expect(set.releaseOrThrow()).rejects.toThrow('docker platform r1 cleanup: b: stuck');
    expect(released).toEqual(['a']);
  });

  it("the run's release takes a scope's registrations in their place on the stack, and batches them as before", async () => {
    const owner = new ResourceOwner();
    const order: string[] = [];
    const platform = owner.scope('platform');
    platform.register('network', () => void order.push('network'));
    owner.register('proxy', () => void order.push('proxy'), 'proxies');
    platform.register('node a', () => void order.push('node a'), 'nodes');
    platform.register('node b', () => void order.push('node b'), 'nodes');
    expect(await owner.releaseAll()).toEqual([]);
    expect(order).toEqual(['node b', 'node a', 'proxy', 'network']);
    expect(platform.size).toBe(0);
  });
});
