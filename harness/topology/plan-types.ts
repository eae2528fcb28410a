import type { ServiceRole } from '../platform/platform.js';
import type { Architecture, LinkGroup, NodeGroup, SupernodeTuning } from '../scenario/types.js';

export type SupernodeKind = 'peer' | 'standby-peer' | 'dedicated' | 'mega';

export interface PlannedNode {
  readonly name: string;
  readonly role: ServiceRole;
  readonly group: NodeGroup;
  readonly supernodeKind?: SupernodeKind;
  readonly tuning?: SupernodeTuning;
  /** The client software a peer supernode (or a dedicated box with the `boxesRunClientVersion` defect) runs. */
  readonly clientVersion?: string;
  /** Whether that client software crashes on a delayed offline-messages reply. */
  readonly vulnerable?: boolean;
  /** Fleets: index into the fleets, which decides the fleet's user-id range. */
  readonly fleetIndex?: number;
}

/** One Toxiproxy proxy: traffic from a group of nodes to one node. */
export interface PlannedLink {
  readonly from: LinkGroup;
  readonly to: string;
}

export interface TopologyPlan {
  readonly architecture: Architecture;
  readonly nodes: readonly PlannedNode[];
  readonly links: readonly PlannedLink[];
}

export function linkName(link: PlannedLink): string {
  return `${link.from}->${link.to}`;
}
