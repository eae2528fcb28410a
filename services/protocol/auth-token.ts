import { createHmac, timingSafeEqual } from 'node:crypto';

/** The token a user (or a supernode, with `sn:` + name) presents: HMAC-SHA256 of its id under the shared secret. */
export function authToken(secret: string, subject: string): string {
  return createHmac('sha256', secret).update(subject).digest('hex').slice(0, 32);
}

export function supernodeSubject(name: string): string {
  return `sn:${name}`;
}

export function verifyToken(secret: string, subject: string, token: string): boolean {
  const expected = Buffer.from(authToken(secret, subject));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
