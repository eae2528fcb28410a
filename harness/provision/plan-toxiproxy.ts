import { TOXIPROXY_VERSION } from '../config/images.js';
import { systemBinDir, userBinDir } from './paths.js';
import type { PlannedStep, ToxiproxySource } from './plan.js';
import type { MachineProbes } from './probes.js';

export const RELEASES_URL = `https://github.com/Shopify/toxiproxy/releases/tag/v${TOXIPROXY_VERSION}`;

export function toxiproxyUsable(probes: MachineProbes): boolean {
  return probes.toxiproxy?.version === TOXIPROXY_VERSION;
}

export function planToxiproxyServer(probes: MachineProbes, engineLikely: boolean): PlannedStep {
  const subject = 'toxiproxy-server';
  const found = probes.toxiproxy;
  if (found !== null && found.version === TOXIPROXY_VERSION) {
    return { kind: 'ok', subject, detail: `${TOXIPROXY_VERSION} at ${found.path}` };
  }
  if (probes.go !== null) {
    const systemWritable = probes.binDirs.systemWritable;
    return {
      kind: 'install-toxiproxy',
      subject,
      binDir: systemWritable ? systemBinDir : userBinDir,
      pathHint: !systemWritable && !probes.binDirs.userOnPath,
    };
  }
  const problem =
    found === null
      ? 'not on PATH, and no Go toolchain to build it'
      : `${found.path} reports ${found.version ?? 'no version'}, not ${TOXIPROXY_VERSION}, and no Go toolchain to build it`;
  return {
    kind: 'problem',
    subject,
    problem,
    fix: `install Go (https://go.dev/dl/) and rerun \`npm run setup\`, or download toxiproxy-server-linux-amd64 from ${RELEASES_URL}, make it executable and put it on PATH as toxiproxy-server`,
    blocking: !engineLikely,
  };
}

export function toxiproxySource(probes: MachineProbes): ToxiproxySource | null {
  const cached = probes.toxiproxyCache;
  if (cached !== null && cached.version === TOXIPROXY_VERSION && cached.static !== false) {
    return { from: 'binary', path: cached.path };
  }
  const onPath = probes.toxiproxy;
  if (onPath !== null && onPath.version === TOXIPROXY_VERSION && onPath.static === true) {
    return { from: 'binary', path: onPath.path };
  }
  return probes.go === null ? null : { from: 'go-install' };
}
