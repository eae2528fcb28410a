import { describeSwarm } from '../platform/swarm-membership.js';
import { imageRoleTitle } from '../provision/image-labels.js';
import type { DoctorFacts, DoctorImage, DoctorRegistry } from './doctor-facts.js';
import type { DoctorVerdict } from './doctor-verdict.js';

/** The `--json` document: one object a script can read. */
export function doctorJson(facts: DoctorFacts, verdict: DoctorVerdict): Record<string, unknown> {
  const { probes } = facts;
  return {
    engine: probes.engine.answers
      ? { answers: true, version: probes.engine.version, endpoint: probes.engine.endpoint, dockerd: probes.dockerdPath }
      : { answers: false, reason: probes.engine.reason, dockerd: probes.dockerdPath },
    toxiproxy: { path: probes.toxiproxy?.path ?? null, version: probes.toxiproxy?.version ?? null, static: probes.toxiproxy?.static ?? null },
    images: facts.images ?? [],
    chromium: { path: probes.chromiumPath },
    bundle: { path: probes.bundle.path, exists: probes.bundle.exists, sha256: probes.bundle.sha256 },
    node: probes.node,
    go: probes.go,
    swarm: facts.swarm ?? null,
    registry: facts.registry ?? null,
    leftovers: facts.leftovers,
    cleaned: facts.cleaned,
    platforms: verdict.platforms,
    problems: verdict.problems,
    exitCode: verdict.exitCode,
  };
}

function imageLine(image: DoctorImage): string {
  if (image.present) {
    const stale = image.current === false ? ', stale' : '';
    return `present   ${image.name} (${image.origin ?? 'unknown'}${stale})`;
  }
  const pull = image.pullable === null ? '' : image.pullable ? ', pullable' : ', not pullable';
  return `missing   ${image.name}${pull}${image.buildable ? ', buildable offline' : ', not buildable here'}`;
}

function registryLine(registry: DoctorRegistry): string {
  const from = registry.source === 'CHAOS_REGISTRY' ? 'CHAOS_REGISTRY' : 'started by chaos registry start';
  const https = registry.pushesOverHttp === false ? '; this engine would push to it over HTTPS' : '';
  return `${registry.answers ? 'answers' : 'silent '}   ${registry.address} (${from}${https})`;
}

/** `, swarm: yes|no` once the engine was asked: a manager of a swarm, with what the docker platform needs. */
function swarmPlatform(facts: DoctorFacts, verdict: DoctorVerdict): string {
  if (facts.swarm === undefined || facts.swarm === null) return '';
  const manager = facts.swarm.inSwarm && facts.swarm.role === 'manager';
  return `, swarm: ${verdict.platforms.docker && manager ? 'yes' : 'no'}`;
}

/** The human report: one line per thing checked, then each problem with its fix. */
export function doctorText(facts: DoctorFacts, verdict: DoctorVerdict): string {
  const { probes } = facts;
  const row = (label: string, text: string): string => `${label.padEnd(18)}${text}`;
  const lines = [
    row(
      'docker engine',
      probes.engine.answers ? `answers   ${probes.engine.version} at ${probes.engine.endpoint}` : `silent    ${probes.engine.reason}`,
    ),
    ...(facts.swarm === undefined || facts.swarm === null ? [] : [row('docker swarm', describeSwarm(facts.swarm))]),
    ...(facts.registry === undefined || facts.registry === null ? [] : [row('registry', registryLine(facts.registry))]),
    row(
      'toxiproxy-server',
      probes.toxiproxy === null
        ? 'missing   not on PATH'
        : `found     ${probes.toxiproxy.version ?? '?'} at ${probes.toxiproxy.path}${probes.toxiproxy.static === true ? ' (static)' : ''}`,
    ),
    ...(facts.images ?? []).map((image) => row(imageRoleTitle[image.role], imageLine(image))),
    ...(facts.images === null ? [row('images', 'unknown   no Docker engine to ask')] : []),
    row('services bundle', probes.bundle.exists ? `present   ${probes.bundle.path}` : `missing   ${probes.bundle.path}`),
    row('chromium', probes.chromiumPath === null ? 'missing' : `found     ${probes.chromiumPath}`),
    row('leftovers', facts.leftovers.length === 0 ? 'none' : `${facts.leftovers.length} from earlier runs`),
    ...facts.leftovers.map((l) => `                    ${l.kind} ${l.id} (run ${l.runId}): ${l.description}`),
    ...(facts.cleaned === null ? [] : [row('cleaned', `${facts.cleaned.removed} removed`)]),
    row('platforms', `docker: ${verdict.platforms.docker ? 'yes' : 'no'}, local: ${verdict.platforms.local ? 'yes' : 'no'}${swarmPlatform(facts, verdict)}`),
  ];
  if (verdict.problems.length === 0) lines.push('no problems');
  for (const problem of verdict.problems) lines.push(`${problem.severity === 'error' ? 'ERROR' : 'warn '} ${problem.code}: ${problem.message}; fix: ${problem.hint}`);
  return lines.join('\n');
}
