import { describe, expect, it } from 'vitest';
import { newestTask, sortableTime, taskProgress, taskRunState, type SwarmTask } from '../../../harness/platform/swarm-tasks.js';

const task = (id: string, createdAt: string, state: string, extra: Partial<NonNullable<SwarmTask['Status']>> = {}): SwarmTask => ({
  ID: id,
  CreatedAt: createdAt,
  NodeID: 'node7',
  DesiredState: 'running',
  Status: { State: state, ...extra },
});

describe('newestTask', () => {
  it('takes the task created last, even when the engine wrote fewer fraction digits', () => {
    // Go drops trailing zeros: .5Z is later than .123456789Z, though it sorts before it as text.
    const tasks = [task('a', '2026-12-06T18:51:02.123456789Z', 'failed'), task('b', '2026-12-06T18:51:02.5Z', 'running')];
    expect(newestTask(tasks)?.ID).toBe('b');
    expect(newestTask([...tasks].reverse())?.ID).toBe('b');
  });

  it('skips tasks already seen (those of earlier starts)', () => {
    const tasks = [task('a', '2026-12-06T18:51:03Z', 'running'), task('b', '2026-12-06T18:51:02Z', 'shutdown')];
    expect(newestTask(tasks, new Set(['a']))?.ID).toBe('b');
    expect(newestTask(tasks, new Set(['a', 'b']))).toBeUndefined();
  });

  it('pads fractions to nanoseconds', () => {
    expect(sortableTime('2026-12-06T18:51:02Z')).toBe('2026-12-06T18:51:02.000000000Z');
    expect(sortableTime('2026-12-06T18:51:02.5Z')).toBe('2026-12-06T18:51:02.500000000Z');
  });
});

describe('taskProgress', () => {
  it('is running once the task runs with a container', () => {
    const running = task('t1', '2026-12-06T18:51:02Z', 'running', { ContainerStatus: { ContainerID: 'c1' } });
    expect(taskProgress(running)).toEqual({ kind: 'running', taskId: 't1', containerId: 'c1', nodeId: 'node7' });
  });

  it('waits while the task is on its way, saying where it is and why', () => {
    expect(taskProgress(undefined)).toEqual({ kind: 'waiting', detail: 'no task yet' });
    expect(taskProgress(task('t1', '', 'pending', { Err: 'no suitable node (scheduling constraints not satisfied on 1 node)' }))).toEqual({
      kind: 'waiting',
      detail: 'task t1 pending: no suitable node (scheduling constraints not satisfied on 1 node)',
    });
    expect(taskProgress(task('t1', '', 'running'))).toEqual({ kind: 'waiting', detail: 'task t1 running' });
  });

  it('fails a task that ended before running, with what the swarm said and the exit code', () => {
    const failed = task('t1', '', 'failed', { Err: 'task: non-zero exit (1)', ContainerStatus: { ContainerID: 'c1', ExitCode: 1 } });
    expect(taskProgress(failed)).toEqual({ kind: 'failed', reason: 'task t1 failed: task: non-zero exit (1) (exit code 1)' });
    expect(taskProgress(task('t2', '', 'rejected', { Err: 'No such image: sha256:0123' }))).toEqual({
      kind: 'failed',
      reason: 'task t2 rejected: No such image: sha256:0123',
    });
  });
});

describe('published ports and the state of a task on another node', () => {
  it('a running task carries the ports its node published in host mode, as the swarm reports them', () => {
    const running = task('t1', '', 'running', {
      ContainerStatus: { ContainerID: 'c1' },
      PortStatus: { Ports: [{ TargetPort: 7100, PublishedPort: 30017 }, { TargetPort: 8474, PublishedPort: 0 }] },
    });
    expect(taskProgress(running)).toEqual({ kind: 'running', taskId: 't1', containerId: 'c1', nodeId: 'node7', ports: { 7100: 30017 } });
  });

  it('reads running until the task ends, then exited with its exit code', () => {
    expect(taskRunState(task('t1', '', 'running'))).toEqual({ state: 'running' });
    expect(taskRunState(task('t1', '', 'failed', { ContainerStatus: { ContainerID: 'c1', ExitCode: 137 } }))).toEqual({ state: 'exited', exitCode: 137 });
    expect(taskRunState(task('t1', '', 'shutdown'))).toEqual({ state: 'exited' });
    expect(taskRunState(undefined)).toEqual({ state: 'exited' });
  });
});
