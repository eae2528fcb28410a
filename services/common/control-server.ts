import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { LedgerEndpoint } from './message-ledger.js';

export interface ControlServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /** The JSON document served at `/status`. */
  readonly status: () => unknown;
  /** Whether `/healthz` answers 200; defaults to always. */
  readonly healthy?: () => boolean;
  /** Serves `/ledger?after=<seq>` (message ids, see message-ledger.ts); without it `/ledger` is 404. */
  readonly ledger?: LedgerEndpoint;
  /** Commands taken by POST with a JSON body, by path (e.g. `/reboot-wave`). */
  readonly commands?: Readonly<Record<string, ControlCommand>>;
}

/** What a command answers: an HTTP status and a JSON body. */
export interface ControlReply {
  readonly status: number;
  readonly body: unknown;
}

export type ControlCommand = (body: unknown) => ControlReply;

/** A command's body is a small JSON document. */
const maxCommandBytes = 16 * 1024;

/**
 * prom-client's default gauges named like counters: each is the sum of its per-type gauge
 * (`nodejs_active_handles` etc., which stay), and a gauge ending in `_total` breaks Prometheus' naming rules.
 */
const totalNamedDefaultGauges = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Builds a metrics registry with Node's default process metrics (less the gauges named `_total`). */
export function createMetricsRegistry(labels: Record<string, string>): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  for (const name of totalNamedDefaultGauges) registry.removeSingleMetric(name);
  return registry;
}

/** `after` of `/ledger`: absent means 0; otherwise a non-negative integer, or the reason it is not one. */
export function parseLedgerAfter(query: URLSearchParams): number | { readonly problem: string } {
  const values = query.getAll('after');
  if (values.length === 0) return 0;
  const [raw] = values;
  if (values.length > 1 || raw === undefined) return { problem: 'after must be given at most once' };
  if (!/^\d{1,15}$/.test(raw)) return { problem: `after must be a non-negative integer (a sequence number), not ${JSON.stringify(raw)}` };
  return Number(raw);
}

/** The HTTP control port every service exposes: `/healthz`, `/status` (JSON), `/metrics` (Prometheus), and `/ledger` where given. */
export async function startControlServer(options: ControlServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    const [path = '/', query = ''] = (request.url ?? '/').split('?', 2);
    const command = Object.hasOwn(options.commands ?? {}, path) ? options.commands?.[path] : undefined;
    if (command !== undefined && request.method === 'POST') {
      readCommandBody(request, (body) => {
        const reply = 'problem' in body ? { status: 400, body: { error: body.problem } } : command(body.json);
        response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      });
      return;
    }
    if (request.method !== 'GET' || command !== undefined) {
      response.writeHead(405, { allow: command === undefined ? 'GET' : 'POST' }).end();
      return;
    }
    if (path === '/healthz') {
      const ok = options.healthy?.() ?? true;
      response.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'not ready\n');
      return;
    }
    if (path === '/status') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(options.status()));
      return;
    }
    if (path === '/ledger' && options.ledger !== undefined) {
      const after = parseLedgerAfter(new URLSearchParams(query));
      if (typeof after !== 'number') {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(`${after.problem}\n`);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(options.ledger(after)));
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  // Longer than the slowest sampling period (2 s): the harness reads every node each tick over one
  // kept-alive socket. Node's client drops a socket whose server hint is 1 s, so a shorter timeout
  // meant a new loopback connection per read (hundreds a second across skype-2010's nodes).
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Reads a command's JSON body (at most 16 KiB). */
function readCommandBody(request: IncomingMessage, done: (body: { json: unknown } | { problem: string }) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (body: { json: unknown } | { problem: string }): void => {
    if (finished) return;
    finished = true;
    done(body);
  };
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxCommandBytes) finish({ problem: `the body is larger than ${maxCommandBytes} bytes` });
    else chunks.push(chunk);
  });
  request.on('end', () => {
    try {
      finish({ json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
    } catch {
      finish({ problem: 'the body is not JSON (send a JSON object)' });
    }
  });
  request.on('error', () => finish({ problem: 'the request failed while its body was read' }));
}
