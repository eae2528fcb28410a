import { freeLoopbackPort } from '../../../harness/platform/free-port.js';
import type { ServiceEnvironment, ServiceRoleName } from '../../../services/common/service-env.js';
import type { ProcessHooks } from '../../../services/common/process-hooks.js';
import { startLoginService, type RunningLogin } from '../../../services/login/login-service.js';
import { startOfflineMessagesService, type RunningOfflineMessages } from '../../../services/offline-messages/offline-messages-service.js';
import { startSupernodeService, type RunningSupernode } from '../../../services/supernode/supernode-service.js';
import { startClientFleetService, type RunningFleet } from '../../../services/client-fleet/client-fleet-service.js';
import type { SupernodeConfigInput } from '../../../services/supernode/supernode-config.js';
import type { ClientFleetConfigInput } from '../../../services/client-fleet/client-fleet-config.js';
import type { OfflineMessagesConfigInput } from '../../../services/offline-messages/offline-messages-config.js';
import type { LoginConfigInput } from '../../../services/login/login-config.js';

export const secret = 'test-secret-123';


export function serviceEnv(role: ServiceRoleName, name: string, servicePort: number, config: unknown): ServiceEnvironment {
  return { role, name, bindHost: '127.0.0.1', servicePort, controlPort: 0, config };
}

export class ExitRecorder implements ProcessHooks {
  readonly exits: { code: number; reason: string }[] = [];
  exit(code: number, reason: string): void {
    this.exits.push({ code, reason });
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface LocalNetwork {
  readonly login: RunningLogin;
  readonly offline: RunningOfflineMessages;
  readonly supernodes: Map<string, RunningSupernode>;
  readonly exits: ExitRecorder;
  readonly loginAddress: string;
  readonly offlineAddress: string;
  startSupernode(name: string, overrides?: Partial<SupernodeConfigInput>): Promise<RunningSupernode>;
  startFleet(name: string, config: Partial<ClientFleetConfigInput> & Pick<ClientFleetConfigInput, 'users'>): Promise<RunningFleet>;
  close(): Promise<void>;
}

/** Real services on 127.0.0.1 ephemeral ports, dialling each other directly (no Toxiproxy). */
export async function startLocalNetwork(options: {
  login?: Partial<LoginConfigInput>;
  offline?: Partial<OfflineMessagesConfigInput>;
} = {}): Promise<LocalNetwork> {
  const exits = new ExitRecorder();
  const login = await startLoginService(serviceEnv('login', 'login', 0, { secret, heartbeatTimeoutMs: 1_500, ...options.login }), exits);
  const offline = await startOfflineMessagesService(serviceEnv('offline-messages', 'offline', 0, { secret, ...options.offline }));
  const loginAddress = `127.0.0.1:${login.port}`;
  const offlineAddress = `127.0.0.1:${offline.port}`;
  const supernodes = new Map<string, RunningSupernode>();
  const fleets: RunningFleet[] = [];
  return {
    login,
    offline,
    supernodes,
    exits,
    loginAddress,
    offlineAddress,
    async startSupernode(name, overrides = {}) {
      const port = await freeLoopbackPort();
      const address = `127.0.0.1:${port}`;
      const config: SupernodeConfigInput = {
        secret,
        mode: 'dedicated',
        clientAddress: address,
        overlayAddress: address,
        loginAddress,
        capacity: { sessions: 1_000, requestsPerSecond: 100_000 },
        loginHeartbeatMs: 200,
        sessionTimeoutMs: 1_500,
        ...overrides,
      };
      const supernode = await startSupernodeService(serviceEnv('supernode', name, port, config), exits);
      supernodes.set(name, supernode);
      return supernode;
    },
    async startFleet(name, config) {
      const fleet = await startClientFleetService(
        serviceEnv('client-fleet', name, 0, {
          secret,
          seed: 7,
          loginAddress,
          offlineMessagesAddress: offlineAddress,
          versionMix: { '5.0.0.156': 1 },
          restartDelay: { kind: 'fixed', ms: 100 },
          heartbeatIntervalMs: 300,
          requestTimeoutMs: 2_000,
          startSpreadMs: 300,
          ...config,
        }),
      );
      fleets.push(fleet);
      return fleet;
    },
    async close() {
      await Promise.all(fleets.map((fleet) => fleet.close()));
      await Promise.all([...supernodes.values()].map((supernode) => supernode.close()));
      await offline.close();
      await login.close();
    },
  };
}

/**
 * One dedicated supernode on a free loopback port, dialling the login at `loginAddress` (a real one, a
 * scripted stand-in, or nothing at all), with generous capacity; `overrides` set the rest.
 */
export async function startLoneSupernode(name: string, loginAddress: string, overrides: Partial<SupernodeConfigInput>): Promise<RunningSupernode> {
  const port = await freeLoopbackPort();
  const address = `127.0.0.1:${port}`;
  return startSupernodeService(
    serviceEnv('supernode', name, port, {
      secret,
      mode: 'dedicated',
      clientAddress: address,
      overlayAddress: address,
      loginAddress,
      capacity: { sessions: 100, requestsPerSecond: 10_000 },
      ...overrides,
    }),
    new ExitRecorder(),
  );
}
