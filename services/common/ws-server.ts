import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../protocol/frame-fields.js';
import { CloseCode } from '../protocol/error-codes.js';

/** A WebSocket server with the protocol's frame cap; an oversized frame closes only its own socket (1009). */
export async function listenWs(host: string, port: number, onConnection: (socket: WebSocket) => void): Promise<WebSocketServer> {
  const wss = new WebSocketServer({ host, port, maxPayload: MAX_FRAME_BYTES, clientTracking: true, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      wss.off('error', reject);
      resolve();
    });
  });
  wss.on('error', (error) => console.error(`websocket server error: ${error.message}`));
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    onConnection(socket);
  });
  return wss;
}

export function listeningPort(wss: WebSocketServer): number {
  const address = wss.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Closes every socket with a reason, then the server; sockets that do not finish the close handshake are terminated. */
export async function closeWs(wss: WebSocketServer, reason: string, graceMs = 500): Promise<void> {
  for (const socket of wss.clients) socket.close(CloseCode.goingAway, reason);
  const done = new Promise<void>((resolve) => wss.close(() => resolve()));
  const timer = setTimeout(() => {
    for (const socket of wss.clients) socket.terminate();
  }, graceMs);
  await done;
  clearTimeout(timer);
}
