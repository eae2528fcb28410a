/** Process exit codes that tell the harness why a node went away. */
export const NodeExitCode = {
  /** Graceful stop (SIGTERM). */
  clean: 0,
  /** The client software crashed (the 2010 bug) inside a peer supernode. */
  clientBugCrash: 70,
  /** A supernode shut itself off because its load stayed above its threshold (self-protection). */
  selfProtection: 75,
  /** Bad configuration at start. */
  configError: 78,
  /** Killed with SIGKILL (128 + 9), as Docker and shells report it. */
  killed: 137,
} as const;

export type NodeExitCause = 'clean' | 'client-bug' | 'self-protection' | 'config-error' | 'killed' | 'unknown';

export function exitCauseOf(exitCode: number | undefined): NodeExitCause {
  switch (exitCode) {
    case NodeExitCode.clean:
      return 'clean';
    case NodeExitCode.clientBugCrash:
      return 'client-bug';
    case NodeExitCode.selfProtection:
      return 'self-protection';
    case NodeExitCode.configError:
      return 'config-error';
    case NodeExitCode.killed:
      return 'killed';
    default:
      return 'unknown';
  }
}
