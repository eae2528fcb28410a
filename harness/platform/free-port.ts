import { createServer } from 'node:net';

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Free ports, distinct from each other and from `taken`. */
export async function freeLoopbackPorts(count: number, taken: ReadonlySet<number> = new Set()): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freeLoopbackPort();
    if (!taken.has(port) && !ports.includes(port)) ports.push(port);
  }
  return ports;
}
