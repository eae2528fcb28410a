import type { Architecture, TopologySpec } from '../scenario/types.js';
import type { PlannedLink, PlannedNode, TopologyPlan } from './plan-types.js';
import { weightedPick } from './weighted-pick.js';

const pad = (n: number): string => String(n).padStart(2, '0');

export const NodeNames = {
  login: 'login',
  offline: (i: number) => `offline-${i + 1}`,
  supernode: (i: number) => `sn-${pad(i + 1)}`,
  standbyPeer: (i: number) => `peer-${pad(i + 1)}`,
  mega: (i: number) => `mega-${pad(i + 1)}`,
  fleet: (i: number) => `fleet-${i + 1}`,
} as const;

/** Every supernode (serving or promotable) is reached by clients and by the other supernodes. */
export function supernodeLinks(name: string): PlannedLink[] {
  return [
    { from: 'clients', to: name },
    { from: 'supernodes', to: name },
  ];
}

/**
 * Turns an architecture's topology into named nodes and the Toxiproxy links between them.
 * `unit` is the seeded source that assigns client versions to peer supernodes.
 */
export interface ClientBug {
  readonly buggyVersion: string;
  readonly crashProbability: number;
}

export function planTopology(architecture: Architecture, spec: TopologySpec, unit: () => number, bug?: ClientBug): TopologyPlan {
  const nodes: PlannedNode[] = [{ name: NodeNames.login, role: 'login', group: 'login' }];
  const links: PlannedLink[] = [
    { from: 'clients', to: NodeNames.login },
    { from: 'supernodes', to: NodeNames.login },
  ];

  for (let i = 0; i < spec.offlineMessageServers; i += 1) {
    const name = NodeNames.offline(i);
    nodes.push({ name, role: 'offline-messages', group: 'offline-messages' });
    links.push({ from: 'clients', to: name }, { from: 'supernodes', to: name });
  }

  // Each peer draws its version, and each buggy peer its vulnerability, from the seeded source: the direct
  // loss is a measurement of the run, as it was in 2010, not a quota.
  const versions = supernodeVersions(spec, unit);
  const vulnerable = vulnerablePeers(versions, bug, unit);
  for (let i = 0; i < spec.supernodes; i += 1) {
    const name = NodeNames.supernode(i);
    const clientVersion = versions[i];
    nodes.push({
      name,
      role: 'supernode',
      group: 'supernodes',
      supernodeKind: spec.supernodeMode === 'peer' ? 'peer' : 'dedicated',
      tuning: spec.supernode,
      ...(clientVersion === undefined ? {} : { clientVersion, vulnerable: vulnerable.has(i) }),
    });
    links.push(...supernodeLinks(name));
  }

  if (spec.supernodeMode === 'peer') {
    for (let i = 0; i < spec.standbyPeers; i += 1) {
      const name = NodeNames.standbyPeer(i);
      const clientVersion = versions[spec.supernodes + i];
      nodes.push({
        name,
        role: 'supernode',
        group: 'supernodes',
        supernodeKind: 'standby-peer',
        tuning: spec.supernode,
        ...(clientVersion === undefined ? {} : { clientVersion, vulnerable: vulnerable.has(spec.supernodes + i) }),
      });
      links.push(...supernodeLinks(name));
    }
  }

  for (let i = 0; i < spec.fleets; i += 1) {
    nodes.push({ name: NodeNames.fleet(i), role: 'client-fleet', group: 'fleets', fleetIndex: i });
  }

  return { architecture, nodes, links };
}

/**
 * The client version each supernode runs (standby peers after the serving ones), none for those that
 * run no client code. Dedicated boxes run one only with the `boxesRunClientVersion` defect.
 */
function supernodeVersions(spec: TopologySpec, unit: () => number): string[] {
  if (spec.supernodeMode === 'dedicated') {
    const boxVersion = spec.defects?.boxesRunClientVersion;
    return boxVersion === undefined ? [] : Array.from({ length: spec.supernodes }, () => boxVersion);
  }
  const mix = spec.peerVersionMix;
  return mix === undefined ? [] : Array.from({ length: spec.supernodes + spec.standbyPeers }, () => weightedPick(mix, unit()));
}

/** Which peers run a crashing copy of the buggy client: each buggy peer with the bug's crash probability, seeded. */
function vulnerablePeers(versions: readonly string[], bug: ClientBug | undefined, unit: () => number): Set<number> {
  if (bug === undefined) return new Set();
  return new Set(versions.flatMap((version, index) => (version === bug.buggyVersion && unit() < bug.crashProbability ? [index] : [])));
}
