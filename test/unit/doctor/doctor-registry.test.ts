import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRegistryFact, type DoctorFacts } from '../../../harness/doctor/doctor-facts.js';
import { doctorJson, doctorText } from '../../../harness/doctor/doctor-render.js';
import { judgeDoctor } from '../../../harness/doctor/doctor-verdict.js';
import { identityOf } from '../../../harness/platform/process-identity.js';
import { registryFiles } from '../../../harness/platform/registry-server.js';
import { provisionedMachine } from '../provision/fake-probes.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chaos-doctor-registry-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const answering =
  (status: number): typeof fetch =>
  async () =>
    new Response('', { status });
const refusing: typeof fetch = async () => {
  throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:5000') });
};

describe('collectRegistryFact', () => {
  it('asks the registry CHAOS_REGISTRY names', async () => {
    const empty = join(root, 'none');
    expect(await collectRegistryFact({ CHAOS_REGISTRY: '127.0.0.1:5000' }, empty, answering(200))).toEqual({ source: 'CHAOS_REGISTRY', address: '127.0.0.1:5000', answers: true, reason: null });
    expect(await collectRegistryFact({ CHAOS_REGISTRY: '127.0.0.1:5000' }, empty, refusing)).toEqual({
      source: 'CHAOS_REGISTRY',
      address: '127.0.0.1:5000',
      answers: false,
      reason: 'no registry answers at 127.0.0.1:5000 (GET http://127.0.0.1:5000/v2/: connect ECONNREFUSED 127.0.0.1:5000)',
    });
    const malformed = await collectRegistryFact({ CHAOS_REGISTRY: 'http://x:1' }, empty, answering(200));
    expect(malformed).toMatchObject({ answers: false, reason: expect.stringContaining('is not a registry address') });
  });

  it('otherwise reports a registry `chaos registry start` runs, and nothing when none runs', async () => {
    const stateDir = join(root, 'state');
    expect(await collectRegistryFact({}, stateDir, answering(200))).toBeNull();
    mkdirSync(stateDir);
    writeFileSync(registryFiles(stateDir).pid, JSON.stringify({ ...identityOf(process.pid), address: '127.0.0.1:5123' }));
    expect(await collectRegistryFact({ CHAOS_REGISTRY: '' }, stateDir, answering(200))).toEqual({ source: 'chaos registry start', address: '127.0.0.1:5123', answers: true, reason: null });
  });
});

describe('whether this engine pushes to the registry over HTTP', () => {
  const config = (insecure: string[]) => async () => ({ InsecureRegistryCIDRs: ['127.0.0.0/8', ...insecure] });

  it('is asked of the engine only for a registry that answers, and said when it is', async () => {
    const empty = join(root, 'none-http');
    expect(await collectRegistryFact({ CHAOS_REGISTRY: '10.213.0.1:5000' }, empty, answering(200), config([]))).toMatchObject({ answers: true, pushesOverHttp: false });
    expect(await collectRegistryFact({ CHAOS_REGISTRY: '10.213.0.1:5000' }, empty, answering(200), config(['10.213.0.0/24']))).toMatchObject({ pushesOverHttp: true });
    expect(await collectRegistryFact({ CHAOS_REGISTRY: '10.213.0.1:5000' }, empty, refusing, config([]))).not.toHaveProperty('pushesOverHttp');
    const engineSilent = async () => {
      throw new Error('no engine');
    };
    expect(await collectRegistryFact({ CHAOS_REGISTRY: '10.213.0.1:5000' }, empty, answering(200), engineSilent)).not.toHaveProperty('pushesOverHttp');
  });

  it('is a warning with the daemon.json fix when the engine would push over HTTPS', () => {
    const facts: DoctorFacts = {
      probes: provisionedMachine(),
      images: [],
      leftovers: [],
      cleaned: null,
      registry: { source: 'CHAOS_REGISTRY', address: '10.213.0.1:5000', answers: true, reason: null, pushesOverHttp: false },
    };
    const text = doctorText(facts, judgeDoctor(facts));
    expect(text).toMatch(/^registry {10}answers {3}10\.213\.0\.1:5000 \(CHAOS_REGISTRY; this engine would push to it over HTTPS\)$/m);
    expect(text).toMatch(/^warn {2}REGISTRY_NOT_TRUSTED: .*10\.213\.0\.1:5000 over HTTPS.*; fix: .*"insecure-registries": \["10\.213\.0\.1:5000"\]/m);
    const trusted = { ...facts, registry: { ...facts.registry!, pushesOverHttp: true } };
    expect(judgeDoctor(trusted).problems.map((problem) => problem.code)).not.toContain('REGISTRY_NOT_TRUSTED');
  });
});

describe('the doctor report', () => {
  const base: DoctorFacts = { probes: provisionedMachine(), images: [], leftovers: [], cleaned: null };

  it('has a registry row only when there is a registry to report', () => {
    expect(doctorText(base, judgeDoctor(base))).not.toMatch(/^registry/m);
    const facts: DoctorFacts = { ...base, registry: { source: 'CHAOS_REGISTRY', address: '127.0.0.1:5000', answers: false, reason: 'refused' } };
    const verdict = judgeDoctor(facts);
    const text = doctorText(facts, verdict);
    expect(text).toMatch(/^registry {10}silent {4}127\.0\.0\.1:5000 \(CHAOS_REGISTRY\)$/m);
    expect(text).toMatch(/^warn {2}REGISTRY_UNAVAILABLE: CHAOS_REGISTRY names 127\.0\.0\.1:5000.*; fix: start it/m);
    const started: DoctorFacts = { ...base, registry: { source: 'chaos registry start', address: '127.0.0.1:5000', answers: true, reason: null } };
    expect(doctorText(started, judgeDoctor(started))).toMatch(/^registry {10}answers {3}127\.0\.0\.1:5000 \(started by chaos registry start\)$/m);
    expect(doctorJson(facts, verdict)['registry']).toEqual(facts.registry);
    expect(doctorJson(base, judgeDoctor(base))['registry']).toBeNull();
  });
});
