import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliScratch } from './cli-scratch.js';
import { invokeCli, nothingCanStart } from './invoke-cli.js';

/**
 * `chaos run --registry` and CHAOS_REGISTRY: refused before anything starts (exit 2) with another platform
 * than swarm or a malformed address; a valid one goes on to the platform check, which here (a dead Docker
 * socket, no toxiproxy-server) refuses with exit 3, so no case ever deploys. `chaos registry` with a bad
 * port, and stop and status where no registry runs.
 */

const scratch = useCliScratch('registry');
const fresh = (name: string): string => scratch.fresh(name);

/** CHAOS_REGISTRY is always passed, so that whatever the run sets it to is restored after. */
const invoke = (args: readonly string[], registryEnv = ''): Promise<{ code: number; output: string }> =>
  invokeCli(args, { ...nothingCanStart(scratch.root), CHAOS_REGISTRY: registryEnv });

describe('chaos run --registry: refused before anything starts', () => {
  const cases = [
    {
      name: '--registry with --platform local',
      args: ['--platform', 'local', '--registry', '127.0.0.1:5000'],
      code: 2,
      message: /^INVALID_CONFIG: --registry is only for --platform swarm \(the platform here is local\); add --platform swarm, or drop --registry/m,
    },
    { name: '--registry with the default platform (auto never picks swarm)', args: ['--registry', '127.0.0.1:5000'], code: 2, message: /--registry is only for --platform swarm \(the platform here is auto\)/ },
    { name: '--registry with --platform docker', args: ['--platform', 'docker', '--registry', '127.0.0.1:5000'], code: 2, message: /--registry is only for --platform swarm/ },
    {
      name: 'a scheme',
      args: ['--platform', 'swarm', '--registry', 'http://127.0.0.1:5000'],
      code: 2,
      message: /^INVALID_CONFIG: --registry "http:\/\/127\.0\.0\.1:5000" is not a registry address \(host:port\): it has a scheme.*; give the registry as host:port with no scheme or path, e\.g\. --registry 127\.0\.0\.1:5000$/m,
    },
    { name: 'no port', args: ['--platform', 'swarm', '--registry', 'registry.lan'], code: 2, message: /--registry "registry\.lan" is not a registry address \(host:port\): it has no port/ },
    { name: 'port 0', args: ['--platform', 'swarm', '--registry', '127.0.0.1:0'], code: 2, message: /port "0" is not a port from 1 to 65535/ },
    { name: 'a path', args: ['--platform', 'swarm', '--registry', '127.0.0.1:5000/v2/'], code: 2, message: /it has a path/ },
    {
      name: 'a malformed CHAOS_REGISTRY with --platform swarm',
      args: ['--platform', 'swarm'],
      env: '127.0.0.1',
      code: 2,
      message: /^INVALID_CONFIG: CHAOS_REGISTRY "127\.0\.0\.1" is not a registry address \(host:port\): it has no port; .*e\.g\. CHAOS_REGISTRY=127\.0\.0\.1:5000$/m,
    },
    // Valid, or not for this platform: on to the platform check, which refuses (exit 3) before anything starts.
    { name: 'a valid --registry with --platform swarm', args: ['--platform', 'swarm', '--registry', '127.0.0.1:5000'], code: 3, message: /DOCKER_UNAVAILABLE: no Docker engine answers/ },
    { name: 'CHAOS_REGISTRY is ignored by --platform local', args: ['--platform', 'local'], env: 'http://nonsense', code: 3, message: /TOXIPROXY_UNAVAILABLE: toxiproxy-server is not on PATH/ },
  ];

  it.each(cases)('$name', async ({ args, env, code, message }) => {
    const out = fresh('out');
    const result = await invoke(['run', scratch.scenario, '--out', out, ...args], env);
    expect(result.output).toMatch(message);
    expect(result.code).toBe(code);
    expect(result.output).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(scratch.root, 'run-registry'))).toBe(false);
    expect(process.env['CHAOS_REGISTRY']).toBeUndefined();
  });
});

describe('chaos registry', () => {
  it('refuses a --port that is no port (exit 2), before touching the state directory', async () => {
    const stateDir = fresh('state');
    const result = await invoke(['registry', 'start', '--state-dir', stateDir, '--port', '70000']);
    expect(result.code).toBe(2);
    expect(result.output).toContain('"70000" is not a port (an integer from 1 to 65535)');
    expect(existsSync(stateDir)).toBe(false);
  });

  it('refuses a --host that is not one of this machine\'s addresses, or every interface (exit 2), before touching the state directory', async () => {
    const stateDir = fresh('state');
    const elsewhere = await invoke(['registry', 'start', '--state-dir', stateDir, '--host', '192.0.2.77']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.output).toContain('192.0.2.77 is not an address of this machine');
    const everywhere = await invoke(['registry', 'start', '--state-dir', stateDir, '--host', '0.0.0.0']);
    expect(everywhere.code).toBe(2);
    expect(everywhere.output).toContain('0.0.0.0 listens on every interface');
    expect(existsSync(stateDir)).toBe(false);
  });

  it('stop and status say that no registry runs, and exit 0', async () => {
    const stateDir = fresh('state');
    const stop = await invoke(['registry', 'stop', '--state-dir', stateDir]);
    expect(stop).toEqual({ code: 0, output: `no registry from ${stateDir} is running; nothing to stop\n` });
    const status = await invoke(['registry', 'status', '--state-dir', stateDir]);
    expect(status).toEqual({ code: 0, output: `no registry from ${stateDir} is running (\`chaos registry start\` starts one)\n` });
  });
});
