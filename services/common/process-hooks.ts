import { NodeExitCode } from '../protocol/exit-codes.js';

/** How a service ends its own process (self-protection, client-bug crash); injected so tests observe it instead. */
export interface ProcessHooks {
  exit(code: number, reason: string): void;
}

/** Real ms between turning every connection away and exiting: long enough for the close frames to leave. */
const CLOSE_FLUSH_MS = 100;

/** Self-protection's end, the same for every service: say why, then exit 75 once the connections have been closed. */
export function exitForSelfProtection(name: string, hooks: ProcessHooks, reason: string): void {
  console.error(`[${name}] self-protection: ${reason}; shutting down (exit ${NodeExitCode.selfProtection})`);
  setTimeout(() => hooks.exit(NodeExitCode.selfProtection, `self-protection: ${reason}`), CLOSE_FLUSH_MS);
}
