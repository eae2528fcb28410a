import { createServer, type Server } from 'node:http';
import { Registry, collectDefaultMetrics } from 'prom-client';

export interface ControlServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /** The JSON document served at `/status`. */
  readonly status: () => unknown;
  /** Whether `/healthz` answers 200; defaults to always. */
  readonly healthy?: () => boolean;
}

/** Builds a metrics registry with Node's default process metrics. */
export function createMetricsRegistry(labels: Record<string, string>): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The HTTP control port every service exposes: `/healthz`, `/status` (JSON), `/metrics` (Prometheus). */
export async function startControlServer(options: ControlServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
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
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
