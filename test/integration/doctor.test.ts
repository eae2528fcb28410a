import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defaultImageNames } from '../../harness/config/images.js';

interface DoctorDocument {
  engine: { answers: boolean; version?: string };
  toxiproxy: { path: string | null; version: string | null };
  images: { role: string; name: string; present: boolean }[];
  leftovers: unknown[];
  platforms: { docker: boolean; local: boolean };
  problems: { code: string; message: string; hint: string }[];
}

describe('chaos doctor --json', () => {
  it('exits 0 on this provisioned machine and reports the engine, toxiproxy-server 2.12.0 and the images', () => {
    const env = { ...process.env };
    for (const key of ['CHAOS_TOXIPROXY_IMAGE', 'CHAOS_NODE_IMAGE', 'CHAOS_SERVICES_IMAGE']) delete env[key];
    const result = spawnSync('npx', ['tsx', 'harness/cli.ts', 'doctor', '--json'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorDocument;
    expect(report.engine.answers).toBe(true);
    expect(report.engine.version).toMatch(/^\d+\.\d+/);
    expect(report.toxiproxy.version).toBe('2.12.0');
    expect(report.toxiproxy.path).toMatch(/toxiproxy-server$/);
    expect(report.images.map((i) => [i.role, i.name, i.present])).toEqual([
      ['toxiproxy', defaultImageNames.toxiproxy, true],
      ['nodeBase', defaultImageNames.nodeBase, true],
      ['services', defaultImageNames.services, true],
    ]);
    expect(report.platforms).toEqual({ docker: true, local: true });
    expect(Array.isArray(report.leftovers)).toBe(true);
    expect(report.problems.filter((p) => !['LEFTOVERS_FOUND', 'IMAGE_STALE'].includes(p.code))).toEqual([]);
  });

  it('exits 3 with every problem and its fix when no platform can start', () => {
    // No toxiproxy-server on PATH (no local platform) and an image the engine lacks (no docker platform).
    const absent = `supernode-chaos-test/absent:${process.pid}`;
    const env = { ...process.env, PATH: '/nonexistent' };
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'harness/cli.ts', 'doctor', '--json', '--toxiproxy-image', absent], {
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(3);
    const report = JSON.parse(result.stdout) as DoctorDocument;
    expect(report.toxiproxy.path).toBeNull();
    expect(report.images.find((i) => i.role === 'toxiproxy')).toMatchObject({ name: absent, present: false });
    expect(report.platforms).toEqual({ docker: false, local: false });
    const codes = report.problems.map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['IMAGE_UNAVAILABLE', 'TOXIPROXY_UNAVAILABLE', 'NO_PLATFORM']));
    for (const problem of report.problems) expect(problem.hint).not.toBe('');
  });
});
