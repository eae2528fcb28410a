import { TOXIPROXY_VERSION } from '../config/images.js';
import { ExitCode, type ErrorCode } from '../errors.js';
import { imageRoleTitle } from '../provision/image-labels.js';
import { engineRestartHint } from '../platform/engine-watch.js';
import { engineFix } from '../provision/plan-engine.js';
import { RELEASES_URL } from '../provision/plan-toxiproxy.js';
import type { DoctorFacts, DoctorImage, DoctorRegistry } from './doctor-facts.js';
import { untrustedRegistryError } from '../platform/registry-trust.js';

export type DoctorProblemCode = ErrorCode | 'CHROMIUM_UNAVAILABLE' | 'BUNDLE_MISSING' | 'LEFTOVERS_FOUND' | 'REGISTRY_UNAVAILABLE' | 'REGISTRY_NOT_TRUSTED';

export interface DoctorProblem {
  readonly code: DoctorProblemCode;
  readonly message: string;
  readonly hint: string;
  /** `error`: keeps a platform from starting a run; `warning`: worth fixing, blocks nothing. */
  readonly severity: 'error' | 'warning';
}

export interface DoctorVerdict {
  readonly platforms: { readonly docker: boolean; readonly local: boolean };
  readonly problems: readonly DoctorProblem[];
  readonly exitCode: number;
}

function imageProblem(image: DoctorImage): DoctorProblem {
  const envName = { toxiproxy: 'CHAOS_TOXIPROXY_IMAGE', nodeBase: 'CHAOS_NODE_IMAGE', services: 'CHAOS_SERVICES_IMAGE' }[image.role];
  const obtain = image.pullable === true ? 'pulls it' : image.buildable ? 'builds its local equivalent offline' : null;
  return {
    code: 'IMAGE_UNAVAILABLE',
    message: `${imageRoleTitle[image.role]} ${image.name} is missing${image.pullable === false ? ' and cannot be pulled' : ''}`,
    hint:
      obtain === null
        ? `load it with \`docker load\`, or set ${envName} to an image you have`
        : `run \`npx chaos images\` (it ${obtain})`,
    severity: 'error',
  };
}

/** Only `--platform swarm` with a registry needs it: a warning, never a platform taken away. */
function registryProblem(registry: DoctorRegistry): DoctorProblem {
  const fromEnv = registry.source === 'CHAOS_REGISTRY';
  return {
    code: 'REGISTRY_UNAVAILABLE',
    message: fromEnv
      ? `CHAOS_REGISTRY names ${registry.address}, which does not answer (${registry.reason ?? 'no reason given'}): a --platform swarm run would refuse to start`
      : `the registry \`chaos registry start\` runs at ${registry.address} does not answer (${registry.reason ?? 'no reason given'})`,
    hint: fromEnv
      ? 'start it (`npx chaos registry start` for 127.0.0.1:5000), point CHAOS_REGISTRY at a registry that answers, or unset it'
      : 'restart it: `npx chaos registry stop`, then `npx chaos registry start` (its log is .cache/registry/registry.log)',
    severity: 'warning',
  };
}

/** A registry the engine would push to over HTTPS: every swarm run with it would refuse to start. */
function untrustedRegistryProblem(registry: DoctorRegistry): DoctorProblem {
  const refusal = untrustedRegistryError(registry.address);
  return { code: 'REGISTRY_NOT_TRUSTED', message: `${refusal.message}: a --platform swarm run with it would refuse to start`, hint: refusal.hint, severity: 'warning' };
}

/** The doctor's judgement, from the facts alone: which platforms can start a run, and every problem with its fix. */
export function judgeDoctor(facts: DoctorFacts): DoctorVerdict {
  const { probes } = facts;
  const problems: DoctorProblem[] = [];

  if (!probes.engine.answers) {
    problems.push({ code: 'DOCKER_UNAVAILABLE', message: `no Docker engine answers (${probes.engine.reason})`, hint: engineFix(probes), severity: 'error' });
  }
  const engineStuck = probes.engine.answers && probes.engine.networksAnswer === false;
  if (engineStuck) {
    problems.push({
      code: 'ENGINE_NOT_ANSWERING',
      message: 'the Docker engine answers its ping but not its network list (GET /networks): its network controller is stuck',
      hint: engineRestartHint,
      severity: 'error',
    });
  }
  const images = facts.images ?? [];
  for (const image of images) {
    if (!image.present) problems.push(imageProblem(image));
    else if (image.current === false) {
      problems.push({
        code: 'IMAGE_STALE',
        message: `${image.name} was built from another dist/services.cjs (or node base) than the current one`,
        hint: 'run `npm run setup` (or `npx chaos images`) to rebuild it',
        severity: 'warning',
      });
    }
  }
  const docker = probes.engine.answers && !engineStuck && images.length > 0 && images.every((image) => image.present);

  const server = probes.toxiproxy;
  if (server === null) {
    problems.push({
      code: 'TOXIPROXY_UNAVAILABLE',
      message: 'toxiproxy-server is not on PATH (the local platform needs it)',
      hint: probes.go === null ? `download it from ${RELEASES_URL} onto PATH as toxiproxy-server` : 'run `npm run setup` (go install, version-stamped)',
      severity: 'error',
    });
  } else if (server.version !== TOXIPROXY_VERSION) {
    problems.push({
      code: 'TOXIPROXY_UNAVAILABLE',
      message: `${server.path} reports ${server.version ?? 'no version'}, not ${TOXIPROXY_VERSION}`,
      hint: `run \`npm run setup\` to install ${TOXIPROXY_VERSION}, or put the ${TOXIPROXY_VERSION} release binary first on PATH`,
      severity: 'warning',
    });
  }
  if (!probes.bundle.exists) {
    problems.push({ code: 'BUNDLE_MISSING', message: `${probes.bundle.path} is missing (the local platform runs it)`, hint: 'run `npm run build`', severity: 'error' });
  }
  const local = server !== null && probes.bundle.exists;

  if (probes.chromiumPath === null) {
    problems.push({
      code: 'CHROMIUM_UNAVAILABLE',
      message: 'no /usr/bin/chromium (the HTML report tests render in it)',
      hint: probes.os.debian ? 'run `npm run setup` as root, or `apt-get install -y chromium`' : 'install Chromium at /usr/bin/chromium',
      severity: 'warning',
    });
  }
  if (facts.registry?.answers === false) problems.push(registryProblem(facts.registry));
  if (facts.registry?.answers === true && facts.registry.pushesOverHttp === false) problems.push(untrustedRegistryProblem(facts.registry));
  if (facts.leftovers.length > 0) {
    problems.push({
      code: 'LEFTOVERS_FOUND',
      message: `${facts.leftovers.length} leftover(s) from earlier runs`,
      hint: 'run `npx chaos doctor --clean` to remove them',
      severity: 'warning',
    });
  }
  for (const failure of facts.cleaned?.failures ?? []) {
    // The engine's endpoint count outlived the network's containers (moby/moby#42119): only a restart recounts.
    const refusedNetwork = /active endpoints/.test(failure);
    problems.push({
      code: 'LEFTOVERS_FOUND',
      message: `could not remove: ${failure}`,
      hint: refusedNetwork
        ? 'the engine still counts endpoints of removed containers; it blocks no run (each run has a network of its own): restart dockerd when convenient, then `npx chaos doctor --clean`'
        : 'remove it by hand (docker rm -f / kill)',
      severity: 'warning',
    });
  }
  if (!docker && !local) {
    problems.push({
      code: 'NO_PLATFORM',
      message: 'no platform can start a run',
      hint: 'fix the errors above: a Docker engine with the images (docker), or toxiproxy-server and dist/services.cjs (local)',
      severity: 'error',
    });
  }
  return { platforms: { docker, local }, problems, exitCode: docker || local ? ExitCode.ok : ExitCode.infrastructure };
}
