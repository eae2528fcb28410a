import { describe, expect, it } from 'vitest';
import type { DoctorFacts, DoctorImage } from '../../../harness/doctor/doctor-facts.js';
import { judgeDoctor } from '../../../harness/doctor/doctor-verdict.js';
import type { MachineProbes } from '../../../harness/provision/probes.js';
import { bareDebianRoot, names, provisionedMachine } from '../provision/fake-probes.js';

function image(role: DoctorImage['role'], overrides: Partial<DoctorImage> = {}): DoctorImage {
  const name = names[role];
  return { role, name, present: true, origin: 'offline-build', pullable: null, pullError: null, buildable: true, current: null, ...overrides };
}

function facts(probes: MachineProbes, overrides: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    probes,
    images: probes.images === null ? null : [image('toxiproxy'), image('nodeBase'), image('services', { origin: 'local-build', current: true })],
    leftovers: [],
    cleaned: null,
    ...overrides,
  };
}

const codes = (f: DoctorFacts): string[] => judgeDoctor(f).problems.map((p) => p.code);

describe('judgeDoctor', () => {
  it('passes a provisioned machine on both platforms with no problems', () => {
    const verdict = judgeDoctor(facts(provisionedMachine()));
    expect(verdict).toEqual({ platforms: { docker: true, local: true }, problems: [], exitCode: 0 });
  });

  it('fails a bare machine with exit 3, naming every missing part and its fix', () => {
    const verdict = judgeDoctor(facts(bareDebianRoot()));
    expect(verdict.exitCode).toBe(3);
    expect(verdict.platforms).toEqual({ docker: false, local: false });
    expect(verdict.problems.map((p) => p.code)).toEqual([
      'DOCKER_UNAVAILABLE',
      'TOXIPROXY_UNAVAILABLE',
      'BUNDLE_MISSING',
      'CHROMIUM_UNAVAILABLE',
      'NO_PLATFORM',
    ]);
    for (const problem of verdict.problems) expect(problem.hint.length).toBeGreaterThan(10);
    expect(verdict.problems.find((p) => p.code === 'TOXIPROXY_UNAVAILABLE')?.hint).toContain('npm run setup');
  });

  it('still passes (local) without an engine when toxiproxy-server and the bundle are there', () => {
    const probes: MachineProbes = { ...provisionedMachine(), engine: { answers: false, reason: 'no socket' }, images: null };
    const verdict = judgeDoctor(facts(probes));
    expect(verdict.platforms).toEqual({ docker: false, local: true });
    expect(verdict.exitCode).toBe(0);
    expect(verdict.problems.map((p) => p.code)).toEqual(['DOCKER_UNAVAILABLE']);
  });

  it('takes the docker platform away from an engine that answers its ping but not its network list, naming the restart', () => {
    const provisioned = provisionedMachine();
    if (!provisioned.engine.answers) throw new Error('the fixture has an engine');
    const verdict = judgeDoctor(facts({ ...provisioned, engine: { ...provisioned.engine, networksAnswer: false } }));
    expect(verdict.platforms).toEqual({ docker: false, local: true });
    const stuck = verdict.problems.find((p) => p.code === 'ENGINE_NOT_ANSWERING');
    expect(stuck?.severity).toBe('error');
    expect(stuck?.hint).toMatch(/restart dockerd.*chaos doctor --clean/);
  });

  it('says a network the engine refuses to remove blocks no run, and how a restart clears it', () => {
    const f = facts(provisionedMachine(), { cleaned: { removed: 3, failures: ['network sc-r1: (HTTP code 403) error while removing network: network sc-r1 id 0817 has active endpoints'] } });
    const refused = judgeDoctor(f).problems.find((p) => p.code === 'LEFTOVERS_FOUND');
    expect(refused?.severity).toBe('warning');
    expect(refused?.hint).toMatch(/blocks no run.*restart dockerd/);
    expect(judgeDoctor(f).platforms.docker).toBe(true);
  });

  it('passes (docker) without toxiproxy-server when the engine has every image', () => {
    const verdict = judgeDoctor(facts({ ...provisionedMachine(), toxiproxy: null }));
    expect(verdict.platforms).toEqual({ docker: true, local: false });
    expect(verdict.exitCode).toBe(0);
  });

  it('a missing image takes the docker platform away and says how to get it', () => {
    const f = facts(
      { ...provisionedMachine(), toxiproxy: null },
      { images: [image('toxiproxy', { present: false, origin: null, pullable: false }), image('nodeBase'), image('services')] },
    );
    const verdict = judgeDoctor(f);
    expect(verdict.exitCode).toBe(3);
    const problem = verdict.problems.find((p) => p.code === 'IMAGE_UNAVAILABLE');
    expect(problem?.message).toContain('cannot be pulled');
    expect(problem?.hint).toContain('npx chaos images');
    const unbuildable = judgeDoctor(facts(provisionedMachine(), { images: [image('toxiproxy', { present: false, origin: null, pullable: false, buildable: false })] }));
    expect(unbuildable.problems.find((p) => p.code === 'IMAGE_UNAVAILABLE')?.hint).toContain('CHAOS_TOXIPROXY_IMAGE');
  });

  it('warns, without failing, about leftovers, a stale services image, a wrong toxiproxy version and no chromium', () => {
    const f = facts(
      { ...provisionedMachine(), chromiumPath: null, toxiproxy: { path: '/usr/bin/toxiproxy-server', version: '2.5.0', static: false } },
      {
        images: [image('toxiproxy'), image('nodeBase'), image('services', { current: false })],
        leftovers: [{ kind: 'container', id: 'abc', runId: 'r1', description: 'supernode-1' }],
      },
    );
    const verdict = judgeDoctor(f);
    expect(verdict.exitCode).toBe(0);
    expect(codes(f)).toEqual(['IMAGE_STALE', 'TOXIPROXY_UNAVAILABLE', 'CHROMIUM_UNAVAILABLE', 'LEFTOVERS_FOUND']);
    expect(verdict.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(verdict.problems.find((p) => p.code === 'LEFTOVERS_FOUND')?.hint).toContain('--clean');
  });

  it('warns, without taking a platform away, about a registry that does not answer, with the fix for where it came from', () => {
    const silent = { address: '127.0.0.1:5000', answers: false, reason: 'no registry answers at 127.0.0.1:5000 (connect ECONNREFUSED)' };
    const fromEnv = judgeDoctor(facts(provisionedMachine(), { registry: { source: 'CHAOS_REGISTRY', ...silent } }));
    expect(fromEnv.exitCode).toBe(0);
    expect(fromEnv.platforms).toEqual({ docker: true, local: true });
    expect(fromEnv.problems).toEqual([
      {
        code: 'REGISTRY_UNAVAILABLE',
        message: `CHAOS_REGISTRY names 127.0.0.1:5000, which does not answer (${silent.reason}): a --platform swarm run would refuse to start`,
        hint: 'start it (`npx chaos registry start` for 127.0.0.1:5000), point CHAOS_REGISTRY at a registry that answers, or unset it',
        severity: 'warning',
      },
    ]);
    const started = judgeDoctor(facts(provisionedMachine(), { registry: { source: 'chaos registry start', ...silent } }));
    expect(started.problems[0]?.hint).toContain('`npx chaos registry stop`, then `npx chaos registry start`');
    expect(codes(facts(provisionedMachine(), { registry: { source: 'CHAOS_REGISTRY', address: '127.0.0.1:5000', answers: true, reason: null } }))).toEqual([]);
  });
});
