import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { linkSigningKey } from './secrets.ts';

/**
 * Signed link tokens: HMAC-SHA256 over a small JSON payload, scoped to one purpose and one customer/purchase,
 * expiring. A forged, tampered, expired or wrong-purpose token is a TokenError (shown as a friendly 4xx page).
 */
export const PURPOSES = ['survey', 'unsubscribe'] as const;
export type Purpose = (typeof PURPOSES)[number];

const payloadSchema = z.strictObject({
  p: z.enum(PURPOSES),
  s: z.string().min(1),
  o: z.string().min(1).optional(),
  c: z.string().min(1),
  /** Expiry, seconds since epoch. */
  e: z.number().int(),
});
export type TokenPayload = z.infer<typeof payloadSchema>;

export class TokenError extends Error {
  override name = 'TokenError';
  constructor(readonly reason: 'malformed' | 'signature' | 'expired' | 'purpose') {
    super(`link token rejected: ${reason}`);
  }
}

function sign(body: string, key: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

export async function createToken(payload: TokenPayload): Promise<string> {
  const body = Buffer.from(JSON.stringify(payloadSchema.parse(payload))).toString('base64url');
  return `${body}.${sign(body, await linkSigningKey()).toString('base64url')}`;
}

export async function verifyToken(token: string, purpose: Purpose, now: number): Promise<TokenPayload> {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(signature)) {
    throw new TokenError('malformed');
  }
  const expected = sign(body, await linkSigningKey());
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('signature');
  let parsed: TokenPayload;
  try {
    parsed = payloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw new TokenError('malformed');
  }
  if (parsed.p !== purpose) throw new TokenError('purpose');
  if (parsed.e * 1000 < now) throw new TokenError('expired');
  return parsed;
}
