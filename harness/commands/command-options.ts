import { InvalidArgumentError } from 'commander';
import { ChaosError, ExitCode } from '../errors.js';
import { parseRegistryAddress, registryFromEnv } from '../platform/image-registry.js';
import { parsePlacementPolicy, placementFromEnv, type PlacementPolicy } from '../platform/swarm-placement.js';
import { MAX_SEED, SEED_HINT } from '../scenario/scenario-schema.js';

/** `--seed`: the same range as a scenario's seed (the seeded sources take 32 bits, --repeat derives 31). */
export function parseSeed(value: string): number {
  const seed = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seed) || seed > MAX_SEED) throw new InvalidArgumentError(`"${value}" is not a seed: give ${SEED_HINT}`);
  return seed;
}

const severity: readonly ExitCode[] = [ExitCode.ok, ExitCode.targetMissed, ExitCode.invalidInput, ExitCode.infrastructure, ExitCode.interrupted];

/** The exit code that says the most: interrupted > infrastructure > invalid input > target missed > ok. */
export function severest(codes: readonly ExitCode[]): ExitCode {
  return codes.reduce<ExitCode>((worst, code) => (severity.indexOf(code) > severity.indexOf(worst) ? code : worst), ExitCode.ok);
}

interface SwarmOnlyOption<T> {
  readonly flag: string;
  readonly parse: (value: string, source: string) => T;
  readonly fromEnv: (env: NodeJS.ProcessEnv) => T | undefined;
  /** Why the other platforms need no such flag, for the refusal's hint. */
  readonly elsewhere: string;
}

/**
 * A swarm-only flag, else its variable: the flag with another platform is refused, the variable ignored
 * there; a malformed value is refused (INVALID_CONFIG, exit 2).
 */
function swarmOnly<T>(option: SwarmOnlyOption<T>, value: string | undefined, platform: string, env: NodeJS.ProcessEnv): T | undefined {
  if (value === undefined) return platform === 'swarm' ? option.fromEnv(env) : undefined;
  if (platform !== 'swarm') {
    throw new ChaosError('INVALID_CONFIG', `${option.flag} is only for --platform swarm (the platform here is ${platform})`, {
      hint: `add --platform swarm, or drop ${option.flag}: ${option.elsewhere}`,
    });
  }
  return option.parse(value, option.flag);
}

/** `--registry`, else CHAOS_REGISTRY: only for `--platform swarm`. */
export function registryForRun(flag: string | undefined, platform: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return swarmOnly({ flag: '--registry', parse: parseRegistryAddress, fromEnv: registryFromEnv, elsewhere: 'the docker and local platforms run the images on this machine' }, flag, platform, env);
}

/** `--place`, else CHAOS_PLACE (`manager` when unset): only for `--platform swarm`. */
export function placementForRun(flag: string | undefined, platform: string, env: NodeJS.ProcessEnv = process.env): PlacementPolicy | undefined {
  return swarmOnly({ flag: '--place', parse: parsePlacementPolicy, fromEnv: placementFromEnv, elsewhere: 'the docker and local platforms run every node on this machine' }, flag, platform, env);
}
