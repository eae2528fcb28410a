import { TOXIPROXY_VERSION } from '../config/images.js';
import { ImageLabel, imageRoleTitle, type ImageRole } from './image-labels.js';
import { systemBinDir, userBinDir } from './paths.js';
import { planChromium, planCompose, planPromtool } from './plan-tools.js';
import type { ImageProbe, MachineProbes } from './probes.js';

export interface SetupOptions {
  /** Never try a registry: build the local equivalents straight away. */
  readonly offline: boolean;
  /** Leave the Docker engine alone (neither install nor start it). */
  readonly skipEngine: boolean;
  /** Rebuild (or re-pull) images even when present. */
  readonly rebuild: boolean;
  /** `all` for `chaos setup`, `images` for `chaos images`. */
  readonly scope: 'all' | 'images';
}

/** Where the static Toxiproxy binary for the offline image comes from. */
export type ToxiproxySource = { readonly from: 'binary'; readonly path: string } | { readonly from: 'go-install' };

export type PlannedStep =
  | { readonly kind: 'ok'; readonly subject: string; readonly detail: string }
  | { readonly kind: 'skip'; readonly subject: string; readonly detail: string }
  | {
      readonly kind: 'problem';
      readonly subject: string;
      readonly problem: string;
      readonly fix: string;
      /** Whether it leaves the machine unable to start any run (setup then exits 3). */
      readonly blocking: boolean;
    }
  | { readonly kind: 'install-engine'; readonly subject: string; readonly installPackage: boolean }
  | { readonly kind: 'apt-install'; readonly subject: string; readonly packages: readonly string[] }
  | { readonly kind: 'install-toxiproxy'; readonly subject: string; readonly binDir: string; readonly pathHint: boolean }
  | {
      readonly kind: 'obtain-toxiproxy-image';
      readonly subject: string;
      readonly name: string;
      readonly pull: boolean;
      readonly reason: string;
      readonly build: ToxiproxySource | null;
    }
  | {
      readonly kind: 'obtain-node-image';
      readonly subject: string;
      readonly name: string;
      readonly pull: boolean;
      readonly reason: string;
      readonly build: boolean;
    }
  | {
      readonly kind: 'build-services';
      readonly subject: string;
      readonly name: string;
      readonly reason: string;
      readonly buildBundle: boolean;
      /** False: build only if, once the bundle is current, the image's labels do not match it. */
      readonly force: boolean;
    };

export interface SetupPlan {
  readonly steps: readonly PlannedStep[];
}

export const RELEASES_URL = `https://github.com/Shopify/toxiproxy/releases/tag/v${TOXIPROXY_VERSION}`;

export function engineFix(probes: MachineProbes): string {
  if (probes.os.debian && probes.dockerdPath !== null) {
    return 'start it as root: `sudo systemctl start docker` (or `sudo dockerd &`), then rerun `npm run setup`; or use --platform local';
  }
  if (probes.os.debian) {
    return 'as root: `apt-get update && apt-get install -y docker.io`, then rerun `npm run setup` (it starts dockerd); or use --platform local';
  }
  return 'install and start Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop, then rerun `npm run setup`; or use --platform local';
}

function toxiproxyUsable(probes: MachineProbes): boolean {
  return probes.toxiproxy?.version === TOXIPROXY_VERSION;
}

function planEngine(probes: MachineProbes, options: SetupOptions, localPossible: boolean): PlannedStep {
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

function planToxiproxyServer(probes: MachineProbes, engineLikely: boolean): PlannedStep {
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

function describePresent(image: ImageProbe): string {
  const source = image.labels[ImageLabel.source];
  if (image.labels[ImageLabel.offlineBuild] === 'true') return `${image.name} (offline build${source === undefined ? '' : `, ${source}`})`;
  return `${image.name} (${image.pulled ? 'from a registry' : 'present, built without setup labels'})`;
}

function imageOf(probes: MachineProbes, role: ImageRole, name: string): ImageProbe {
  return probes.images?.find((image) => image.role === role) ?? { role, name, present: false, id: null, labels: {}, pulled: false };
}

function absentReason(image: ImageProbe, options: SetupOptions, engineKnown: boolean): string {
  if (!engineKnown) return 'engine is new';
  return image.present && options.rebuild ? 'rebuild requested' : 'missing';
}

function planImages(
  probes: MachineProbes,
  names: { readonly toxiproxy: string; readonly nodeBase: string; readonly services: string },
  options: SetupOptions,
  localPossible: boolean,
): PlannedStep[] {
  const engineKnown = probes.images !== null;
  const steps: PlannedStep[] = [];

  const toxiproxy = imageOf(probes, 'toxiproxy', names.toxiproxy);
  const toxiproxySubject = imageRoleTitle.toxiproxy;
  if (toxiproxy.present && !options.rebuild) {
    steps.push({ kind: 'ok', subject: toxiproxySubject, detail: describePresent(toxiproxy) });
  } else {
    const build = toxiproxySource(probes);
    if (build === null && options.offline) {
      steps.push({
        kind: 'problem',
        subject: toxiproxySubject,
        problem: `${names.toxiproxy} is missing and there is no static toxiproxy-server ${TOXIPROXY_VERSION} nor Go to build it from`,
        fix: `install Go (https://go.dev/dl/) and rerun \`npm run setup\`, or load the image (docker load) / set CHAOS_TOXIPROXY_IMAGE to one you have`,
        blocking: !localPossible,
      });
    } else {
      steps.push({
        kind: 'obtain-toxiproxy-image',
        subject: toxiproxySubject,
        name: names.toxiproxy,
        pull: !options.offline,
        reason: absentReason(toxiproxy, options, engineKnown),
        build,
      });
    }
  }

  const nodeBase = imageOf(probes, 'nodeBase', names.nodeBase);
  const nodeSubject = imageRoleTitle.nodeBase;
  const nodeBaseObtained = !(nodeBase.present && !options.rebuild);
  if (!nodeBaseObtained) {
    steps.push({ kind: 'ok', subject: nodeSubject, detail: describePresent(nodeBase) });
  } else if (probes.lddPath === null && options.offline) {
    steps.push({
      kind: 'problem',
      subject: nodeSubject,
      problem: `${names.nodeBase} is missing and \`ldd\` is not available to assemble one from the host's node`,
      fix: 'run setup on a glibc Linux host with ldd, or load the image (docker load) / set CHAOS_NODE_IMAGE to one you have',
      blocking: !localPossible,
    });
  } else {
    steps.push({
      kind: 'obtain-node-image',
      subject: nodeSubject,
      name: names.nodeBase,
      pull: !options.offline,
      reason: absentReason(nodeBase, options, engineKnown),
      build: probes.lddPath !== null,
    });
  }

  steps.push(planServices(probes, names.services, imageOf(probes, 'services', names.services), nodeBase, nodeBaseObtained, options));
  return steps;
}

function planServices(
  probes: MachineProbes,
  name: string,
  services: ImageProbe,
  nodeBase: ImageProbe,
  nodeBaseObtained: boolean,
  options: SetupOptions,
): PlannedStep {
  const subject = imageRoleTitle.services;
  const bundle = probes.bundle;
  const buildBundle = !bundle.exists || bundle.stale;
  const build = (reason: string, force: boolean): PlannedStep => ({ kind: 'build-services', subject, name, reason, buildBundle, force });
  if (probes.images === null) return build('engine is new', false);
  if (!services.present) return build('missing', true);
  if (options.rebuild) return build('rebuild requested', true);
  if (nodeBaseObtained) return build('node base image is being replaced', true);
  if (!bundle.exists) return build('dist/services.cjs missing', false);
  if (bundle.stale) return build('dist/services.cjs older than services/ sources', false);
  const labelled = services.labels[ImageLabel.bundleSha256];
  if (labelled === undefined) return build('image carries no bundle hash', true);
  if (labelled !== bundle.sha256) return build('dist/services.cjs changed', true);
  if (services.labels[ImageLabel.nodeImageId] !== nodeBase.id) return build('node base image changed', true);
  return { kind: 'ok', subject, detail: `${name} (bundle sha256 ${labelled.slice(0, 12)})` };
}

/** Decides, from probes alone, what setup (or `chaos images`) does on this machine. */
export function planSetup(
  probes: MachineProbes,
  names: { readonly toxiproxy: string; readonly nodeBase: string; readonly services: string },
  options: SetupOptions,
): SetupPlan {
  const toxiproxyPlanned = toxiproxyUsable(probes) || probes.go !== null;
  const localPossible = options.scope === 'all' && toxiproxyPlanned;
  const steps: PlannedStep[] = [];
  let engineLikely = probes.engine.answers;
  if (options.scope === 'all') {
    const engineStep = planEngine(probes, options, localPossible);
    engineLikely = engineStep.kind === 'ok' || engineStep.kind === 'install-engine';
    steps.push(engineStep, planChromium(probes), planPromtool(probes), planCompose(probes), planToxiproxyServer(probes, engineLikely));
  } else if (!probes.engine.answers) {
    steps.push({
      kind: 'problem',
      subject: 'docker engine',
      problem: 'no Docker engine answers',
      fix: `run \`npm run setup\` first, or ${engineFix(probes)}`,
      blocking: true,
    });
  }
  if (engineLikely) {
    steps.push(...planImages(probes, names, options, localPossible));
  } else {
    steps.push({ kind: 'skip', subject: 'images', detail: 'no Docker engine to hold them' });
  }
  return { steps };
}
