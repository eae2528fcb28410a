import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAccessTokens, roleOf, tokenOfRequest } from '../../../harness/rehearsal/access-tokens.js';
import { DashboardServer, type DashboardBackend } from '../../../harness/rehearsal/dashboard-server.js';

describe('access tokens', () => {
  it('are random, distinct, and grant their role only', () => {
    const tokens = createAccessTokens();
    const other = createAccessTokens();
    expect(tokens.operator).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set([tokens.operator, tokens.viewer, tokens.killSwitch, other.operator]).size).toBe(4);
    expect(roleOf(tokens, tokens.operator)).toBe('operator');
    expect(roleOf(tokens, tokens.viewer)).toBe('viewer');
    expect(roleOf(tokens, tokens.killSwitch)).toBe('kill-switch');
    for (const wrong of [other.operator, '', undefined, null, tokens.operator.slice(1), `${tokens.operator}x`]) expect(roleOf(tokens, wrong)).toBeUndefined();
  });

  it('comes from the query or a bearer header', () => {
    expect(tokenOfRequest(new URL('http://x/?token=abc'), undefined)).toBe('abc');
    expect(tokenOfRequest(new URL('http://x/?token=abc'), 'Bearer def')).toBe('def');
    expect(tokenOfRequest(new URL('http://x/'), undefined)).toBeUndefined();
  });
});

describe('the dashboard server', () => {
  let server: DashboardServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const commands: string[] = [];
  const heals: string[] = [];
  const backend: DashboardBackend = {
    page: (role) => `<html>${role}</html>`,
    snapshot: (role) => ({ points: [1, 2], secret: role === 'operator' ? 'viewer-link' : undefined }),
    command: async (text) => {
      commands.push(text);
      return { ok: true, message: `did ${text}` };
    },
    healAll: async (who) => {
      heals.push(who);
      return { ok: true, message: 'healed 1' };
    },
    operatorConnected: () => () => undefined,
    operatorSeen: () => undefined,
  };

  it('answers 401 and no data without a valid token, on every path and on the WebSocket', async () => {
    const tokens = createAccessTokens();
    server = await DashboardServer.start(tokens, backend);
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const path of ['/', '/api/state', '/?token=wrong', `/api/state?token=${createAccessTokens().operator}`]) {
      const response = await fetch(`${server.baseUrl}${path}`);
      expect(response.status, path).toBe(401);
      expect(await response.text()).not.toContain('points');
    }
    const post = await fetch(`${server.baseUrl}/api/command`, { method: 'POST', body: JSON.stringify({ command: 'heal all' }) });
    expect(post.status).toBe(401);
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server!.port}/live?token=nope`);
      ws.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
      ws.on('open', () => resolve('open'));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe('401');
    expect(commands).toEqual([]);
  });

  it('lets the viewer watch but not act, and the operator act', async () => {
    const tokens = createAccessTokens();
    server = await DashboardServer.start(tokens, backend);
    expect(await (await fetch(server.urlFor('viewer'))).text()).toBe('<html>viewer</html>');
    const asViewer = await fetch(`${server.baseUrl}/api/command`, { method: 'POST', headers: { authorization: `Bearer ${tokens.viewer}` }, body: JSON.stringify({ command: 'mark x' }) });
    expect(asViewer.status).toBe(403);
    const viewerSocket = new WebSocket(`ws://127.0.0.1:${server.port}/live?token=${tokens.viewer}`);
    const messages: Record<string, unknown>[] = [];
    viewerSocket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    await new Promise((resolve) => viewerSocket.once('open', resolve));
    viewerSocket.send(JSON.stringify({ type: 'command', text: 'heal all', ref: 1 }));
    viewerSocket.send(JSON.stringify({ type: 'heal-all', ref: 2 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(messages[0]).toMatchObject({ type: 'hello', role: 'viewer', points: [1, 2] });
    expect(messages[0]?.['secret']).toBeUndefined();
    expect(messages.slice(1)).toEqual([
      { type: 'reply', ref: 1, ok: false, message: 'a viewer cannot act; open the operator link to give commands' },
      { type: 'reply', ref: 2, ok: false, message: 'a viewer cannot act; open the operator link to give commands' },
    ]);
    viewerSocket.close();
    expect(commands).toEqual([]);

    const asOperator = await fetch(`${server.baseUrl}/api/command`, { method: 'POST', headers: { authorization: `Bearer ${tokens.operator}` }, body: JSON.stringify({ command: 'mark x' }) });
    expect(await asOperator.json()).toEqual({ ok: true, message: 'did mark x' });
    expect(commands).toEqual(['mark x']);
  });

  it('gives the kill-switch token the heal and nothing else', async () => {
    const tokens = createAccessTokens();
    server = await DashboardServer.start(tokens, backend);
    const auth = { authorization: `Bearer ${tokens.killSwitch}` };
    expect((await fetch(`${server.baseUrl}/`, { headers: auth })).status).toBe(403);
    expect((await fetch(`${server.baseUrl}/api/command`, { method: 'POST', headers: auth, body: '{"command":"mark x"}' })).status).toBe(403);
    const heal = await fetch(`${server.baseUrl}/api/heal-all`, { method: 'POST', headers: { ...auth, 'x-chaos-caller': 'chaos heal (pid 9)' } });
    expect(await heal.json()).toEqual({ ok: true, message: 'healed 1' });
    expect(heals).toEqual(['kill switch: chaos heal (pid 9)']);
  });
});
