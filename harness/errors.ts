/** Exit codes a CI can read. */
export const ExitCode = {
  ok: 0,
  targetMissed: 1,
  invalidInput: 2,
  infrastructure: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | 'DOCKER_UNAVAILABLE'
  | 'ENGINE_NOT_ANSWERING'
  | 'TOXIPROXY_UNAVAILABLE'
  | 'NO_PLATFORM'
  | 'IMAGE_UNAVAILABLE'
  | 'IMAGE_STALE'
  | 'IMAGE_BUILD_FAILED'
  | 'NODE_START_FAILED'
  | 'NODE_NOT_READY'
  | 'INVALID_TOXIC'
  | 'INVALID_LINK'
  | 'INVALID_SCENARIO'
  | 'INVALID_CONFIG'
  | 'UNKNOWN_SCENARIO'
  | 'PROVISION_FAILED'
  | 'TIMEOUT'
  | 'INTERRUPTED';

const exitCodeByError: Record<ErrorCode, ExitCode> = {
  DOCKER_UNAVAILABLE: ExitCode.infrastructure,
  ENGINE_NOT_ANSWERING: ExitCode.infrastructure,
  TOXIPROXY_UNAVAILABLE: ExitCode.infrastructure,
  NO_PLATFORM: ExitCode.infrastructure,
  IMAGE_UNAVAILABLE: ExitCode.infrastructure,
  IMAGE_STALE: ExitCode.infrastructure,
  IMAGE_BUILD_FAILED: ExitCode.infrastructure,
  NODE_START_FAILED: ExitCode.infrastructure,
  NODE_NOT_READY: ExitCode.infrastructure,
  INVALID_TOXIC: ExitCode.invalidInput,
  INVALID_LINK: ExitCode.invalidInput,
  INVALID_SCENARIO: ExitCode.invalidInput,
  INVALID_CONFIG: ExitCode.invalidInput,
  UNKNOWN_SCENARIO: ExitCode.invalidInput,
  PROVISION_FAILED: ExitCode.infrastructure,
  TIMEOUT: ExitCode.infrastructure,
  INTERRUPTED: ExitCode.interrupted,
};

/** An error as a value: a stable code, what went wrong, and the fix a user should try. */
export class ChaosError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, options: { hint: string; details?: readonly string[]; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChaosError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  get exitCode(): ExitCode {
    return exitCodeByError[this.code];
  }

  /** One line a person can act on: `CODE: message; hint`, then one detail per line. */
  describe(): string {
    const head = `${this.code}: ${this.message}; ${this.hint}`;
    return this.details.length === 0 ? head : [head, ...this.details.map((d) => `  - ${d}`)].join('\n');
  }
}

export function isChaosError(error: unknown): error is ChaosError {
  return error instanceof ChaosError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
