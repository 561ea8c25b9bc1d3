import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Platform } from '../domain/vocabulary.ts';
import { SignatureError } from './errors.ts';
import { secretProblem } from './signing-keys.ts';

export function hmacSha256(key: string | Buffer, message: Buffer): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Compares the encoded signatures (base64 or hex text) rather than decoded bytes: lenient decoders ignore stray
 * characters and padding bits, so two different strings could decode to the same bytes.
 */
export function signaturesMatch(expected: string, given: string): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  const givenBytes = Buffer.from(given, 'utf8');
  return expectedBytes.length === givenBytes.length && timingSafeEqual(expectedBytes, givenBytes);
}

/**
 * The secrets worth trying; during rotation the old and the new one are both configured. A key under 16 bytes
 * (`whsec_` alone decodes to none) would let anyone sign: it is never tried, even if a loader let it through.
 */
export function usableSecrets(secrets: readonly string[], platform: Platform = 'shopify'): string[] {
  const usable = secrets.filter((secret) => secretProblem(platform, secret) === undefined);
  if (usable.length === 0) throw new SignatureError('no usable signing secret is configured for this store');
  return usable;
}

/** Shopify and WooCommerce: `header` = base64(HMAC-SHA256(secret, raw body)). */
export function verifyBodySignature(
  rawBody: Buffer,
  given: string | undefined,
  headerName: string,
  secrets: readonly string[],
) {
  if (!given) throw new SignatureError(`missing ${headerName} header`);
  const matches = usableSecrets(secrets).some((secret) =>
    signaturesMatch(hmacSha256(secret, rawBody).toString('base64'), given),
  );
  if (!matches) throw new SignatureError(`${headerName} does not match the body`);
}
