import type { ResourceOwner } from '../lifecycle/owner.js';
import { createLinkLayer } from '../network/link-layer.js';
import type { FaultableLink, LinkMaker } from '../network/link-types.js';
import { createPlatform, type CreatePlatformOptions } from '../platform/create-platform.js';
import type { NodeHandle, Platform } from '../platform/platform.js';
import { fetchNodeStatus } from './fetch-status.js';
import { postNodeCommand } from './post-command.js';

/** The real parts a run drives: a platform, Toxiproxy links, and the nodes' control ports. A test fakes them. */
export interface RunEnvironment {
  createPlatform(options: CreatePlatformOptions): Promise<Platform>;
  createLinks(platform: Platform, owner: ResourceOwner): LinkMaker<FaultableLink>;
  /** A node's control-port JSON (`/status`, `/ledger?after=3`); undefined when it does not answer. */
  fetchStatus(node: NodeHandle, signal: AbortSignal, path?: string): Promise<unknown>;
  /** Posts a JSON command to a node's control port (a fleet's `/reboot-wave`); absent, a step that needs one fails saying so. */
  readonly postCommand?: (node: NodeHandle, path: string, body: unknown) => Promise<unknown>;
  /** Whether a node serves; absent: `ready: true` on its `/status` (see DeployedTopology). */
  readonly reportsReady?: (node: NodeHandle) => Promise<boolean>;
  /** How many supernodes login hands out; absent: `liveSupernodes` on its `/status` (see DeployedTopology). */
  readonly supernodesHandedOut?: (login: NodeHandle) => Promise<number>;
}

export const realEnvironment: RunEnvironment = {
  createPlatform,
  createLinks: createLinkLayer,
  fetchStatus: (node, signal, path) => fetchNodeStatus(node.controlUrl(), signal, path),
  postCommand: (node, path, body) => postNodeCommand(node.controlUrl(), path, body),
};
