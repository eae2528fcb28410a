import { chmod, copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ChaosError } from '../errors.js';
import { runCommand, tailOf } from './exec.js';

/** Absolute paths of the shared libraries (and the loader) in `ldd` output; the vDSO has no file. */
export function parseLddOutput(output: string): string[] {
  const libraries = new Set<string>();
  for (const line of output.split('\n')) {
    const arrow = /=>\s+(\/\S+)\s+\(0x/.exec(line);
    const bare = /^\s*(\/\S+)\s+\(0x/.exec(line);
    const found = arrow?.[1] ?? bare?.[1];
    if (found !== undefined) libraries.add(found);
  }
  return [...libraries];
}

/**
 * Lays out `rootfs/` for a `FROM scratch` Node image: node at /usr/local/bin/node, each
 * library at the path the loader looks for it (symlinks resolved to file contents), and /tmp.
 */
export async function assembleNodeRootfs(rootfs: string, nodePath: string, lddPath: string): Promise<string[]> {
  const ldd = await runCommand(lddPath, [nodePath], { timeoutMs: 30_000 });
  const libraries = parseLddOutput(ldd.stdout);
  if (ldd.code !== 0 || libraries.length === 0) {
    throw new ChaosError('IMAGE_BUILD_FAILED', `ldd ${nodePath} named no shared libraries`, {
      hint: 'build the node base image on a glibc Linux host, or set CHAOS_NODE_IMAGE to an image you have',
      details: tailOf(ldd),
    });
  }
  const binDir = path.join(rootfs, 'usr', 'local', 'bin');
  await mkdir(binDir, { recursive: true });
  await copyFile(nodePath, path.join(binDir, 'node'));
  await chmod(path.join(binDir, 'node'), 0o755);
  for (const library of libraries) {
    const target = path.join(rootfs, library);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(library, target);
    await chmod(target, 0o755);
  }
  const tmp = path.join(rootfs, 'tmp');
  await mkdir(tmp, { recursive: true });
  await chmod(tmp, 0o1777);
  return libraries;
}
