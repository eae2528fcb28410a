import { findOnPath } from '../../platform/find-on-path.js';
import { runCommand } from '../exec.js';

/** One way to run Compose: Debian's standalone `docker-compose` (1.29) or the `docker compose` plugin. */
export interface ComposeCli {
  readonly label: 'docker-compose' | 'docker compose';
  readonly command: string;
  /** Arguments before Compose's own (`compose` for the plugin). */
  readonly prefix: readonly string[];
  readonly version: string | null;
}

/** `docker-compose version --short` answers `1.29.2`; the plugin's `docker compose version --short` answers `2.24.5` (or `v2.24.5`). */
async function versionOf(command: string, prefix: readonly string[]): Promise<string | null> {
  const result = await runCommand(command, [...prefix, 'version', '--short'], { timeoutMs: 15_000 });
  return result.code === 0 ? (/v?(\d+\.\d+\.\d+\S*)/.exec(result.stdout)?.[1] ?? null) : null;
}

/** The standalone `docker-compose` on PATH (with its version when it answers), or null. */
export async function findStandaloneCompose(): Promise<ComposeCli | null> {
  const path = findOnPath('docker-compose');
  return path === undefined ? null : { label: 'docker-compose', command: path, prefix: [], version: await versionOf(path, []) };
}

/** The `docker compose` plugin, when the docker CLI has it. */
export async function findComposePlugin(): Promise<ComposeCli | null> {
  const docker = findOnPath('docker');
  if (docker === undefined) return null;
  const version = await versionOf(docker, ['compose']);
  return version === null ? null : { label: 'docker compose', command: docker, prefix: ['compose'], version };
}

/** Every Compose this machine has, standalone first. */
export async function findComposeClis(): Promise<ComposeCli[]> {
  const found = await Promise.all([findStandaloneCompose(), findComposePlugin()]);
  return found.filter((cli): cli is ComposeCli => cli !== null);
}
