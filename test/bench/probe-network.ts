import type { ResourceOwner } from '../../harness/lifecycle/owner.js';
import type { Link } from '../../harness/network/link-types.js';
import type { Endpoint, PlatformKind } from '../../harness/platform/platform.js';
import { addressBookOf, deployServiceNetwork, type ServiceNetwork } from '../integration/helpers/service-network.js';
import { roomyDedicatedScenario } from './bench-scenario.js';

/** A small network (login, offline-messages, one roomy supernode) with a link the harness itself dials. */
export interface ProbeNetwork {
  readonly net: ServiceNetwork;
  readonly secret: string;
  /** The harness's own Toxiproxy link into the supernode, and where the harness dials it. */
  readonly link: Link;
  readonly proxied: Endpoint;
  /** The supernode's own port, when the harness can reach it (local platform; on Docker it is not published). */
  readonly direct: Endpoint | undefined;
}

const scenario = roomyDedicatedScenario({ supernodes: 1, fleets: 0, clientsPerFleet: 1, sessions: 1_000 });

export async function deployProbeNetwork(kind: PlatformKind, owner: ResourceOwner): Promise<ProbeNetwork> {
  const net = await deployServiceNetwork({ kind, owner, scenario, architecture: 'dedicated' });
  const supernode = net.topology.node('sn-01');
  if (supernode === undefined) throw new Error('the probe network has no sn-01');
  const secret = String(net.configFor(supernode.planned, addressBookOf(net.topology), net.topology)['secret']);
  const link = await net.layer.link({ from: 'harness', to: supernode.handle, hostReachable: true });
  if (link.hostEndpoint === undefined) throw new Error('the harness link has no host endpoint');
  return { net, secret, link, proxied: link.hostEndpoint, direct: kind === 'local' ? supernode.handle.upstream : undefined };
}
