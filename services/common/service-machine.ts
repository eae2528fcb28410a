import { createServer, type Server } from 'node:http';
import type { ProcessHooks } from './process-hooks.js';
import type { RunningService } from './running-service.js';
import { stopControlServer } from './stop-control-server.js';

/** What the machine's program is doing, as `GET /machine` reports it. */
export type ProgramState =
  | { readonly program: 'starting' | 'running' | 'ending' | 'stopped' }
  | { readonly program: 'exited'; readonly exitCode: number; readonly reason: string };

export interface ServiceMachineOptions {
  readonly host: string;
  readonly controlPort: number;
  /** Starts the program (the service); its control server listens on `controlPort`. `restarted`: the machine ran it before. */
  readonly start: (hooks: ProcessHooks, restarted: boolean) => Promise<RunningService>;
  /** The machine cannot go on (the program would not start again): end the process with this code. */
  readonly fail: (code: number, reason: string) => void;
  readonly log: (line: string) => void;
}

/** Exit code when the program does not start again on a machine that ran it before. */
export const PROGRAM_START_FAILED = 78;

/**
 * The process is the machine; the service is the program on it. When the program ends itself
 * (self-protection, the client bug), the machine closes it and answers on the control port what
 * happened (`GET /machine`; `/healthz` is 503) until the harness starts the program again
 * (`POST /machine/start`). A restart storm then costs the host a service start, not a process or
 * container start: the user restarts Skype, not the computer.
 */
export class ServiceMachine {
  private service: RunningService | undefined;
  private current: ProgramState = { program: 'starting' };
  private idlePort: Server | undefined;
  private transition: Promise<void> = Promise.resolve();
  /** Counts program starts: a late exit call from a program already replaced is ignored. */
  private generation = 0;

  constructor(private readonly options: ServiceMachineOptions) {}

  get state(): ProgramState {
    return this.current;
  }

  /** The first start; its failure is the caller's (the process has nothing else to run). */
  async start(): Promise<void> {
    this.service = await this.options.start(this.nextHooks(), false);
    this.current = { program: 'running' };
  }

  private nextHooks(): ProcessHooks {
    const generation = ++this.generation;
    return { exit: (code, reason) => (generation === this.generation ? this.programEnded(code, reason) : undefined) };
  }

  /** SIGTERM or SIGINT: ends the program (if it runs) and frees the control port. */
  shutdown(): Promise<void> {
    this.transition = this.transition.then(async () => {
      const service = this.service;
      this.service = undefined;
      this.current = { program: 'stopped' };
      if (service !== undefined) await service.close();
      if (this.idlePort !== undefined) await stopControlServer(this.idlePort);
      this.idlePort = undefined;
    });
    return this.transition;
  }

  private programEnded(exitCode: number, reason: string): void {
    if (this.current.program !== 'running') return;
    this.current = { program: 'ending' };
    this.options.log(`program exited with code ${exitCode}: ${reason}`);
    this.transition = this.transition.then(async () => {
      const service = this.service;
      this.service = undefined;
      await service?.close().catch((error: unknown) => this.options.log(`program did not close cleanly: ${String(error)}`));
      if (this.current.program !== 'ending') return;
      try {
        this.idlePort = await this.listenIdle();
        this.current = { program: 'exited', exitCode, reason };
      } catch (error) {
        // Nobody could learn that the program ended: end the machine with the program's code instead.
        this.options.fail(exitCode, `${reason} (the control port could not report it: ${error instanceof Error ? error.message : String(error)})`);
      }
    });
  }

  private restartProgram(): void {
    this.transition = this.transition.then(async () => {
      if (this.current.program !== 'exited') return;
      this.current = { program: 'starting' };
      if (this.idlePort !== undefined) await stopControlServer(this.idlePort);
      this.idlePort = undefined;
      try {
        this.service = await this.options.start(this.nextHooks(), true);
        this.current = { program: 'running' };
        this.options.log('program started again');
      } catch (error) {
        this.options.fail(PROGRAM_START_FAILED, `program did not start again: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  /** The control port while no program runs: what happened, and the way to start it again. */
  private async listenIdle(): Promise<Server> {
    const server = createServer((request, response) => {
      // The idle port closes when the program starts again: nobody may keep a connection to it.
      response.setHeader('connection', 'close');
      const path = (request.url ?? '/').split('?', 1)[0];
      const json = (status: number, body: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
      };
      if (path === '/machine/start') {
        if (request.method !== 'POST') return void response.writeHead(405, { allow: 'POST' }).end();
        if (this.current.program !== 'exited') return json(409, this.current);
        json(202, { program: 'starting' });
        this.restartProgram();
        return;
      }
      if (request.method !== 'GET') return void response.writeHead(405, { allow: 'GET' }).end();
      if (path === '/machine') return json(200, this.current);
      json(503, this.current);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.controlPort, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  }
}
