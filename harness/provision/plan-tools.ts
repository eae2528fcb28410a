import type { PlannedStep } from './plan.js';
import type { MachineProbes } from './probes.js';

/** A tool the tests or the manual game day need, installed from Debian's archive when missing. */
interface AptTool {
  readonly subject: string;
  /** Where it was found, or null. */
  readonly found: string | null;
  readonly packages: readonly string[];
  readonly problem: string;
  /** Why it is needed; none of these tools blocks a run. */
  readonly purpose: string;
  /** What to do on a machine without apt. */
  readonly elsewhere: string;
}

function planAptTool(probes: MachineProbes, tool: AptTool): PlannedStep {
  const { subject } = tool;
  if (tool.found !== null) return { kind: 'ok', subject, detail: tool.found };
  if (probes.os.debian && probes.os.root) return { kind: 'apt-install', subject, packages: tool.packages };
  const fix = probes.os.debian ? `as root: \`apt-get install -y ${tool.packages.join(' ')}\` (${tool.purpose})` : `${tool.elsewhere} (${tool.purpose})`;
  return { kind: 'problem', subject, problem: tool.problem, fix, blocking: false };
}

export function planChromium(probes: MachineProbes): PlannedStep {
  return planAptTool(probes, {
    subject: 'chromium',
    found: probes.chromiumPath,
    packages: ['chromium'],
    problem: 'no /usr/bin/chromium',
    purpose: 'only the HTML report tests need it',
    elsewhere: 'install Chromium so that /usr/bin/chromium exists',
  });
}

export function planPromtool(probes: MachineProbes): PlannedStep {
  return planAptTool(probes, {
    subject: 'promtool',
    found: probes.promtoolPath,
    packages: ['prometheus'],
    problem: 'no promtool on PATH',
    purpose: 'only the metrics exposition test needs promtool',
    elsewhere: 'install Prometheus so that promtool is on PATH',
  });
}

/**
 * Debian's `docker-registry` for `chaos registry start`. Where systemd runs, the package also starts its
 * own service on :5000 on every interface; the harness never uses it.
 */
export function planDockerRegistry(probes: MachineProbes): PlannedStep {
  return planAptTool(probes, {
    subject: 'docker-registry',
    found: probes.dockerRegistryPath,
    packages: ['docker-registry'],
    problem: 'no docker-registry on PATH',
    purpose: 'only `chaos registry` and its test need it',
    elsewhere: 'install the distribution registry so that docker-registry is on PATH, or run any registry and pass --registry',
  });
}

/**
 * Debian's `docker-compose` (Compose 1.29) for docker-compose.yml, the manual game day. The Compose
 * plugin (`docker compose`) is enough where there is no apt to install the package with.
 */
export function planCompose(probes: MachineProbes): PlannedStep {
  const { standalone, plugin } = probes.compose;
  const purpose = 'only the manual game day (docker-compose.yml) and its test need it';
  if (standalone === null && plugin !== null && !(probes.os.debian && probes.os.root)) {
    return { kind: 'ok', subject: 'docker-compose', detail: `docker compose plugin ${plugin}` };
  }
  return planAptTool(probes, {
    subject: 'docker-compose',
    found: standalone === null ? null : `${standalone.path} ${standalone.version ?? '(version unknown)'}${plugin === null ? '' : `; docker compose plugin ${plugin}`}`,
    packages: ['docker-compose'],
    problem: 'neither docker-compose nor the docker compose plugin is installed',
    purpose,
    elsewhere: 'install Docker Compose (https://docs.docker.com/compose/install/)',
  });
}
