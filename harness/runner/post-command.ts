import { request } from 'node:http';

/** A command is answered at once (it only schedules its work); a node that takes longer is not taking it. */
const commandTimeoutMs = 5_000;

/**
 * Posts a JSON command to a node's control port (e.g. `/reboot-wave` on a fleet) and resolves its
 * JSON reply; rejects, naming the node's answer, on anything but 2xx or when it does not answer in time.
 */
export function postNodeCommand(controlUrl: string, path: string, body: unknown): Promise<unknown> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${controlUrl}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }, timeout: commandTimeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(new Error(`${controlUrl}${path} answered ${status}: ${text.slice(0, 300)}`));
            return;
          }
          try {
            resolve(text === '' ? undefined : (JSON.parse(text) as unknown));
          } catch {
            reject(new Error(`${controlUrl}${path} answered ${status} with a body that is not JSON`));
          }
        });
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${controlUrl}${path} did not answer within ${commandTimeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
