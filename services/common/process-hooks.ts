/** How a service ends its own process (self-protection, client-bug crash); injected so tests observe it instead. */
export interface ProcessHooks {
  exit(code: number, reason: string): void;
}
