import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { choosePlatformKind, newRunId, type PlatformProbes } from '../../../harness/platform/create-platform.js';

const probes = (docker: boolean, toxiproxy: string | undefined): PlatformProbes & { dockerAsked: number } => {
  const fake = {
    dockerAsked: 0,
    async dockerAnswers() {
      fake.dockerAsked += 1;
      return docker;
    },
    toxiproxyServer: () => toxiproxy,
  };
  return fake;
};

async function codeOf(promise: Promise<unknown>): Promise<ChaosError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ChaosError);
  return error as ChaosError;
}

describe('choosePlatformKind', () => {
  it('auto picks docker when an engine answers, even with toxiproxy-server present', async () => {
    expect(await choosePlatformKind('auto', probes(true, '/usr/bin/toxiproxy-server'))).toBe('docker');
    expect(await choosePlatformKind('auto', probes(true, undefined))).toBe('docker');
  });

  it('auto falls back to local when no engine answers but toxiproxy-server is on PATH', async () => {
    expect(await choosePlatformKind('auto', probes(false, '/usr/bin/toxiproxy-server'))).toBe('local');
  });

  it('auto with neither is NO_PLATFORM naming both fixes', async () => {
    const error = await codeOf(choosePlatformKind('auto', probes(false, undefined)));
    expect(error.code).toBe('NO_PLATFORM');
    expect(error.hint).toContain('npm run setup');
    expect(error.hint).toContain('toxiproxy-server');
    expect(error.hint).toContain('--platform local');
    expect(error.exitCode).toBe(3);
  });

  it('explicit docker without an engine is DOCKER_UNAVAILABLE with the fix', async () => {
    const error = await codeOf(choosePlatformKind('docker', probes(false, '/usr/bin/toxiproxy-server')));
    expect(error.code).toBe('DOCKER_UNAVAILABLE');
    expect(error.hint).toBe('start dockerd (npm run setup) or use --platform local');
  });

  it('explicit local does not even ask for Docker', async () => {
    const fake = probes(true, undefined);
    expect(await choosePlatformKind('local', fake)).toBe('local');
    expect(fake.dockerAsked).toBe(0);
  });
});

describe('newRunId', () => {
  it('is short, DNS-safe and sorts by start time', () => {
    const early = newRunId(1_700_000_000_000, Buffer.from([255, 255, 255]));
    const late = newRunId(1_700_000_000_001, Buffer.from([0, 0, 0]));
    for (const id of [early, late]) expect(id).toMatch(/^r[a-z0-9]{13}$/);
    expect(early < late).toBe(true);
  });

  it('differs between calls', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newRunId()));
    expect(ids.size).toBe(50);
  });
});
