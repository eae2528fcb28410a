import { TOXIPROXY_VERSION, type ImageNames } from '../config/images.js';
import { ImageLabel, imageRoleTitle, type ImageRole } from './image-labels.js';
import type { PlannedStep, SetupOptions } from './plan.js';
import { toxiproxySource } from './plan-toxiproxy.js';
import type { ImageProbe, MachineProbes } from './probes.js';

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

export function planImages(probes: MachineProbes, names: ImageNames, options: SetupOptions, localPossible: boolean): PlannedStep[] {
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
