import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { postNodeCommand } from '../../../harness/runner/post-command.js';

describe('posting a command to a node’s control port', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  async function listen(answer: (body: string) => [number, string]): Promise<string> {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const [status, text] = answer(`${request.method ?? ''} ${request.url ?? ''} ${body}`);
        response.writeHead(status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  it('sends the body as JSON by POST and resolves the JSON reply', async () => {
    const seen: string[] = [];
    const url = await listen((request) => (seen.push(request), [202, '{"rebooting":3}']));
    expect(await postNodeCommand(url, '/reboot-wave', { share: 0.5 })).toEqual({ rebooting: 3 });
    expect(seen).toEqual(['POST /reboot-wave {"share":0.5}']);
  });

  it("rejects with the node's own answer when it refuses the command", async () => {
    const url = await listen(() => [400, '{"error":"share: too big"}']);
    await expect(postNodeCommand(url, '/reboot-wave', {})).rejects.toThrow(`${url}/reboot-wave answered 400: {"error":"share: too big"}`);
  });
});
