import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../../../services/common/service-env.js';
import { supernodeConfigSchema } from '../../../services/supernode/supernode-config.js';
import { clientFleetConfigSchema } from '../../../services/client-fleet/client-fleet-config.js';
import { loginConfigSchema } from '../../../services/login/login-config.js';
import { offlineMessagesConfigSchema } from '../../../services/offline-messages/offline-messages-config.js';

const supernode = {
  secret: 'secret-123',
  mode: 'dedicated',
  clientAddress: 'toxiproxy:20001',
  overlayAddress: 'toxiproxy:20002',
  loginAddress: 'toxiproxy:20000',
  capacity: { sessions: 100, requestsPerSecond: 500 },
};

describe('role configs', () => {
  it('fills documented defaults', () => {
    const config = parseRoleConfig('supernode', supernodeConfigSchema, supernode);
    expect(config).toMatchObject({ overloadThreshold: 1, overloadGraceMs: 2_000, rejoinDelayMs: 0, standby: false, sessionTimeoutMs: 5_000 });
    expect(parseRoleConfig('login', loginConfigSchema, { secret: 'secret-123' })).toMatchObject({ wantedSupernodes: 0, hostCacheSize: 8, heartbeatTimeoutMs: 3_000 });
    expect(parseRoleConfig('offline-messages', offlineMessagesConfigSchema, { secret: 'secret-123' })).toMatchObject({ workers: 4, serviceTimeMs: 2 });
    const fleet = parseRoleConfig('client-fleet', clientFleetConfigSchema, {
      secret: 'secret-123',
      loginAddress: 'h:1',
      offlineMessagesAddress: 'h:2',
      seed: 1,
      users: { first: 0, count: 10 },
      versionMix: { '5.0.0.152': 1 },
      restartDelay: { kind: 'exponential', meanMs: 1_000, maxMs: 5_000 },
    });
    expect(fleet).toMatchObject({ buggyVersion: '5.0.0.152', crashProbability: 0.4, reconnect: { policy: 'naive', intervalMs: 500 }, contacts: [] });
  });

  it('names every bad field at once', () => {
    const bad = { ...supernode, mode: 'hybrid', clientAddress: 'no-port', capacity: { sessions: 0 }, overloadGrace: 5, standby: 'yes' };
    const error = (() => {
      try {
        parseRoleConfig('supernode', supernodeConfigSchema, bad);
        return undefined;
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(error).toMatch(/^invalid supernode config: /);
    for (const field of ['mode', 'clientAddress', 'capacity.sessions', 'capacity.requestsPerSecond', 'overloadGrace', 'standby']) expect(error).toContain(field);
  });

  it('ties peer mode to client code', () => {
    expect(() => parseRoleConfig('supernode', supernodeConfigSchema, { ...supernode, mode: 'peer' })).toThrow(/client: peer mode runs client code/);
    expect(() => parseRoleConfig('supernode', supernodeConfigSchema, { ...supernode, standby: true })).toThrow(/standby: only peer supernodes/);
  });

  it('rejects inconsistent fleet distributions and policies', () => {
    const fleet = {
      secret: 'secret-123',
      loginAddress: 'h:1',
      offlineMessagesAddress: 'h:2',
      seed: 1,
      users: { first: 0, count: 10 },
      versionMix: { a: 0 },
      restartDelay: { kind: 'uniform', minMs: 10, maxMs: 5 },
      reconnect: { policy: 'backoff', baseMs: 500, capMs: 100 },
    };
    let message = '';
    try {
      parseRoleConfig('client-fleet', clientFleetConfigSchema, fleet);
    } catch (caught) {
      message = (caught as Error).message;
    }
    for (const problem of ['versionMix: needs a positive weight', 'restartDelay: minMs must not exceed maxMs', 'reconnect: baseMs must not exceed capMs']) {
      expect(message).toContain(problem);
    }
  });
});
