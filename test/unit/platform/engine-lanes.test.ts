import { describe, expect, it } from 'vitest';
import { EngineLanes, type EndpointChange, type LanePriority } from '../../../harness/platform/engine-lanes.js';

/** A call that records when it ran beside what, and ends when told to. */
function tracedCalls(lanes: EngineLanes) {
  const overlaps: string[] = [];
  const running = new Set<string>();
  const finishers = new Map<string, () => void>();
  const start = (name: string, kind: EndpointChange, priority: LanePriority = 'run'): Promise<void> =>
    lanes.run(
      kind,
      async () => {
        for (const other of running) if (other[0] !== name[0]) overlaps.push(`${other}+${name}`);
        running.add(name);
        await new Promise<void>((resolve) => finishers.set(name, resolve));
        running.delete(name);
      },
      priority,
    );
  const finish = async (name: string): Promise<void> => {
    finishers.get(name)?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { overlaps, running, start, finish };
}

describe('engine lanes', () => {
  it('runs calls of one kind side by side', async () => {
    const lanes = new EngineLanes();
    const calls = tracedCalls(lanes);
    const all = [calls.start('l1', 'leave'), calls.start('l2', 'leave'), calls.start('l3', 'leave')];
    await new Promise((resolve) => setImmediate(resolve));
    expect([...calls.running]).toEqual(['l1', 'l2', 'l3']);
    for (const name of ['l1', 'l2', 'l3']) await calls.finish(name);
    await Promise.all(all);
    expect(lanes.state).toEqual({ active: undefined, running: 0, waiting: 0 });
  });

  it('never runs a join beside a leave, and serves waiters in arrival order', async () => {
    const lanes = new EngineLanes();
    const calls = tracedCalls(lanes);
    const all = [calls.start('l1', 'leave'), calls.start('j1', 'join'), calls.start('l2', 'leave'), calls.start('j2', 'join')];
    await new Promise((resolve) => setImmediate(resolve));
    expect([...calls.running]).toEqual(['l1']);
    expect(lanes.state).toEqual({ active: 'leave', running: 1, waiting: 3 });
    await calls.finish('l1');
    expect([...calls.running]).toEqual(['j1']);
    await calls.finish('j1');
    expect([...calls.running]).toEqual(['l2']);
    await calls.finish('l2');
    await calls.finish('j2');
    await Promise.all(all);
    expect(calls.overlaps).toEqual([]);
  });

  it("puts off a teardown's removals while a run's calls wait, whatever came first", async () => {
    const lanes = new EngineLanes({ join: 1, leave: 1 });
    const calls = tracedCalls(lanes);
    const all = [calls.start('l1', 'leave', 'cleanup'), calls.start('l2', 'leave', 'cleanup'), calls.start('l3', 'leave', 'cleanup')];
    await new Promise((resolve) => setImmediate(resolve));
    all.push(calls.start('j1', 'join'), calls.start('l9', 'leave'));
    expect(lanes.state).toEqual({ active: 'leave', running: 1, waiting: 4 });
    await calls.finish('l1');
    expect([...calls.running]).toEqual(['j1']);
    await calls.finish('j1');
    expect([...calls.running]).toEqual(['l9']);
    await calls.finish('l9');
    expect([...calls.running]).toEqual(['l2']);
    await calls.finish('l2');
    await calls.finish('l3');
    await Promise.all(all);
    expect(calls.overlaps).toEqual([]);
    expect(lanes.state).toEqual({ active: undefined, running: 0, waiting: 0 });
  });

  it('lets a run of same-kind waiters in together', async () => {
    const lanes = new EngineLanes();
    const calls = tracedCalls(lanes);
    const all = [calls.start('j1', 'join'), calls.start('l1', 'leave'), calls.start('l2', 'leave'), calls.start('j2', 'join')];
    await new Promise((resolve) => setImmediate(resolve));
    await calls.finish('j1');
    expect([...calls.running]).toEqual(['l1', 'l2']);
    await calls.finish('l1');
    expect([...calls.running]).toEqual(['l2']);
    await calls.finish('l2');
    await calls.finish('j2');
    await Promise.all(all);
    expect(calls.overlaps).toEqual([]);
  });

  it('gives the lane back when a call throws, and a release counts once', async () => {
    const lanes = new EngineLanes();
    await expect(lanes.run('join', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    const release = await lanes.acquire('leave');
    release();
    release();
    expect(lanes.state).toEqual({ active: undefined, running: 0, waiting: 0 });
    await expect(lanes.run('join', () => Promise.resolve(7))).resolves.toBe(7);
  });
});

describe('engine lanes with limits', () => {
  it('runs at most the limit of a kind at once, and the rest in arrival order', async () => {
    const lanes = new EngineLanes({ join: 1, leave: 2 });
    const calls = tracedCalls(lanes);
    const all = [calls.start('l1', 'leave'), calls.start('l2', 'leave'), calls.start('l3', 'leave'), calls.start('j1', 'join'), calls.start('j2', 'join')];
    await new Promise((resolve) => setImmediate(resolve));
    expect([...calls.running]).toEqual(['l1', 'l2']);
    await calls.finish('l1');
    expect([...calls.running]).toEqual(['l2', 'l3']);
    await calls.finish('l2');
    await calls.finish('l3');
    expect([...calls.running]).toEqual(['j1']);
    await calls.finish('j1');
    expect([...calls.running]).toEqual(['j2']);
    await calls.finish('j2');
    await Promise.all(all);
    expect(calls.overlaps).toEqual([]);
    expect(lanes.state).toEqual({ active: undefined, running: 0, waiting: 0 });
  });
});
