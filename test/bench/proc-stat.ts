import { readdir, readFile } from 'node:fs/promises';

/** CPU time from Linux's /proc, in clock ticks (USER_HZ, 100 per second on Linux). */

export const TICKS_PER_SECOND = 100;

export interface MachineTicks {
  /** Every tick of every core since boot (busy and idle). */
  readonly total: number;
  /** Ticks the cores spent idle or waiting for I/O. */
  readonly idle: number;
}

export interface ProcessTicks {
  readonly pid: number;
  readonly ppid: number;
  /** The process name as the kernel keeps it (at most 15 characters). */
  readonly comm: string;
  /** User plus system ticks of the process itself (not of its children). */
  readonly ticks: number;
}

/** The aggregate `cpu` line of /proc/stat. */
export function parseMachineTicks(procStat: string): MachineTicks {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat has no aggregate cpu line');
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice).
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 5 || fields.some((field) => !Number.isFinite(field))) throw new Error(`unreadable /proc/stat cpu line: ${line}`);
  const [, , , idle = 0, iowait = 0] = fields;
  return { total: fields.reduce((sum, field) => sum + field, 0), idle: idle + iowait };
}

/** One /proc/<pid>/stat line; the name sits in parentheses and may itself hold spaces and parentheses. */
export function parseProcessTicks(line: string): ProcessTicks {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`unreadable /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  const pid = Number(line.slice(0, open).trim());
  // After the name: state(3) ppid(4) ... utime(14) stime(15).
  const rest = line.slice(close + 1).trim().split(/\s+/);
  const ppid = Number(rest[1]);
  const ticks = Number(rest[11]) + Number(rest[12]);
  if (![pid, ppid, ticks].every(Number.isFinite)) throw new Error(`unreadable /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  return { pid, ppid, comm: line.slice(open + 1, close), ticks };
}

/** `root` and every process below it, from a snapshot of all processes. */
export function descendantsOf(root: number, processes: readonly ProcessTicks[]): ProcessTicks[] {
  const children = new Map<number, ProcessTicks[]>();
  for (const process of processes) children.set(process.ppid, [...(children.get(process.ppid) ?? []), process]);
  const found: ProcessTicks[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

export async function readMachineTicks(): Promise<MachineTicks> {
  return parseMachineTicks(await readFile('/proc/stat', 'utf8'));
}

/** Every process readable right now; processes that exit while being read are skipped. */
export async function readAllProcessTicks(): Promise<ProcessTicks[]> {
  const entries = await readdir('/proc');
  const read = await Promise.all(
    entries.filter((entry) => /^\d+$/.test(entry)).map((entry) => readFile(`/proc/${entry}/stat`, 'utf8').then(parseProcessTicks, () => undefined)),
  );
  return read.filter((entry): entry is ProcessTicks => entry !== undefined);
}

/** The command line of a process, or undefined when it is gone. */
export async function readCommandLine(pid: number): Promise<string[] | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((part) => part !== '');
  } catch {
    return undefined;
  }
}

export async function readProcessTicks(pid: number): Promise<number | undefined> {
  try {
    return parseProcessTicks(await readFile(`/proc/${pid}/stat`, 'utf8')).ticks;
  } catch {
    return undefined;
  }
}
