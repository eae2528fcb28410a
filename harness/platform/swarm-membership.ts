import { ChaosError } from '../errors.js';

/** What `GET /info` says of the engine's place in a swarm (its `Swarm` object). */
export interface SwarmInfo {
  readonly NodeID?: string | undefined;
  readonly NodeAddr?: string | undefined;
  readonly LocalNodeState?: string | undefined;
  readonly ControlAvailable?: boolean | undefined;
  readonly Error?: string | undefined;
  /** Only on a manager. */
  readonly Nodes?: number | undefined;
  readonly Managers?: number | undefined;
}

export type SwarmRole = 'manager' | 'worker';

export type SwarmMembership =
  | { readonly inSwarm: false; readonly state: string; readonly error?: string }
  | {
      readonly inSwarm: true;
      readonly role: SwarmRole;
      readonly nodeId: string;
      readonly nodeAddr: string;
      /** Known on a manager only. */
      readonly nodes?: number;
      readonly managers?: number;
    };

/** The engine's swarm membership, from `GET /info`'s `Swarm`. */
export function swarmMembershipOf(info: SwarmInfo | undefined): SwarmMembership {
  const state = info?.LocalNodeState ?? 'inactive';
  if (state !== 'active') {
    const error = info?.Error ?? '';
    return error === '' ? { inSwarm: false, state } : { inSwarm: false, state, error };
  }
  const role: SwarmRole = info?.ControlAvailable === true ? 'manager' : 'worker';
  return {
    inSwarm: true,
    role,
    nodeId: info?.NodeID ?? '',
    nodeAddr: info?.NodeAddr ?? '',
    ...(info?.Nodes === undefined ? {} : { nodes: info.Nodes }),
    ...(info?.Managers === undefined ? {} : { managers: info.Managers }),
  };
}

export const notInSwarmMessage = 'the Docker engine is not in a swarm';
export const notInSwarmHint = 'run `docker swarm init` (single node) or use --platform docker';

/**
 * The swarm manager node the platform runs on; INVALID_CONFIG (exit 2) otherwise: services can only be
 * created through a manager, and a run on an engine outside a swarm is a wrong choice of platform.
 */
export function requireSwarmManager(membership: SwarmMembership): { readonly nodeId: string } {
  if (!membership.inSwarm) {
    const detail = membership.state === 'inactive' ? '' : ` (its swarm state is ${membership.state}${membership.error === undefined ? '' : `: ${membership.error}`})`;
    throw new ChaosError('INVALID_CONFIG', `${notInSwarmMessage}${detail}`, { hint: notInSwarmHint });
  }
  if (membership.role !== 'manager') {
    throw new ChaosError('INVALID_CONFIG', 'the Docker engine is a swarm worker, not a manager: services can only be created through a manager', {
      hint: 'run the harness against a manager (DOCKER_HOST of a manager node; `docker node promote` this one) or use --platform docker',
    });
  }
  return { nodeId: membership.nodeId };
}

/** One line for `chaos doctor`. */
export function describeSwarm(membership: SwarmMembership): string {
  if (!membership.inSwarm) return `not in a swarm (${membership.state}${membership.error === undefined ? '' : `: ${membership.error}`})`;
  const counts = membership.nodes === undefined ? '' : `, ${membership.nodes} node${membership.nodes === 1 ? '' : 's'} (${membership.managers ?? '?'} manager${membership.managers === 1 ? '' : 's'})`;
  return `${membership.role} ${membership.nodeId} at ${membership.nodeAddr}${counts}`;
}
