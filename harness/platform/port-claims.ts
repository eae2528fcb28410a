import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentHarness, isAlive, type ProcessIdentity } from './process-identity.js';

/**
 * Ports claimed on this host by harness processes, one file per port in a shared directory. A port the
 * harness hands to a node is free between the probe that finds it and the node's bind, and again while the
 * node is down before a restart; a claim keeps every other harness process (another run, another test
 * worker) from drawing it in those gaps. A claim outlives its owner only if the owner was SIGKILLed; such
 * a claim is taken over once its owner is gone.
 */
export const PORT_CLAIMS_ENV = 'CHAOS_PORT_CLAIMS_DIR';

export function portClaimsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[PORT_CLAIMS_ENV] || join(tmpdir(), 'supernode-chaos', 'port-claims');
}

function claimPath(dir: string, port: number): string {
  return join(dir, String(port));
}

function readOwner(path: string): ProcessIdentity | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { pid, startTicks } = parsed as { pid?: unknown; startTicks?: unknown };
    if (typeof pid !== 'number') return undefined;
    return typeof startTicks === 'string' ? { pid, startTicks } : { pid };
  } catch {
    return undefined;
  }
}

/** Creates the claim file unless it exists; the create is atomic, so of two processes only one gets the port. */
function createClaim(path: string, owner: ProcessIdentity): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes a claim whose owner is gone. Moved aside first, so of two processes clearing it only one removes it. */
function clearDeadClaim(path: string): void {
  const owner = readOwner(path);
  // A claim being written has no owner yet: it is not dead, only young.
  if (owner === undefined || isAlive(owner)) return;
  const aside = `${path}.dead.${process.pid}`;
  try {
    renameSync(path, aside);
    unlinkSync(aside);
  } catch {
    // another process cleared it first
  }
}

const claimedByThisProcess = new Map<string, Set<number>>();

function removeOnExit(): void {
  for (const [dir, ports] of claimedByThisProcess) {
    for (const port of ports) {
      try {
        unlinkSync(claimPath(dir, port));
      } catch {
        // already gone
      }
    }
  }
}

let exitHookInstalled = false;

/** The port claims of one owner in this process (a platform, or the process itself), given back together. */
export class PortClaims {
  private readonly mine = new Set<number>();
  private readonly owner = currentHarness();
  private readonly processClaims: Set<number>;

  constructor(readonly dir: string = portClaimsDir()) {
    let claims = claimedByThisProcess.get(dir);
    if (claims === undefined) {
      claims = new Set();
      claimedByThisProcess.set(dir, claims);
    }
    this.processClaims = claims;
  }

  /** Claims `port` for this owner; false when another owner (here or in a live process) holds it. */
  claim(port: number): boolean {
    if (this.processClaims.has(port)) return false;
    mkdirSync(this.dir, { recursive: true });
    const path = claimPath(this.dir, port);
    if (!createClaim(path, this.owner)) {
      clearDeadClaim(path);
      if (!createClaim(path, this.owner)) return false;
    }
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', removeOnExit);
    }
    this.mine.add(port);
    this.processClaims.add(port);
    return true;
  }

  /** Gives `port` back. */
  disclaim(port: number): void {
    if (!this.mine.delete(port)) return;
    this.processClaims.delete(port);
    try {
      unlinkSync(claimPath(this.dir, port));
    } catch {
      // already gone
    }
  }

  /** Gives every port of this owner back. */
  disclaimAll(): void {
    for (const port of [...this.mine]) this.disclaim(port);
  }

  ports(): number[] {
    return [...this.mine];
  }
}
