import { randomBytes, timingSafeEqual } from 'node:crypto';

export type AccessRole = 'operator' | 'viewer' | 'kill-switch';

/**
 * The dashboard's tokens, each random (192 bits): the operator's acts, the viewer's only watches,
 * and the kill switch's may only heal every fault (`chaos heal` reads it from the rehearsal's
 * registry file, readable by its owner alone).
 */
export interface AccessTokens {
  readonly operator: string;
  readonly viewer: string;
  readonly killSwitch: string;
}

export function createAccessTokens(random: (bytes: number) => Buffer = randomBytes): AccessTokens {
  const token = (): string => random(24).toString('base64url');
  const tokens = { operator: token(), viewer: token(), killSwitch: token() };
  if (new Set(Object.values(tokens)).size !== 3) throw new Error('token source repeated itself');
  return tokens;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The role a token grants; undefined for a missing, empty or wrong token. */
export function roleOf(tokens: AccessTokens, given: string | null | undefined): AccessRole | undefined {
  if (typeof given !== 'string' || given === '') return undefined;
  if (sameToken(given, tokens.operator)) return 'operator';
  if (sameToken(given, tokens.viewer)) return 'viewer';
  if (sameToken(given, tokens.killSwitch)) return 'kill-switch';
  return undefined;
}

/** The token of a request: `?token=` or `Authorization: Bearer`. */
export function tokenOfRequest(url: URL, authorization: string | undefined): string | undefined {
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  return bearer ?? url.searchParams.get('token') ?? undefined;
}

export const canAct = (role: AccessRole | undefined): boolean => role === 'operator';
