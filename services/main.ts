import { readServiceEnv, type ServiceEnvironment, type ServiceRoleName } from './common/service-env.js';
import type { RunningService } from './common/running-service.js';
import { startEchoService } from './echo/echo-service.js';

type ServiceStarter = (env: ServiceEnvironment) => Promise<RunningService>;

const starters: Partial<Record<ServiceRoleName, ServiceStarter>> = {
  echo: startEchoService,
};

async function main(): Promise<void> {
  const env = readServiceEnv(process.env);
  const start = starters[env.role];
  if (start === undefined) throw new Error(`role ${env.role} is not built into this services bundle`);
  const service = await start(env);
  console.log(`[${env.name}] ${env.role} listening on ${env.bindHost}:${env.servicePort} (control ${env.controlPort})`);
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    console.log(`[${env.name}] ${signal}: shutting down`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[${env.name}] unclean shutdown: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`service failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(78);
});
