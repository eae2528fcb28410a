import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { Endpoint } from '../../harness/platform/platform.js';
import { authToken } from '../../services/protocol/auth-token.js';

/** A bare protocol client for timing: one WebSocket, frames sent by hand. */

export function openSocket(endpoint: Endpoint, timeoutMs = 3_000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${endpoint.host}:${endpoint.port}/`, { handshakeTimeout: timeoutMs });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The next frame of `type`; rejects on an error frame, a closed socket, or after `timeoutMs`. */
export function nextFrame(socket: WebSocket, type: string, timeoutMs = 3_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`no ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onClose = (): void => {
      finish();
      reject(new Error(`socket closed while waiting for ${type}`));
    };
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (frame['type'] !== 'error' && frame['type'] !== type) return;
      finish();
      if (frame['type'] === 'error') reject(new Error(`error frame: ${JSON.stringify(frame)}`));
      else resolve(frame);
    };
    socket.on('message', onMessage);
    socket.once('close', onClose);
  });
}

/** Opens a session on a supernode as `userId` (a raw client, outside any fleet). */
export async function registerClient(endpoint: Endpoint, secret: string, userId: string): Promise<WebSocket> {
  const socket = await openSocket(endpoint);
  try {
    const registered = nextFrame(socket, 'registered');
    socket.send(JSON.stringify({ v: 1, type: 'register', userId, token: authToken(secret, userId), clientVersion: '5.0.0.156' }));
    await registered;
    return socket;
  } catch (error) {
    socket.terminate();
    throw error;
  }
}

let lookupCounter = 0;

/** One lookup of `userId` (the client itself: found on the supernode, one hop); returns when it was sent and answered. */
export async function timedLookup(socket: WebSocket, userId: string, timeoutMs = 3_000): Promise<{ readonly sentAt: number; readonly answeredAt: number }> {
  lookupCounter += 1;
  const result = nextFrame(socket, 'lookup-result', timeoutMs);
  const sentAt = performance.now();
  socket.send(JSON.stringify({ v: 1, type: 'lookup', requestId: `bench-${lookupCounter}`, userId }));
  const frame = await result;
  const answeredAt = performance.now();
  if (frame['found'] !== true) throw new Error(`lookup of ${userId} did not find it`);
  return { sentAt, answeredAt };
}
