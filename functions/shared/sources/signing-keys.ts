import type { Platform } from '../domain/vocabulary.ts';

/** The reference libraries refuse empty keys; below 16 bytes a key can be guessed or is a typo. */
export const MIN_SECRET_BYTES = 16;

const STANDARD_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard Webhooks as `standardwebhooks` and `svix` read a secret: an optional `whsec_` prefix, then base64 (strict:
 * padding included, no stray characters). Undefined when it is not base64. Canonical re-encoding rejects lenient
 * spellings whose padding bits differ, so one key has one spelling.
 */
export function standardWebhooksKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(STANDARD_PREFIX) ? secret.slice(STANDARD_PREFIX.length) : secret;
  if (!BASE64.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.toString('base64') === encoded ? key : undefined;
}

/** The HMAC key a platform signs with: Standard Webhooks decodes it; Shopify, WooCommerce and Stripe use the text. */
export function signingKey(platform: Platform, secret: string): Buffer | undefined {
  return platform === 'generic' ? standardWebhooksKey(secret) : Buffer.from(secret, 'utf8');
}

/** Why a configured secret cannot be used (never quoting it), or undefined when it is fine. */
export function secretProblem(platform: Platform, secret: string): string | undefined {
  const key = signingKey(platform, secret);
  if (!key) return 'not base64 (Standard Webhooks: whsec_ followed by base64)';
  if (key.length < MIN_SECRET_BYTES) return `shorter than ${MIN_SECRET_BYTES} bytes once decoded`;
  return undefined;
}
