import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { ExitCode } from '../errors.js';
import {
  DEFAULT_REGISTRY_HOST,
  DEFAULT_REGISTRY_PORT,
  defaultRegistryStateDir,
  registryFiles,
  registryStatus,
  startRegistry,
  stopRegistry,
  type RegistryRecord,
} from '../platform/registry-server.js';
import { registryHostProblem } from '../platform/registry-host.js';

interface RegistryFlags {
  readonly stateDir: string;
}

function parseHost(value: string): string {
  const problem = registryHostProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return value;
}

function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 1 && port <= 65_535)) throw new InvalidArgumentError(`"${value}" is not a port (an integer from 1 to 65535)`);
  return port;
}

const useLine = (record: RegistryRecord): string =>
  record.address.startsWith('127.')
    ? `use it with: chaos run --platform swarm --registry ${record.address} (or CHAOS_REGISTRY=${record.address})\n`
    : `use it with: chaos run --platform swarm --place spread --registry ${record.address} (or CHAOS_REGISTRY=${record.address}); ` +
      `every swarm node's engine must list it in "insecure-registries" (/etc/docker/daemon.json, then kill -HUP the dockerd)\n`;

const stateDirOption = (command: Command): Command =>
  command.option('--state-dir <dir>', 'where the registry keeps its config, data, log and pid file', defaultRegistryStateDir);

/** `chaos registry start|stop|status`: a loopback registry for `--platform swarm --registry`, never started by anything else. */
export function registerRegistryCommand(program: Command): void {
  const registry = program.command('registry').description("a registry for --platform swarm --registry (Debian's docker-registry), on 127.0.0.1 unless --host names another address");

  stateDirOption(registry.command('start').description('start the registry (detached), or say where it already runs'))
    .option('--port <n>', 'the port it listens on', parsePort, DEFAULT_REGISTRY_PORT)
    .option('--host <ip>', "the address it listens on: 127.0.0.1, or one of this machine's that the other swarm nodes reach", parseHost, DEFAULT_REGISTRY_HOST)
    .action(async (flags: RegistryFlags & { readonly port: number; readonly host: string }) => {
      const stateDir = resolve(flags.stateDir);
      const started = await startRegistry({ stateDir, port: flags.port, host: flags.host });
      const { record } = started;
      if (started.kind === 'already-running') {
        const elsewhere = record.address === `${flags.host}:${flags.port}` ? '' : ` (not at ${flags.host}:${flags.port}: \`chaos registry stop\` first to move it)`;
        process.stdout.write(`a registry from ${stateDir} already runs at ${record.address} (pid ${record.pid})${elsewhere}\n`);
      } else {
        const files = registryFiles(stateDir);
        process.stdout.write(`registry started at ${record.address} (pid ${record.pid}; data in ${files.data}, log in ${files.log})\n`);
      }
      process.stdout.write(useLine(record));
      process.exitCode = ExitCode.ok;
    });

  stateDirOption(registry.command('stop').description('stop the registry (SIGTERM, then SIGKILL after 5 s)')).action(async (flags: RegistryFlags) => {
    const stateDir = resolve(flags.stateDir);
    const stopped = await stopRegistry(stateDir);
    process.stdout.write(
      stopped.kind === 'not-running'
        ? `no registry from ${stateDir} is running; nothing to stop\n`
        : `registry at ${stopped.record.address} (pid ${stopped.record.pid}) stopped${stopped.forced ? ' with SIGKILL' : ''}\n`,
    );
    process.exitCode = ExitCode.ok;
  });

  stateDirOption(registry.command('status').description('whether the registry runs and answers; exit 3 when it runs but does not answer')).action(async (flags: RegistryFlags) => {
    const stateDir = resolve(flags.stateDir);
    const status = await registryStatus(stateDir);
    if (!status.running) {
      process.stdout.write(`no registry from ${stateDir} is running (\`chaos registry start\` starts one)\n`);
      process.exitCode = ExitCode.ok;
      return;
    }
    const { record } = status;
    process.stdout.write(
      status.answers
        ? `registry running at ${record.address} (pid ${record.pid}), answers\n${useLine(record)}`
        : `registry running at ${record.address} (pid ${record.pid}), does not answer: ${status.reason}\n`,
    );
    process.exitCode = status.answers ? ExitCode.ok : ExitCode.infrastructure;
  });
}
