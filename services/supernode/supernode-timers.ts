import type { WebSocketServer } from 'ws';
import { exitForSelfProtection, type ProcessHooks } from '../common/process-hooks.js';
import { CloseCode } from '../protocol/error-codes.js';
import type { LoginConversation } from './login-conversation.js';
import type { OverloadGuard } from './overload-guard.js';
import type { SupernodeCore } from './supernode-core.js';

export interface SelfProtection {
  readonly core: SupernodeCore;
  readonly guard: OverloadGuard;
  readonly login: LoginConversation;
  readonly wss: WebSocketServer;
  readonly hooks: ProcessHooks;
}

/** Every `loadCheckMs` while joining or serving: the guard decides whether the overload has lasted too long. */
export function startLoadCheck(protection: SelfProtection): NodeJS.Timeout {
  const { core, guard } = protection;
  return setInterval(() => {
    if (core.state !== 'joining' && core.state !== 'serving') return;
    const verdict = guard.observe(core.load());
    if (verdict.trip) shutDownForProtection(protection, verdict.reason);
  }, core.config.loadCheckMs);
}

/** Self-protection: tell login, turn every connection away, and exit 75. */
function shutDownForProtection({ core, login, wss, hooks }: SelfProtection, reason: string): void {
  core.state = 'shutting-down';
  core.counters.inc('selfProtectShutdowns');
  login.heartbeat();
  for (const socket of wss.clients) socket.close(CloseCode.tryAgainLater, 'supernode overloaded: self-protection');
  exitForSelfProtection(core.name, hooks, reason);
}

/** Drops client sessions whose heartbeats stopped and connections that never registered (or said hello). */
export function startSweep(core: SupernodeCore): NodeJS.Timeout {
  const config = core.config;
  return setInterval(() => {
    const now = core.clock.now();
    for (const connection of core.connections) {
      if (connection.kind === 'client' && now - connection.lastHeartbeat > config.sessionTimeoutMs) {
        core.counters.inc('sessionsExpired');
        connection.socket.close(CloseCode.goingAway, 'heartbeat timeout');
        if (core.sessions.get(connection.userId) === connection) core.sessions.delete(connection.userId);
      } else if (connection.kind === 'new' && now - connection.openedAt > config.registerTimeoutMs) {
        connection.socket.close(CloseCode.policy, 'no register in time');
      }
    }
  }, Math.min(500, config.sessionTimeoutMs / 2));
}
