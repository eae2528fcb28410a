import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../harness/errors.js';
import { checkEngineTrustsRegistry, engineTrustsPlainHttp } from '../../../harness/platform/registry-trust.js';

const engineDefaults = { IndexConfigs: { 'docker.io': { Secure: true } }, InsecureRegistryCIDRs: ['127.0.0.0/8'] };

describe('engineTrustsPlainHttp', () => {
  it('takes loopback registries over HTTP, as every engine does', () => {
    expect(engineTrustsPlainHttp('127.0.0.1:5000', engineDefaults)).toBe(true);
    expect(engineTrustsPlainHttp('127.8.9.1:5123', engineDefaults)).toBe(true);
    expect(engineTrustsPlainHttp('127.0.0.1:5000', undefined)).toBe(true);
  });

  it('takes a registry named in insecure-registries, by name or by a range holding its address', () => {
    expect(engineTrustsPlainHttp('10.213.0.1:5000', { ...engineDefaults, IndexConfigs: { '10.213.0.1:5000': { Secure: false } } })).toBe(true);
    expect(engineTrustsPlainHttp('registry.lan:5000', { IndexConfigs: { 'registry.lan:5000': { Secure: false } } })).toBe(true);
    expect(engineTrustsPlainHttp('10.213.0.1:5000', { InsecureRegistryCIDRs: ['127.0.0.0/8', '10.213.0.0/24'] })).toBe(true);
    expect(engineTrustsPlainHttp('[fd00::1]:5000', { InsecureRegistryCIDRs: ['fd00::/8'] })).toBe(true);
  });

  it('refuses any other address or name, and a registry listed as secure', () => {
    expect(engineTrustsPlainHttp('10.213.0.1:5000', engineDefaults)).toBe(false);
    expect(engineTrustsPlainHttp('10.213.1.1:5000', { InsecureRegistryCIDRs: ['10.213.0.0/24'] })).toBe(false);
    expect(engineTrustsPlainHttp('registry.lan:5000', engineDefaults)).toBe(false);
    expect(engineTrustsPlainHttp('10.213.0.1:5000', { IndexConfigs: { '10.213.0.1:5000': { Secure: true } }, InsecureRegistryCIDRs: [] })).toBe(false);
    expect(engineTrustsPlainHttp('127.0.0.1:5000', { InsecureRegistryCIDRs: [] })).toBe(false);
  });
});

describe('checkEngineTrustsRegistry', () => {
  it('asks the engine once and refuses an untrusted registry with the daemon.json fix', async () => {
    const api = { info: async () => ({ RegistryConfig: engineDefaults }) };
    await expect(checkEngineTrustsRegistry(api, '127.0.0.1:5000')).resolves.toBeUndefined();
    const error: unknown = await checkEngineTrustsRegistry(api, '10.213.0.1:5000').catch((e: unknown) => e);
    expect(isChaosError(error) && error.code).toBe('IMAGE_UNAVAILABLE');
    expect(String((error as Error).message)).toContain('10.213.0.1:5000 over HTTPS');
    expect(isChaosError(error) && error.hint).toContain('"insecure-registries": ["10.213.0.1:5000"]');
  });
});
