import type { PlannedStep, SetupOptions } from './plan.js';
import type { MachineProbes } from './probes.js';

export function engineFix(probes: MachineProbes): string {
  if (probes.os.debian && probes.dockerdPath !== null) {
    return 'start it as root: `sudo systemctl start docker` (or `sudo dockerd &`), then rerun `npm run setup`; or use --platform local';
  }
  if (probes.os.debian) {
    return 'as root: `apt-get update && apt-get install -y docker.io`, then rerun `npm run setup` (it starts dockerd); or use --platform local';
  }
  return 'install and start Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop, then rerun `npm run setup`; or use --platform local';
}

export function planEngine(probes: MachineProbes, options: SetupOptions, localPossible: boolean): PlannedStep {
  const subject = 'docker engine';
  if (probes.engine.answers) return { kind: 'ok', subject, detail: `${probes.engine.version} at ${probes.engine.endpoint}` };
  if (options.skipEngine) return { kind: 'skip', subject, detail: 'not answering; left alone (--skip-engine)' };
  if (probes.os.debian && probes.os.root) {
    return { kind: 'install-engine', subject, installPackage: probes.dockerdPath === null };
  }
  const problem =
    probes.dockerdPath === null ? 'no Docker engine installed' : `dockerd is installed (${probes.dockerdPath}) but does not answer`;
  return { kind: 'problem', subject, problem, fix: engineFix(probes), blocking: !localPossible };
}
