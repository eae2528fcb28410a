import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerApi } from '../../harness/platform/docker-engine.js';
import { ENGINE_BOUND_ENV } from '../../harness/platform/engine-watch.js';
import { RUN_LABEL } from '../../harness/platform/platform.js';
import { runCli } from './helpers/run-cli.js';
import { smallDedicatedScenario } from './helpers/small-dedicated.js';

/*
 * An engine that stops answering, for real: dockerd frozen with SIGSTOP in the middle of a run's
 * timeline, for longer than the run's bound on engine silence. The run must end `unknown` (exit 3)
 * within the bound plus its teardown's, naming the engine and the fix; once dockerd is thawed,
 * `chaos doctor --clean` leaves nothing of the run.
 */

const boundMs = 8_000;
/** The bound, then a teardown whose engine calls all fail at once, and the reports. */
const allowedAfterFreezeMs = boundMs + 12_000;
const frozenMs = boundMs + 20_000;

const scenario = smallDedicatedScenario({
  name: 'engine-hang',
  description: 'A small dedicated network whose engine stops answering mid-run.',
  oneHour: '1s',
  seed: 31,
  supernodes: 2,
  clients: 10,
  availabilityFloor: 0.5,
  backoffCapMs: 2_000,
  rampUpMs: 500,
  steadyState: { hold: '1h', within: '30h' },
  sampleEveryMs: 500,
  duration: '90h',
  timeline: [{ at: '2h', action: { do: 'crash', id: 'box-lost', target: { nodes: { group: 'supernodes', count: 1 } }, restartAfter: { kind: 'fixed', value: '4h' } } }],
});

function dockerdPid(): number {
  return Number(readFileSync('/var/run/docker.pid', 'utf8').trim());
}

function thaw(): void {
  try {
    process.kill(dockerdPid(), 'SIGCONT');
  } catch {
    // Not frozen, or gone.
  }
}

describe('a Docker engine that stops answering', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sc-engine-hang-'));
  });
  afterAll(async () => {
    thaw();
    await rm(dir, { recursive: true, force: true });
  });

  it('ends the run unknown within the bound, names the fix, and leaves nothing once the engine is back', { timeout: 240_000 }, async () => {
    const file = join(dir, 'engine-hang.json');
    const out = join(dir, 'out');
    await writeFile(file, JSON.stringify(scenario));
    const history = join(out, 'history-dedicated.jsonl');
    let frozenAt: number | undefined;
    let exitedAt: number | undefined;
    let runId: string | undefined;
    process.env[ENGINE_BOUND_ENV] = String(boundMs);
    try {
      const result = await runCli(['run', file, '--platform', 'docker', '--out', out], {
        timeoutMs: 200_000,
        whileRunning: (child) => {
          child.on('exit', () => (exitedAt = Date.now()));
          const poll = setInterval(() => {
            if (!existsSync(history)) return;
            const text = readFileSync(history, 'utf8');
            // Two scenario hours into the timeline: the crash's kill and its restart are engine calls.
            if (frozenAt === undefined && text.includes('"phase":"timeline"') && text.includes('box-lost')) {
              // The only run on the engine (integration tests run one file at a time).
              runId = execFileSync('docker', ['ps', '--filter', `label=${RUN_LABEL}`, '--format', `{{.Label "${RUN_LABEL}"}}`], { encoding: 'utf8' }).split('\n')[0];
              frozenAt = Date.now();
              process.kill(dockerdPid(), 'SIGSTOP');
              setTimeout(thaw, frozenMs).unref();
            }
          }, 100);
          child.on('exit', () => clearInterval(poll));
        },
      });
      expect(frozenAt, 'the run reached the timeline').toBeDefined();
      expect(result.code, result.stderr).toBe(3);
      expect((exitedAt as number) - (frozenAt as number)).toBeLessThanOrEqual(allowedAfterFreezeMs);
      const output = result.stdout + result.stderr;
      expect(output).toContain('Docker engine not answering');
      expect(output).toContain('restart dockerd');
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { runs: { architecture: string; verdict: string }[] };
      expect(report.runs.map((run) => [run.architecture, run.verdict])).toEqual([['dedicated', 'unknown']]);
    } finally {
      delete process.env[ENGINE_BOUND_ENV];
      thaw();
    }
    // The engine is back: what the run could not remove is removed by the doctor.
    const doctor = await runCli(['doctor', '--clean'], { timeoutMs: 120_000 });
    expect(doctor.stdout + doctor.stderr).not.toContain('ENGINE_NOT_ANSWERING');
    const api = await dockerApi();
    const filters = { label: [`${RUN_LABEL}=${runId ?? 'none'}`] };
    expect(runId).toBeDefined();
    expect(await api.listContainers({ all: true, filters })).toEqual([]);
    expect(await api.listNetworks({ filters })).toEqual([]);
  });
});
