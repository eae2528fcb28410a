import type { FaultableLink } from '../network/link-types.js';
import type { HistoryRecord } from '../observe/history-types.js';
import type { Platform } from '../platform/platform.js';
import { DeployedTopology, type StartupExit } from '../topology/deploy-topology.js';
import { planTopology } from '../topology/plan-topology.js';
import { nodeConfigBuilder } from '../topology/node-configs.js';
import type { RunContext } from './run-session-types.js';
import { commandStartupCacheWarming, prewarmsStartupCaches, warmsBeforeTheRun } from './startup-cache-warming.js';

type RunTopologyContext = Pick<RunContext, 'scenario' | 'architecture' | 'seed' | 'owner' | 'run' | 'scale' | 'random' | 'environment'>;

/**
 * Plans the architecture's topology from the run's seed and deploys it on the platform, links and all.
 * A node that exits while the network starts goes into the history, with its restart when it gets one.
 * With `startupCache.prewarmed`, each supernode's cache warms from its start, before it serves anyone.
 */
export function deployRunTopology(platform: Platform, context: RunTopologyContext, record: (event: HistoryRecord) => void): Promise<DeployedTopology<FaultableLink>> {
  const { scenario, architecture, seed, owner, run, scale, random, environment } = context;
  const links = environment.createLinks(platform, owner);
  const plan = planTopology(architecture, run.topology, random.fork('topology').next, scenario.load);
  const configFor = nodeConfigBuilder({ scenario, architecture, scale, seed });
  const { reportsReady, supernodesHandedOut, postCommand } = environment;
  return DeployedTopology.deploy({
    plan,
    platform,
    links,
    configFor,
    ...(reportsReady === undefined ? {} : { reportsReady }),
    ...(supernodesHandedOut === undefined ? {} : { supernodesHandedOut }),
    onStartupExit: (exit) => recordStartupExit(exit, record),
    ...(prewarmsStartupCaches(run) ? { onSupernodeStarted: (supernode) => (warmsBeforeTheRun(supernode) ? commandStartupCacheWarming([supernode.handle], true, postCommand) : Promise.resolve()) } : {}),
  });
}

function recordStartupExit({ node, exitCode, cause, restarted }: StartupExit, record: (event: HistoryRecord) => void): void {
  record({ type: 'node', node: node.name, role: node.role, change: 'down', cause, ...(exitCode === undefined ? {} : { exitCode }) });
  if (restarted) record({ type: 'node', node: node.name, role: node.role, change: 'restarted', cause: 'startup-restart' });
}
