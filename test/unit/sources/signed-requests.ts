import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import type { SourceEvent } from '#shared/domain/purchase.ts';
import type { Platform } from '#shared/domain/vocabulary.ts';
import { type SourceRequest, sources } from '#shared/sources/index.ts';

/** Requests signed exactly as each platform signs them, for tests. */
export const NOW = Date.parse('2025-06-05T07:00:00Z');
export const NOW_SECONDS = Math.floor(NOW / 1000);
export const SECRET = 'shpss_test-secret';
export const STRIPE_SECRET = 'whsec_test_8f2c1d0e';
export const STANDARD_SECRET = `whsec_${Buffer.from('standard-webhooks-key-bytes').toString('base64')}`;

/** Fixtures live beside the repository (../shared), never inside it. */
export function fixture(path: string): Buffer {
  return readFileSync(new URL(`../../../../shared/fixtures/${path}`, import.meta.url));
}

export function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

const hmac = (key: string | Buffer, message: Buffer, encoding: 'base64' | 'hex') =>
  createHmac('sha256', key).update(message).digest(encoding);

export function request(rawBody: Buffer, headers: Record<string, string | undefined>): SourceRequest {
  return { headers, rawBody, storeId: 'coffee-corner', now: NOW };
}

export function shopifyRequest(rawBody: Buffer, topic: string, secret = SECRET): SourceRequest {
  return request(rawBody, {
    'x-shopify-hmac-sha256': hmac(secret, rawBody, 'base64'),
    'x-shopify-topic': topic,
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-triggered-at': '2025-06-05T06:59:58.123456789Z',
  });
}

export function wooRequest(rawBody: Buffer, topic: string, secret = SECRET): SourceRequest {
  return request(rawBody, {
    'x-wc-webhook-signature': hmac(secret, rawBody, 'base64'),
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-delivery-id': '8e1e3c6bd1c0b0b9d1e6',
  });
}

export function stripeSignature(rawBody: Buffer, timestamp = NOW_SECONDS, secret = STRIPE_SECRET): string {
  return hmac(secret, Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]), 'hex');
}

export function stripeRequest(rawBody: Buffer, timestamp = NOW_SECONDS, secret = STRIPE_SECRET): SourceRequest {
  return request(rawBody, { 'stripe-signature': `t=${timestamp},v1=${stripeSignature(rawBody, timestamp, secret)}` });
}

export function stripeEvent(type: string, object: unknown, id = 'evt_1Test'): Buffer {
  return jsonBody({
    id,
    object: 'event',
    api_version: '2025-04-30.basil',
    created: NOW_SECONDS - 2,
    data: { object },
    type,
  });
}

/** Signed by the reference library (`standardwebhooks`, which reads the secret as Svix does). */
export function standardSignature(rawBody: Buffer, id: string, timestamp: number, secret = STANDARD_SECRET): string {
  return new Webhook(secret).sign(id, new Date(timestamp * 1000), rawBody);
}

export function genericRequest(rawBody: Buffer, secret = STANDARD_SECRET, timestamp = NOW_SECONDS): SourceRequest {
  const id = 'msg_2b7Kx9';
  return request(rawBody, {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardSignature(rawBody, id, timestamp, secret),
  });
}

/** Verify then parse, as the webhook handler does. */
export function receive(platform: Platform, signed: SourceRequest, secrets: readonly string[]): SourceEvent {
  const verification = sources[platform].verify(signed, secrets);
  if (verification.ping) throw new Error('unexpected ping');
  return sources[platform].parse(signed, verification.delivery);
}

export function purchaseOf(event: SourceEvent) {
  if (event.kind !== 'purchase') throw new Error(`expected a purchase, got ${event.kind}`);
  return event.purchase;
}

/** The body with one byte changed (xor keeps it a different byte at the same position). */
export function flipByte(body: Buffer, position: number): Buffer {
  const copy = Buffer.from(body);
  copy[position] = (copy[position] ?? 0) ^ 0x01;
  return copy;
}

/** The signature with one character replaced by another valid character of its alphabet. */
export function flipChar(signature: string, position: number): string {
  const char = signature[position];
  const replacement = char === 'a' ? 'b' : 'a';
  return signature.slice(0, position) + replacement + signature.slice(position + 1);
}
