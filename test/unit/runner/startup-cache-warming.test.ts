import { describe, expect, it } from 'vitest';
import type { NodeHandle, NodeRunState } from '../../../harness/platform/platform.js';
import { commandStartupCacheWarming, warmsBeforeTheRun, type PostCommand } from '../../../harness/runner/startup-cache-warming.js';

function supernode(name: string, state: NodeRunState): NodeHandle {
  const never = (): Promise<void> => Promise.reject(new Error('not used'));
  return {
    name,
    role: 'supernode',
    upstream: { host: '127.0.0.1', port: 1 },
    controlUrl: () => 'http://127.0.0.1:1',
    kill: never,
    stop: never,
    pause: never,
    resume: never,
    restart: never,
    inspect: () => Promise.resolve({ state }),
    logs: () => Promise.resolve(''),
  };
}

const refusing =
  (names: readonly string[]): PostCommand =>
  (node) =>
    names.includes(node.name) ? Promise.reject(new Error('connect ECONNREFUSED')) : Promise.resolve({});

describe('start-up cache warming', () => {
  it('warms every serving supernode before the run, and never a standby peer', () => {
    expect(warmsBeforeTheRun({ planned: { supernodeKind: 'peer' } })).toBe(true);
    expect(warmsBeforeTheRun({ planned: { supernodeKind: 'dedicated' } })).toBe(true);
    expect(warmsBeforeTheRun({ planned: { supernodeKind: 'standby-peer' } })).toBe(false);
  });

  it('asks every node, and names each one that did not take the command', async () => {
    const asked: string[] = [];
    const post: PostCommand = (node, path, body) => {
      asked.push(`${node.name} ${path} ${JSON.stringify(body)}`);
      return refusing(['sn-02', 'sn-03'])(node, path, body);
    };
    const nodes = ['sn-01', 'sn-02', 'sn-03'].map((name) => supernode(name, 'running'));
    await expect(commandStartupCacheWarming(nodes, true, post)).rejects.toThrow(
      "could not turn the start-up cache's warming on (sn-02: connect ECONNREFUSED; sn-03: connect ECONNREFUSED)",
    );
    expect(asked).toEqual(['sn-01 /startup-cache/warming {"on":true}', 'sn-02 /startup-cache/warming {"on":true}', 'sn-03 /startup-cache/warming {"on":true}']);
  });

  it('turning warming off passes over a supernode that is down (it comes back cold), but not one that runs and refuses', async () => {
    await expect(commandStartupCacheWarming([supernode('sn-01', 'running'), supernode('sn-02', 'exited')], false, refusing(['sn-02']))).resolves.toBeUndefined();
    await expect(commandStartupCacheWarming([supernode('sn-01', 'running')], false, refusing(['sn-01']))).rejects.toThrow("could not turn the start-up cache's warming off (sn-01: connect ECONNREFUSED)");
  });

  it('turning warming on fails for a supernode that is down', async () => {
    await expect(commandStartupCacheWarming([supernode('sn-01', 'exited')], true, refusing(['sn-01']))).rejects.toThrow('sn-01: connect ECONNREFUSED');
  });

  it('refuses a run environment that cannot post commands, naming what cannot be done', async () => {
    await expect(commandStartupCacheWarming([supernode('sn-01', 'running')], true, undefined)).rejects.toThrow('this run environment cannot post commands to nodes: the start-up caches cannot be warmed');
  });
});
