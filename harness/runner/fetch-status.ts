import { Agent, get } from 'node:http';

/**
 * Keep-alive sockets to every control port: the sampler reads each node's status and ledger on
 * every tick, and a new loopback connection per read (connect, request, close) cost the harness
 * more than a third of a core during skype-2010 on two cores, enough to make its ticks late.
 * Two sockets per node (status and ledger may overlap), both kept when free.
 */
const controlAgent = new Agent({ keepAlive: true, maxSockets: 2, maxFreeSockets: 2, timeout: 10_000 });

/** Larger than any `/status` or `/ledger` page a node writes; a longer body is not a status. */
const maxBodyBytes = 8 * 1024 * 1024;

/**
 * Reads a node's `/status` (or another JSON document of its control port, e.g. `/ledger?after=3`);
 * undefined when the control port does not answer (or not with 2xx, or not JSON) before `signal` aborts.
 */
export function fetchNodeStatus(controlUrl: string, signal: AbortSignal, path = '/status'): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const request = get(`${controlUrl}${path}`, { agent: controlAgent, signal }, (response) => {
      const ok = response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300;
      if (!ok) {
        response.resume();
        resolve(undefined);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          request.destroy();
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve(parseJson(Buffer.concat(chunks).toString('utf8'))));
      response.on('error', () => resolve(undefined));
      response.on('aborted', () => resolve(undefined));
    });
    request.on('error', () => resolve(undefined));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
