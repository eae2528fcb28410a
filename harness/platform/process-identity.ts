import { readdirSync, readFileSync } from 'node:fs';

/** A process named so that a reused pid is not mistaken for it: pid plus its start time in clock ticks. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTicks?: string;
}

/** Whether `pid` names a running process; a zombie (exited, not yet reaped) counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

/** Field 22 of /proc/<pid>/stat; undefined where /proc is absent. */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

export function identityOf(pid: number): ProcessIdentity {
  const startTicks = processStartTicks(pid);
  return startTicks === undefined ? { pid } : { pid, startTicks };
}

export function currentHarness(): ProcessIdentity {
  return identityOf(process.pid);
}

export function isAlive(identity: ProcessIdentity): boolean {
  if (!pidAlive(identity.pid)) return false;
  if (identity.startTicks === undefined) return true;
  const now = processStartTicks(identity.pid);
  return now === undefined || now === identity.startTicks;
}

/** The argv a live process was started with, from /proc/<pid>/cmdline; undefined when unreadable. */
export function processArgv(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (raw === '') return undefined;
    return raw.replace(/\0$/, '').split('\0');
  } catch {
    return undefined;
  }
}

/**
 * The value of `name` in the environment a live process was started with (/proc/<pid>/environ: fixed
 * at exec, readable for processes of the same user); undefined when unset or unreadable (a zombie's is empty).
 */
export function processEnvValue(pid: number, name: string): string | undefined {
  try {
    const prefix = `${name}=`;
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((e) => e.startsWith(prefix));
    return entry?.slice(prefix.length);
  } catch {
    return undefined;
  }
}

/** Pids of every process in /proc; [] where /proc is absent. */
export function listPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return [];
  }
}

/** `pid:startTicks`, as stored in a Docker label. */
export function formatIdentity(identity: ProcessIdentity): string {
  return identity.startTicks === undefined ? String(identity.pid) : `${identity.pid}:${identity.startTicks}`;
}

export function parseIdentity(text: string | undefined): ProcessIdentity | undefined {
  const match = /^(\d+)(?::(\d+))?$/.exec(text ?? '');
  if (match === null) return undefined;
  const pid = Number(match[1]);
  return match[2] === undefined ? { pid } : { pid, startTicks: match[2] };
}
