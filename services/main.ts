import { readServiceEnv, type ServiceEnvironment, type ServiceRoleName } from './common/service-env.js';
import type { RunningService } from './common/running-service.js';
import type { ProcessHooks } from './common/process-hooks.js';
import { ServiceMachine } from './common/service-machine.js';
import { startEchoService } from './echo/echo-service.js';
import { startLoginService } from './login/login-service.js';
import { startSupernodeService } from './supernode/supernode-service.js';
import { startOfflineMessagesService } from './offline-messages/offline-messages-service.js';
import { startClientFleetService } from './client-fleet/client-fleet-service.js';

type ServiceStarter = (env: ServiceEnvironment, hooks: ProcessHooks, restarted: boolean) => Promise<RunningService>;

const starters: Partial<Record<ServiceRoleName, ServiceStarter>> = {
  echo: startEchoService,
  login: (env, hooks, restarted) => startLoginService(env, hooks, { restarted }),
  supernode: (env, hooks) => startSupernodeService(env, hooks),
  'offline-messages': (env) => startOfflineMessagesService(env),
  'client-fleet': (env) => startClientFleetService(env),
};

/** The machine cannot go on: the exit code tells the harness why (services/protocol/exit-codes.ts). */
function endProcess(code: number, reason: string): void {
  console.error(`exiting with code ${code}: ${reason}`);
  process.exit(code);
}

async function main(): Promise<void> {
  const env = readServiceEnv(process.env);
  const start = starters[env.role];
  if (start === undefined) throw new Error(`role ${env.role} is not built into this services bundle`);
  const machine = new ServiceMachine({
    host: env.bindHost,
    controlPort: env.controlPort,
    start: (hooks, restarted) => start(env, hooks, restarted),
    fail: endProcess,
    log: (line) => console.error(`[${env.name}] ${line}`),
  });
  await machine.start();
  console.log(`[${env.name}] ${env.role} listening on ${env.bindHost}:${env.servicePort} (control ${env.controlPort})`);
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    console.log(`[${env.name}] ${signal}: shutting down`);
    machine.shutdown().then(
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
