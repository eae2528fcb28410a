import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { PortClaims } from './port-claims.js';

/**
 * Ports for servers the harness starts later. They come from below the kernel's ephemeral range: a port the OS
 * hands out for `listen(0)` is also the pool for outgoing connections' local ports, so with hundreds of clients
 * connecting, such a port is often taken by the time the node binds it (the node then exits with code 78).
 */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

const lowestListenPort = 20_000;

/** The kernel's ephemeral range on Linux; elsewhere the IANA range. */
export function ephemeralPortRange(read: (path: string) => string = (path) => readFileSync(path, 'utf8')): PortRange {
  try {
    const [first, last] = read('/proc/sys/net/ipv4/ip_local_port_range').trim().split(/\s+/).map(Number);
    if (Number.isInteger(first) && Number.isInteger(last) && first! > 0 && last! >= first!) return { first: first!, last: last! };
  } catch {
    // not Linux, or /proc is hidden
  }
  return { first: 49_152, last: 65_535 };
}

/** Where listening ports are drawn from: the widest gap outside the ephemeral range, above the well-known ports. */
export function listenPortRange(ephemeral: PortRange = ephemeralPortRange()): PortRange {
  const below: PortRange = { first: lowestListenPort, last: ephemeral.first - 1 };
  const above: PortRange = { first: Math.max(lowestListenPort, ephemeral.last + 1), last: 65_535 };
  const size = (range: PortRange): number => range.last - range.first + 1;
  const wider = size(below) >= size(above) ? below : above;
  return size(wider) >= 1_000 ? wider : { first: lowestListenPort, last: 65_535 };
}

/** Binds the port on 127.0.0.1 and keeps it, or undefined when it is taken. */
function hold(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const range = listenPortRange();
/** Claims for the life of this process, for ports handed out without an owner of their own. */
const processClaims = new PortClaims();

/** A reserved port; while held, other processes that probe it find it taken. */
export interface HeldPort {
  readonly port: number;
  /** Lets the port go, so the server that will own it can bind it; the claim stays with its owner. */
  release(): Promise<void>;
}

/** Where a port is drawn from and who claims it; tests narrow the range. */
export interface PortSource {
  readonly claims?: PortClaims;
  readonly range?: PortRange;
  readonly random?: () => number;
}

/**
 * A port outside the ephemeral range, claimed for `claims` (by default this process) so no other harness
 * process draws it, bound and held until released.
 */
export async function holdLoopbackPort(taken: ReadonlySet<number> = new Set(), source: PortSource = {}): Promise<HeldPort> {
  const { claims = processClaims, range: from = range, random = Math.random } = source;
  const size = from.last - from.first + 1;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = from.first + Math.floor(random() * size);
    if (taken.has(port) || !claims.claim(port)) continue;
    const server = await hold(port);
    if (server === undefined) {
      claims.disclaim(port);
      continue;
    }
    let released: Promise<void> | undefined;
    return { port, release: () => (released ??= new Promise<void>((resolve) => server.close(() => resolve()))) };
  }
  throw new Error(`no free loopback port in ${from.first}-${from.last} after 200 tries`);
}

/** A port outside the ephemeral range that was free on 127.0.0.1 a moment ago, and stays claimed for `claims`. */
export async function freeLoopbackPort(taken: ReadonlySet<number> = new Set(), source: PortSource = {}): Promise<number> {
  const held = await holdLoopbackPort(taken, source);
  await held.release();
  return held.port;
}

/** Free ports, distinct from each other and from `taken`. */
export async function freeLoopbackPorts(count: number, taken: ReadonlySet<number> = new Set(), source: PortSource = {}): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freeLoopbackPort(new Set([...taken, ...ports]), source));
  return ports;
}

/** Held ports, distinct from each other and from `taken`. */
export async function holdLoopbackPorts(count: number, taken: ReadonlySet<number> = new Set(), source: PortSource = {}): Promise<HeldPort[]> {
  const held: HeldPort[] = [];
  while (held.length < count) held.push(await holdLoopbackPort(new Set([...taken, ...held.map((h) => h.port)]), source));
  return held;
}
