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

/**
 * `--registry`, else CHAOS_REGISTRY: only for `--platform swarm`. The flag with another platform is
 * refused, the variable ignored there; a malformed address is refused (INVALID_CONFIG, exit 2).
 */
export function registryForRun(flag: string | undefined, platform: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag !== undefined) {
    if (platform !== 'swarm') {
      throw new ChaosError('INVALID_CONFIG', `--registry is only for --platform swarm (the platform here is ${platform})`, {
        hint: 'add --platform swarm, or drop --registry: the docker and local platforms run the images on this machine',
      });
    }
    return parseRegistryAddress(flag, '--registry');
  }
  return platform === 'swarm' ? registryFromEnv(env) : undefined;
}

/**
 * `--place`, else CHAOS_PLACE (`manager` when unset): only for `--platform swarm`. The flag with another
 * platform is refused, the variable ignored there; a value that is no placement is refused
 * (INVALID_CONFIG, exit 2).
 */
export function placementForRun(flag: string | undefined, platform: string, env: NodeJS.ProcessEnv = process.env): PlacementPolicy | undefined {
  if (flag !== undefined) {
    if (platform !== 'swarm') {
      throw new ChaosError('INVALID_CONFIG', `--place is only for --platform swarm (the platform here is ${platform})`, {
        hint: 'add --platform swarm, or drop --place: the docker and local platforms run every node on this machine',
      });
    }
    return parsePlacementPolicy(flag, '--place');
  }
  return platform === 'swarm' ? placementFromEnv(env) : undefined;
}
