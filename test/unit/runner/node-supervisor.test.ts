import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodeSupervisor } from '../../../harness/runner/node-supervisor.js';
import type { NodeHandle, NodeRuntimeState, ServiceRole } from '../../../harness/platform/platform.js';

function fakeNode(name: string, role: ServiceRole = 'supernode'): NodeHandle & { exit(code: number): void; restarts: number } {
  let state: NodeRuntimeState = { state: 'running' };
  const node = {
    name,
    role,
    upstream: { host: name, port: 7000 },
    restarts: 0,
    controlUrl: () => 'http://127.0.0.1:1',
    kill: async () => undefined,
    stop: async () => undefined,
    pause: async () => undefined,
    resume: async () => undefined,
    restart: async () => {
      node.restarts += 1;
      state = { state: 'running' };
    },
    inspect: async () => state,
    logs: async () => '',
    exit(code: number) {
      state = { state: 'exited', exitCode: code };
    },
  };
  return node;
}

describe('NodeSupervisor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('records why a node went down from its exit code and restarts it after the drawn delay', async () => {
    const events: unknown[] = [];
    const node = fakeNode('sn-01');
    const supervisor = new NodeSupervisor({ record: (e) => events.push(e), restartDelayMs: () => 1_000 });
    supervisor.watch(node);

    await supervisor.check(['sn-01']);
    expect(events).toEqual([]);

    node.exit(75);
    await supervisor.check(['sn-01']);
    await supervisor.check(['sn-01']);
    expect(events).toEqual([{ type: 'node', node: 'sn-01', role: 'supernode', change: 'down', cause: 'self-protection', exitCode: 75 }]);

    await vi.advanceTimersByTimeAsync(999);
    expect(node.restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(node.restarts).toBe(1);
    expect(events.at(-1)).toEqual({ type: 'node', node: 'sn-01', role: 'supernode', change: 'restarted', cause: 'user-restart' });
  });

  it('records an exit the services have no code for with its code: the node failed', async () => {
    const events: unknown[] = [];
    const node = fakeNode('sn-03');
    const supervisor = new NodeSupervisor({ record: (e) => events.push(e), restartDelayMs: () => undefined });
    supervisor.watch(node);
    node.exit(1);
    await supervisor.check(['sn-03']);
    expect(events).toEqual([{ type: 'node', node: 'sn-03', role: 'supernode', change: 'down', cause: 'unknown', exitCode: 1 }]);
  });

  it('attributes a kill the harness announced to the fault, and never restarts after stop()', async () => {
    const events: { cause?: string }[] = [];
    const node = fakeNode('sn-02');
    const supervisor = new NodeSupervisor({ record: (e) => events.push(e as { cause?: string }), restartDelayMs: () => 500 });
    supervisor.watch(node);
    supervisor.expectKill('sn-02');
    node.exit(137);
    await supervisor.check(['sn-02']);
    expect(events[0]?.cause).toBe('fault');
    await supervisor.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(node.restarts).toBe(0);
  });

  it('leaves nodes without a restart policy down', async () => {
    const node = fakeNode('login');
    const supervisor = new NodeSupervisor({ record: () => undefined, restartDelayMs: () => undefined });
    supervisor.watch(node);
    node.exit(70);
    await supervisor.check(['login']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(node.restarts).toBe(0);
  });

  it('hands the cause to the restart delay: a login that shut itself down is recorded as an overload and started again', async () => {
    const events: unknown[] = [];
    const causes: string[] = [];
    const node = fakeNode('login', 'login');
    const supervisor = new NodeSupervisor({
      record: (e) => events.push(e),
      restartDelayMs: (_node, cause) => {
        causes.push(cause);
        return cause === 'self-protection' ? 300 : undefined;
      },
    });
    supervisor.watch(node);
    node.exit(75);
    await supervisor.check(['login']);
    expect(events).toEqual([{ type: 'node', node: 'login', role: 'login', change: 'down', cause: 'self-protection', exitCode: 75 }]);
    expect(causes).toEqual(['self-protection']);
    await vi.advanceTimersByTimeAsync(300);
    expect(node.restarts).toBe(1);
    expect(events.at(-1)).toEqual({ type: 'node', node: 'login', role: 'login', change: 'restarted', cause: 'user-restart' });
  });
});
