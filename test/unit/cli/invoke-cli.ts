import { vi } from 'vitest';
import { main } from '../../../harness/cli.js';

/** Runs `chaos <args>` in this process with `env` added, capturing everything it writes; the environment and exit code are restored after. */
export async function invokeCli(args: readonly string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  let output = '';
  const capture = (chunk: string | Uint8Array): boolean => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const exitCode = process.exitCode;
  Object.assign(process.env, env);
  try {
    return { code: await main(args), output };
  } finally {
    process.exitCode = exitCode;
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** The environment of a machine where nothing can start: no Docker socket, no toxiproxy-server on PATH. */
export function nothingCanStart(root: string): Record<string, string> {
  return { DOCKER_HOST: 'unix:///nonexistent.sock', PATH: `${root}/empty-path`, CHAOS_RUN_REGISTRY: `${root}/run-registry` };
}
