import { WebSocketServer } from 'ws';
import { Counter, Gauge } from 'prom-client';
import type { ServiceEnvironment } from '../common/service-env.js';
import { createMetricsRegistry, startControlServer } from '../common/control-server.js';
import type { RunningService } from '../common/running-service.js';

const maxEchoFrameBytes = 64 * 1024;

/** A WebSocket echo service: the smallest real node, used to test platforms and links. */
export async function startEchoService(env: ServiceEnvironment): Promise<RunningService> {
  const registry = createMetricsRegistry({ node: env.name, role: env.role });
  const framesEchoed = new Counter({ name: 'chaos_echo_frames_total', help: 'Frames echoed', registers: [registry] });
  const connections = new Gauge({ name: 'chaos_echo_connections', help: 'Open connections', registers: [registry] });
  let echoed = 0;

  const wss = new WebSocketServer({ host: env.bindHost, port: env.servicePort, maxPayload: maxEchoFrameBytes });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) => {
    connections.inc();
    socket.on('message', (data, isBinary) => {
      echoed += 1;
      framesEchoed.inc();
      socket.send(data, { binary: isBinary });
    });
    socket.on('close', () => connections.dec());
    socket.on('error', () => socket.terminate());
  });

  const control = await startControlServer({
    host: env.bindHost,
    port: env.controlPort,
    registry,
    status: () => ({
      role: env.role,
      name: env.name,
      ready: true,
      counters: { framesEchoed: echoed },
      gauges: { connections: wss.clients.size },
    }),
  });

  return {
    async close() {
      for (const client of wss.clients) client.close(1001, 'shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => control.close(() => resolve()));
    },
  };
}
