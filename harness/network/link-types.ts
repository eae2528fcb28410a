import type { Endpoint, NodeHandle } from '../platform/platform.js';
import type { ToxicSpec } from '../scenario/types.js';

/** Where a link leads: a started node, or any named upstream (a node reserved but not started yet). */
export type LinkDestination = NodeHandle | { readonly name: string; readonly upstream: Endpoint };

export interface LinkSpec {
  /** The group (or node) whose traffic this link carries, e.g. `clients`, `supernodes`, `harness`. */
  readonly from: string;
  readonly to: LinkDestination;
  /** The harness itself dials this link (it gets a host-reachable listener). */
  readonly hostReachable?: boolean;
}

/** Traffic from one group to one node: one Toxiproxy proxy named `<runId>.<from>-><node>`. */
export interface Link {
  readonly name: string;
  readonly from: string;
  /** The node this link leads to. */
  readonly to: string;
  /** `host:port` the nodes dial to go through this link. */
  readonly dialAddress: string;
  /** How the harness dials this link; only for links made `hostReachable`. */
  readonly hostEndpoint?: Endpoint | undefined;
  /** Validates, then adds the toxic; returns its name. */
  addToxic(spec: ToxicSpec): Promise<string>;
  /** Idempotent: removing a toxic that is gone is not an error. */
  removeToxic(name: string): Promise<void>;
  /** Disables the proxy: new connections fail, open ones are closed. Idempotent. */
  down(): Promise<void>;
  up(): Promise<void>;
}

/** What the topology needs of a link: its name and the address nodes dial. */
export type DialableLink = Pick<Link, 'name' | 'dialAddress'>;

/** What a fault needs of a link: its toxics and its switch. */
export type FaultableLink = DialableLink & Pick<Link, 'addToxic' | 'removeToxic' | 'down' | 'up'>;

/** Makes links; the link layer is one, a test's fake another. */
export interface LinkMaker<L extends DialableLink = Link> {
  link(spec: LinkSpec): Promise<L>;
}
