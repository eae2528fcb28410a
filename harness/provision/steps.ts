import { TOXIPROXY_VERSION, type ImageNames } from '../config/images.js';
import { ChaosError, errorMessage, isChaosError } from '../errors.js';
import { aptInstall } from './apt.js';
import { connectDocker, type DockerConnection } from './docker-client.js';
import { provisionEngine } from './docker-engine.js';
import { runCommand, tailOf } from './exec.js';
import { buildNodeBaseImage, buildServicesImage, buildToxiproxyImage, tryPull } from './image-build.js';
import { ImageLabel } from './image-labels.js';
import { bundlePath, projectRoot, userBinDir } from './paths.js';
import type { PlannedStep } from './plan.js';
import { probeBundle, probeImage, type MachineProbes } from './probes.js';
import { ensureCachedToxiproxy, installToxiproxyServer } from './toxiproxy-install.js';

export type StepStatus = 'ok' | 'did' | 'skip' | 'problem' | 'failed';

export interface StepOutcome {
  readonly status: StepStatus;
  readonly subject: string;
  readonly text: string;
  readonly fix?: string;
  readonly details?: readonly string[];
  /** A problem that leaves no platform able to start a run. */
  readonly blocking: boolean;
}

export interface StepContext {
  readonly names: ImageNames;
  readonly probes: MachineProbes;
  readonly pullTimeoutMs: number;
  /** Progress of a long action, written while it runs (not part of the one-line result). */
  readonly progress: (line: string) => void;
}

type Executor = (context: StepContext, docker: () => Promise<DockerConnection>) => Promise<Omit<StepOutcome, 'subject'>>;

const did = (text: string): Omit<StepOutcome, 'subject'> => ({ status: 'did', text, blocking: false });
const ok = (text: string): Omit<StepOutcome, 'subject'> => ({ status: 'ok', text, blocking: false });

function goPathOf(probes: MachineProbes): string {
  if (probes.go === null) {
    throw new ChaosError('PROVISION_FAILED', 'no Go toolchain to build toxiproxy-server with', {
      hint: `install Go (https://go.dev/dl/), or download toxiproxy-server from https://github.com/Shopify/toxiproxy/releases/tag/v${TOXIPROXY_VERSION}`,
    });
  }
  return probes.go.path;
}

async function ensureBundle(context: StepContext, rebuild: boolean): Promise<{ sha256: string; built: boolean }> {
  if (rebuild) {
    context.progress('npm run build');
    const result = await runCommand('npm', ['run', 'build'], { cwd: projectRoot, timeoutMs: 300_000 });
    if (result.code !== 0) {
      throw new ChaosError('IMAGE_BUILD_FAILED', 'npm run build (dist/services.cjs) failed', {
        hint: 'run `npm run build` to see the error; run `npm ci` first on a fresh clone',
        details: tailOf(result),
      });
    }
  }
  const bundle = await probeBundle();
  if (bundle.sha256 === null) {
    throw new ChaosError('IMAGE_BUILD_FAILED', `${bundlePath} is missing`, { hint: 'run `npm run build`' });
  }
  return { sha256: bundle.sha256, built: rebuild };
}

function executorFor(step: PlannedStep): Executor {
  switch (step.kind) {
    case 'ok':
      return () => Promise.resolve(ok(step.detail));
    case 'skip':
      return () => Promise.resolve({ status: 'skip', text: step.detail, blocking: false });
    case 'problem':
      return () => Promise.resolve({ status: 'problem', text: step.problem, fix: step.fix, blocking: step.blocking });
    case 'install-engine':
      return async ({ progress }) => {
        const result = await provisionEngine(step.installPackage, progress);
        const actions = [result.installed ? 'installed docker.io' : '', result.started ? 'started dockerd' : ''].filter((a) => a !== '');
        const answer = `${result.connection.version} answers at ${result.connection.endpoint}`;
        return actions.length === 0 ? ok(answer) : did(`${actions.join(', ')}; ${answer}`);
      };
    case 'apt-install':
      return async ({ progress }) => {
        await aptInstall(step.packages, progress);
        return did(`apt-get install -y ${step.packages.join(' ')}`);
      };
    case 'install-toxiproxy':
      return async ({ probes, progress }) => {
        progress(`go install toxiproxy server v${TOXIPROXY_VERSION} (CGO_ENABLED=0)`);
        const binary = await ensureCachedToxiproxy(goPathOf(probes));
        const installed = await installToxiproxyServer(binary, step.binDir);
        const outcome = did(`built ${TOXIPROXY_VERSION} with go install, installed as ${installed}`);
        return step.pathHint ? { ...outcome, fix: `add ${userBinDir} to PATH` } : outcome;
      };
    case 'obtain-toxiproxy-image':
      return async (context, docker) => {
        const { api } = await docker();
        const pulled = step.pull ? await pullFirst(context, api, step.name) : null;
        if (pulled === 'pulled') return did(`pulled ${step.name} (${step.reason})`);
        if (step.build === null) return pullOnlyProblem(step.name, pulled, 'CHAOS_TOXIPROXY_IMAGE');
        const binary = step.build.from === 'binary' ? step.build.path : await ensureCachedToxiproxy(goPathOf(context.probes));
        context.progress(`docker build ${step.name} FROM scratch with ${binary}`);
        await buildToxiproxyImage(api, step.name, binary);
        return did(`built ${step.name} offline from static toxiproxy-server ${TOXIPROXY_VERSION} (${step.reason}${pullNote(pulled)})`);
      };
    case 'obtain-node-image':
      return async (context, docker) => {
        const { api } = await docker();
        const pulled = step.pull ? await pullFirst(context, api, step.name) : null;
        if (pulled === 'pulled') return did(`pulled ${step.name} (${step.reason})`);
        if (!step.build || context.probes.lddPath === null) return pullOnlyProblem(step.name, pulled, 'CHAOS_NODE_IMAGE');
        const { node, lddPath } = context.probes;
        context.progress(`docker build ${step.name} FROM scratch with ${node.path} ${node.version}`);
        await buildNodeBaseImage(api, step.name, { nodePath: node.path, nodeVersion: node.version, lddPath });
        return did(`built ${step.name} offline from host node ${node.version} (${step.reason}${pullNote(pulled)})`);
      };
    case 'build-services':
      return async (context, docker) => {
        const { api } = await docker();
        const bundle = await ensureBundle(context, step.buildBundle);
        const nodeBase = await probeImage(api, 'nodeBase', context.names.nodeBase);
        if (!nodeBase.present || nodeBase.id === null) {
          throw new ChaosError('IMAGE_UNAVAILABLE', `node base image ${context.names.nodeBase} is missing`, {
            hint: 'run `npx chaos images --offline` to build it, or set CHAOS_NODE_IMAGE to an image you have',
          });
        }
        if (!step.force) {
          const current = await probeImage(api, 'services', step.name);
          const upToDate =
            current.present &&
            current.labels[ImageLabel.bundleSha256] === bundle.sha256 &&
            current.labels[ImageLabel.nodeImageId] === nodeBase.id;
          if (upToDate) return bundle.built ? did(`rebuilt dist/services.cjs; ${step.name} already matches it`) : ok(step.name);
        }
        context.progress(`docker build ${step.name} FROM ${context.names.nodeBase}`);
        await buildServicesImage(api, step.name, {
          nodeImage: context.names.nodeBase,
          nodeImageId: nodeBase.id,
          bundlePath,
          bundleSha256: bundle.sha256,
        });
        const bundleNote = bundle.built ? 'ran npm run build, ' : '';
        return did(`${bundleNote}built ${step.name} on ${context.names.nodeBase}, bundle sha256 ${bundle.sha256.slice(0, 12)} (${step.reason})`);
      };
  }
}

async function pullFirst(context: StepContext, api: DockerConnection['api'], name: string): Promise<string> {
  context.progress(`docker pull ${name} (at most ${Math.round(context.pullTimeoutMs / 1000)} s)`);
  const outcome = await tryPull(api, name, context.pullTimeoutMs);
  return outcome.pulled ? 'pulled' : outcome.reason;
}

function pullNote(pulled: string | null): string {
  return pulled === null ? ', --offline' : `; pull failed: ${pulled}`;
}

function pullOnlyProblem(name: string, pulled: string | null, env: string): Omit<StepOutcome, 'subject'> {
  return {
    status: 'problem',
    text: `${name} could not be pulled (${pulled ?? 'offline'}) and cannot be built here`,
    fix: `load it with \`docker load\`, or set ${env} to an image you have`,
    blocking: true,
  };
}

/** Runs one planned step; an error becomes a `failed` outcome carrying its fix. */
export async function executeStep(step: PlannedStep, context: StepContext, docker: () => Promise<DockerConnection>): Promise<StepOutcome> {
  try {
    return { subject: step.subject, ...(await executorFor(step)(context, docker)) };
  } catch (error) {
    if (isChaosError(error)) {
      return { subject: step.subject, status: 'failed', text: `${error.code}: ${error.message}`, fix: error.hint, details: error.details, blocking: true };
    }
    return { subject: step.subject, status: 'failed', text: errorMessage(error), blocking: true };
  }
}

/** A lazily opened, shared engine connection for the image steps. */
export function lazyDocker(): () => Promise<DockerConnection> {
  let connection: Promise<DockerConnection> | undefined;
  return () => {
    connection ??= connectDocker();
    connection.catch(() => {
      connection = undefined;
    });
    return connection;
  };
}
