import { chmod, copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { TOXIPROXY_MODULE, TOXIPROXY_VERSION } from '../config/images.js';
import { ChaosError } from '../errors.js';
import { isExecutable, runCommand, tailOf } from './exec.js';
import { toxiproxyCacheBinary, toxiproxyCacheDir } from './paths.js';
import { toxiproxyVersionOf } from './probes.js';

/** The `go install` command line, version-stamped so `toxiproxy-server -version` says 2.12.0. */
export function goInstallArgs(): string[] {
  return [
    'install',
    '-ldflags',
    `-s -w -X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION}`,
    `${TOXIPROXY_MODULE}@v${TOXIPROXY_VERSION}`,
  ];
}

/** Builds the static server into the project cache (once) and returns its path. */
export async function ensureCachedToxiproxy(goPath: string): Promise<string> {
  if ((await isExecutable(toxiproxyCacheBinary)) && (await toxiproxyVersionOf(toxiproxyCacheBinary)) === TOXIPROXY_VERSION) {
    return toxiproxyCacheBinary;
  }
  await mkdir(toxiproxyCacheDir, { recursive: true });
  const env = {
    ...process.env,
    GOBIN: toxiproxyCacheDir,
    CGO_ENABLED: '0',
    PATH: `${path.dirname(goPath)}${path.delimiter}${process.env['PATH'] ?? ''}`,
  };
  const result = await runCommand(goPath, goInstallArgs(), { env, timeoutMs: 600_000 });
  const version = (await isExecutable(toxiproxyCacheBinary)) ? await toxiproxyVersionOf(toxiproxyCacheBinary) : null;
  if (result.code !== 0 || version !== TOXIPROXY_VERSION) {
    throw new ChaosError('PROVISION_FAILED', `go install ${TOXIPROXY_MODULE}@v${TOXIPROXY_VERSION} failed`, {
      hint: `check that the Go module proxy is reachable (GOPROXY), or download toxiproxy-server from https://github.com/Shopify/toxiproxy/releases/tag/v${TOXIPROXY_VERSION}`,
      details: result.timedOut ? ['timed out after 10 minutes'] : tailOf(result),
    });
  }
  return toxiproxyCacheBinary;
}

/** Copies the cached binary to `binDir/toxiproxy-server` (atomically, so a running server is not disturbed). */
export async function installToxiproxyServer(binary: string, binDir: string): Promise<string> {
  await mkdir(binDir, { recursive: true });
  const target = path.join(binDir, 'toxiproxy-server');
  const staging = `${target}.${process.pid}.tmp`;
  await copyFile(binary, staging);
  await chmod(staging, 0o755);
  await rename(staging, target);
  return target;
}
