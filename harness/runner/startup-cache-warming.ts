import type { NodeHandle } from '../platform/platform.js';
import type { ArchitectureRun } from '../scenario/types.js';
import type { PlannedNode } from '../topology/plan-types.js';
import { STARTUP_CACHE_WARMING_PATH } from '../../services/supernode/startup-cache-command.js';

export type PostCommand = (node: NodeHandle, path: string, body: unknown) => Promise<unknown>;

/** Whether the architecture's supernodes begin the run with caches that held their users before it (`startupCache.prewarmed`). */
export function prewarmsStartupCaches(run: Pick<ArchitectureRun, 'topology'>): boolean {
  return run.topology.supernode.startupCache?.prewarmed === true;
}

/** Whether a supernode's cache warms before the run: every serving supernode does; a standby peer, which serves no one until a remedy calls it, begins cold. */
export function warmsBeforeTheRun(supernode: { readonly planned: Pick<PlannedNode, 'supernodeKind'> }): boolean {
  return supernode.planned.supernodeKind !== 'standby-peer';
}

/**
 * Turns the supernodes' warming on (each as the network is deployed, as soon as it has started) or off
 * (every one, once the steady state holds). Every node is asked; one that does not take it fails the run's setup,
 * naming it: the scenario's history before the run could not be laid down, which says nothing of the
 * system.
 */
export async function commandStartupCacheWarming(nodes: readonly NodeHandle[], on: boolean, post: PostCommand | undefined): Promise<void> {
  if (post === undefined) throw new Error('this run environment cannot post commands to nodes: the start-up caches cannot be warmed');
  const settled = await Promise.all(
    nodes.map(async (node) => {
      try {
        await post(node, STARTUP_CACHE_WARMING_PATH, { on });
        return undefined;
      } catch (error) {
        // A supernode that is down comes back cold and not warming: nothing to turn off.
        if (!on && (await node.inspect().catch(() => undefined))?.state !== 'running') return undefined;
        return `${node.name}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }),
  );
  const failed = settled.filter((problem): problem is string => problem !== undefined);
  if (failed.length > 0) throw new Error(`could not turn the start-up cache's warming ${on ? 'on' : 'off'} (${failed.join('; ')})`);
}
