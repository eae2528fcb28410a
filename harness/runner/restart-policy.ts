import type { NodeExitCause } from '../../services/protocol/exit-codes.js';
import type { ServiceRole } from '../platform/platform.js';
import { toRealDistribution, type RealDistribution, type TimeScaleConverter } from '../scenario/time-scale.js';
import type { LoadSpec, TopologySpec } from '../scenario/types.js';

/** Why the supervisor saw a node go down: its exit code's cause, or a kill the harness made itself. */
export type DownCause = NodeExitCause | 'fault';

/** How long until a node that went down is started again (real time); undefined: it stays down. */
export type RestartPolicy = (role: ServiceRole, cause: DownCause) => RealDistribution | undefined;

/**
 * Users restart their supernodes after `load.restartDelay`. Login is started again only when it shut
 * itself down under overload (`login.overloadShutdown`), after its `restartAfter` or else the same
 * restart delay. Every other node stays down unless its fault says otherwise (a crash's `restartAfter`).
 */
export function restartPolicy(load: Pick<LoadSpec, 'restartDelay'>, topology: Pick<TopologySpec, 'login'>, scale: TimeScaleConverter): RestartPolicy {
  const users = toRealDistribution(load.restartDelay, scale);
  const shutdown = topology.login?.overloadShutdown;
  const login = shutdown === undefined ? undefined : toRealDistribution(shutdown.restartAfter ?? load.restartDelay, scale);
  return (role, cause) => {
    if (role === 'supernode') return users;
    if (role === 'login' && cause === 'self-protection') return login;
    return undefined;
  };
}
