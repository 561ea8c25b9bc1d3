import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { linkSigningKey } from './secrets.ts';

/**
 * Link tokens: a small JSON payload scoped to one purpose and one customer/purchase, expiring, sealed with
 * AES-256-GCM (a key derived from the link secret), so a link reveals nothing — not even the customer key, an
 * address hash anyone could look up — and any change to it is detected. A forged, tampered, expired or
 * wrong-purpose token is a TokenError (shown as a friendly 4xx page).
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

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** IV, tag and the shortest payload JSON (`{"p":"survey","s":"x","c":"x","e":0}`), in base64url. */
const MIN_SEALED_CHARS = Math.ceil(((IV_BYTES + TAG_BYTES + 36) * 4) / 3);

function sealingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'aftercare link token v2', 32));
}

export async function createToken(payload: TokenPayload): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(await linkSigningKey()), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(payloadSchema.parse(payload))), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** A sealed token's JSON, or undefined when it was not sealed with this key. */
function unseal(token: string, secret: string): string | undefined {
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(-TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, -TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Links sent before sealing: `<base64url JSON>.<base64url HMAC>`, still honoured until they expire. */
function legacyBody(token: string, secret: string): string | undefined {
  const [body = '', signature = '', extra] = token.split('.');
  if (extra !== undefined || !/^[\w-]+$/.test(signature)) return undefined;
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return Buffer.from(body, 'base64url').toString('utf8');
}

export async function verifyToken(token: string, purpose: Purpose, now: number): Promise<TokenPayload> {
  const parts = token.split('.');
  if (parts.length > 2 || !parts.every((part) => /^[\w-]+$/.test(part))) throw new TokenError('malformed');
  if (parts.length === 1 && token.length < MIN_SEALED_CHARS) throw new TokenError('malformed');
  // Only the one spelling this service wrote is accepted: base64url leaves spare bits in a last character, so
  // several spellings decode to the same bytes. Text is compared, never decoded bytes.
  if (parts.some((part) => Buffer.from(part, 'base64url').toString('base64url') !== part)) {
    throw new TokenError('signature');
  }
  const secret = await linkSigningKey();
  const json = parts.length === 1 ? unseal(token, secret) : legacyBody(token, secret);
  if (json === undefined) throw new TokenError('signature');
  let parsed: TokenPayload;
  try {
    parsed = payloadSchema.parse(JSON.parse(json));
  } catch {
    throw new TokenError('malformed');
  }
  if (parsed.p !== purpose) throw new TokenError('purpose');
  if (parsed.e * 1000 < now) throw new TokenError('expired');
  return parsed;
}
