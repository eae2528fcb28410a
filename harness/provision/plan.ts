import type { ImageNames } from '../config/images.js';
import { engineFix, planEngine } from './plan-engine.js';
import { planImages } from './plan-images.js';
import { planToxiproxyServer, toxiproxyUsable } from './plan-toxiproxy.js';
import { planChromium, planCompose, planDockerRegistry, planPromtool } from './plan-tools.js';
import type { MachineProbes } from './probes.js';

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

/** Decides, from probes alone, what setup (or `chaos images`) does on this machine. */
export function planSetup(probes: MachineProbes, names: ImageNames, options: SetupOptions): SetupPlan {
  const toxiproxyPlanned = toxiproxyUsable(probes) || probes.go !== null;
  const localPossible = options.scope === 'all' && toxiproxyPlanned;
  const steps: PlannedStep[] = [];
  let engineLikely = probes.engine.answers;
  if (options.scope === 'all') {
    const engineStep = planEngine(probes, options, localPossible);
    engineLikely = engineStep.kind === 'ok' || engineStep.kind === 'install-engine';
    steps.push(engineStep, planChromium(probes), planPromtool(probes), planCompose(probes), planDockerRegistry(probes), planToxiproxyServer(probes, engineLikely));
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
