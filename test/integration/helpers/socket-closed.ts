import WebSocket from 'ws';

/** Whether the socket closes (or has closed) within `timeoutMs`. */
export function closedWithin(socket: WebSocket, timeoutMs: number): Promise<boolean> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
