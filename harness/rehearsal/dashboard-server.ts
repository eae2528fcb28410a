import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { type AccessRole, type AccessTokens, canAct, roleOf, tokenOfRequest } from './access-tokens.js';
import type { ConsoleReply } from './operator-console.js';

/** What the dashboard serves and forwards; the rehearsal provides it. */
export interface DashboardBackend {
  /** The page, for a role (the operator's shows the controls). */
  page(role: 'operator' | 'viewer'): string;
  /** Everything a page needs when it connects: series so far, faults, events, catalogue. */
  snapshot(role: 'operator' | 'viewer'): Record<string, unknown>;
  /** A command line from an operator's page. */
  command(text: string): Promise<ConsoleReply>;
  /** The kill switch (page button, or `chaos heal` from another shell with the kill-switch token). */
  healAll(who: string): Promise<ConsoleReply>;
  /** An operator's page connected; the returned function is called when it goes. */
  operatorConnected(): () => void;
  /** An operator's page said something (keeps the dead-man switch from tripping). */
  operatorSeen(): void;
}

const MAX_BODY = 16 * 1024;
const NO_DATA = '401: a valid token is needed (open the URL the rehearsal printed)\n';

/**
 * The live dashboard: HTTP and a WebSocket on 127.0.0.1 (a random port). Every request needs a
 * token: the operator's acts, the viewer's watches, the kill switch's only heals. A request without
 * a valid token gets 401 and no data; a viewer's command gets 403.
 */
export class DashboardServer {
  private readonly server: Server;
  private readonly sockets: WebSocketServer;
  private readonly clients = new Map<WebSocket, AccessRole>();

  private constructor(
    private readonly tokens: AccessTokens,
    private readonly backend: DashboardBackend,
  ) {
    this.sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end('500: dashboard error\n');
      });
    });
    this.server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
  }

  static async start(tokens: AccessTokens, backend: DashboardBackend, port = 0): Promise<DashboardServer> {
    const dashboard = new DashboardServer(tokens, backend);
    await new Promise<void>((resolve, reject) => {
      dashboard.server.once('error', reject);
      dashboard.server.listen(port, '127.0.0.1', () => resolve());
    });
    return dashboard;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  urlFor(role: 'operator' | 'viewer'): string {
    return `${this.baseUrl}/?token=${role === 'operator' ? this.tokens.operator : this.tokens.viewer}`;
  }

  /** Sends a message to every connected page. */
  broadcast(message: Record<string, unknown>): void {
    const text = JSON.stringify(message);
    for (const socket of this.clients.keys()) if (socket.readyState === WebSocket.OPEN) socket.send(text);
  }

  connectedPages(): { operators: number; viewers: number } {
    const roles = [...this.clients.values()];
    return { operators: roles.filter((role) => role === 'operator').length, viewers: roles.filter((role) => role === 'viewer').length };
  }

  async close(): Promise<void> {
    this.broadcast({ type: 'ended' });
    for (const socket of this.clients.keys()) socket.terminate();
    this.clients.clear();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private roleOf(request: IncomingMessage): { role: AccessRole | undefined; url: URL } {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    return { role: roleOf(this.tokens, tokenOfRequest(url, request.headers.authorization)), url };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { role, url } = this.roleOf(request);
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    if (role === undefined) {
      response.writeHead(401, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end(NO_DATA);
      return;
    }
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /':
        if (role === 'kill-switch') return json(403, { ok: false, message: 'the kill-switch token only heals' });
        response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(this.backend.page(role));
        return;
      case 'GET /api/state':
        if (role === 'kill-switch') return json(403, { ok: false, message: 'the kill-switch token only heals' });
        return json(200, { role, ...this.backend.snapshot(role) });
      case 'POST /api/command': {
        if (!canAct(role)) return json(403, { ok: false, message: 'a viewer cannot act; open the operator link to give commands' });
        const body = await readBody(request);
        const text = typeof body?.['command'] === 'string' ? body['command'] : undefined;
        if (text === undefined) return json(400, { ok: false, message: 'send {"command": "<a command line>"}' });
        this.backend.operatorSeen();
        const reply = await this.backend.command(text);
        return json(reply.ok ? 200 : 422, reply);
      }
      case 'POST /api/heal-all': {
        if (role === 'viewer') return json(403, { ok: false, message: 'a viewer cannot act' });
        const who = request.headers['x-chaos-caller'];
        const reply = await this.backend.healAll(role === 'kill-switch' ? `kill switch: ${typeof who === 'string' ? who.slice(0, 120) : 'chaos heal'}` : 'kill switch: operator (api)');
        return json(200, reply);
      }
      default:
        return json(404, { ok: false, message: `no ${route}` });
    }
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { role, url } = this.roleOf(request);
    if (url.pathname !== '/live' || role === undefined || role === 'kill-switch') {
      socket.end(`HTTP/1.1 ${role === undefined ? '401 Unauthorized' : '404 Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (ws) => this.accept(ws, role));
  }

  private accept(ws: WebSocket, role: 'operator' | 'viewer'): void {
    this.clients.set(ws, role);
    const gone = role === 'operator' ? this.backend.operatorConnected() : () => undefined;
    ws.on('close', () => {
      this.clients.delete(ws);
      gone();
    });
    ws.on('error', () => ws.terminate());
    ws.send(JSON.stringify({ type: 'hello', role, ...this.backend.snapshot(role) }));
    ws.on('message', (data) => {
      void this.onMessage(ws, role, data.toString()).catch(() => undefined);
    });
  }

  private async onMessage(ws: WebSocket, role: 'operator' | 'viewer', text: string): Promise<void> {
    let message: { type?: unknown; text?: unknown; ref?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    const ref = typeof message.ref === 'number' || typeof message.ref === 'string' ? message.ref : null;
    const reply = (body: ConsoleReply): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'reply', ref, ...body }));
    };
    if (message.type === 'ping') {
      if (role === 'operator') this.backend.operatorSeen();
      return;
    }
    if (message.type !== 'command' && message.type !== 'heal-all') return;
    if (!canAct(role)) {
      reply({ ok: false, message: 'a viewer cannot act; open the operator link to give commands' });
      return;
    }
    this.backend.operatorSeen();
    if (message.type === 'heal-all') {
      reply(await this.backend.healAll('kill switch: page button'));
      return;
    }
    if (typeof message.text !== 'string') return;
    reply(await this.backend.command(message.text));
  }
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
