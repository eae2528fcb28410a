import { ChaosError } from '../errors.js';
import { runCommand, tailOf } from './exec.js';

let updated = false;

const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

/** `apt-get update` (once per process) then `apt-get install -y PACKAGES`. */
export async function aptInstall(packages: readonly string[], progress: (line: string) => void): Promise<void> {
  if (!updated) {
    progress('apt-get update');
    const update = await runCommand('apt-get', ['update'], { env: aptEnv, timeoutMs: 600_000 });
    if (update.code !== 0) {
      throw new ChaosError('PROVISION_FAILED', 'apt-get update failed', {
        hint: "check the machine's Debian sources (/etc/apt/sources.list*) and network",
        details: tailOf(update),
      });
    }
    updated = true;
  }
  progress(`apt-get install -y ${packages.join(' ')}`);
  const install = await runCommand('apt-get', ['install', '-y', ...packages], { env: aptEnv, timeoutMs: 900_000 });
  if (install.code !== 0) {
    throw new ChaosError('PROVISION_FAILED', `apt-get install -y ${packages.join(' ')} failed`, {
      hint: `run \`apt-get install -y ${packages.join(' ')}\` yourself to see why, then rerun \`npm run setup\``,
      details: tailOf(install),
    });
  }
}
