import type { Server } from 'node:http';

/** Closes the control port without waiting for the observer's keep-alive connections. */
export async function stopControlServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
