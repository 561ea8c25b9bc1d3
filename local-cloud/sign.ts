import { createHmac, randomUUID } from 'node:crypto';
import type { Platform } from '../functions/shared/domain/vocabulary.ts';

/**
 * Signs a body the way each platform does, for the sample command, tests and benchmarks. (Verification lives in
 * functions/shared/sources; this is the sender's side.)
 */
export function signedHeaders(
  platform: Platform,
  body: string | Buffer,
  secret: string,
  options: { now?: number; topic?: string; eventId?: string } = {},
): Record<string, string> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const seconds = Math.floor((options.now ?? Date.now()) / 1000);
  const eventId = options.eventId ?? randomUUID();
  const base = { 'content-type': 'application/json' };
  switch (platform) {
    case 'shopify':
      return {
        ...base,
        'x-shopify-hmac-sha256': createHmac('sha256', secret).update(bytes).digest('base64'),
        'x-shopify-topic': options.topic ?? 'orders/create',
        'x-shopify-webhook-id': eventId,
        'x-shopify-triggered-at': new Date(options.now ?? Date.now()).toISOString(),
        'x-shopify-shop-domain': 'demo.myshopify.com',
        'x-shopify-api-version': '2025-01',
      };
    case 'woocommerce':
      return {
        ...base,
        'x-wc-webhook-signature': createHmac('sha256', secret).update(bytes).digest('base64'),
        'x-wc-webhook-topic': options.topic ?? 'order.created',
        'x-wc-webhook-delivery-id': eventId,
        'x-wc-webhook-source': 'https://demo-appliances.example/',
      };
    case 'stripe': {
      const signature = createHmac('sha256', secret).update(`${seconds}.`).update(bytes).digest('hex');
      return { ...base, 'stripe-signature': `t=${seconds},v1=${signature}` };
    }
    case 'generic': {
      // As standardwebhooks/svix read a secret: optional whsec_ prefix, then base64.
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      const signature = createHmac('sha256', key).update(`${eventId}.${seconds}.`).update(bytes).digest('base64');
      return {
        ...base,
        'webhook-id': eventId,
        'webhook-timestamp': String(seconds),
        'webhook-signature': `v1,${signature}`,
      };
    }
  }
}

/** A realistic generic purchase for the demo store (see functions/shared/sources/GENERIC.md). */
export function samplePurchase(
  overrides: {
    orderId?: string;
    email?: string;
    firstName?: string;
    locale?: string;
    timeZone?: string;
    createdAt?: string;
    productType?: string;
    tags?: string[];
    sku?: string;
    title?: string;
  } = {},
) {
  const orderId = overrides.orderId ?? `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  return {
    type: 'order.created',
    data: {
      id: orderId,
      number: `#${orderId.slice(-6)}`,
      customer: {
        id: `c-${orderId}`,
        email: overrides.email ?? 'anna@example.com',
        first_name: overrides.firstName ?? 'Anna',
        locale: overrides.locale ?? 'en',
        time_zone: overrides.timeZone ?? 'Europe/Amsterdam',
        accepts_marketing: true,
      },
      line_items: [
        {
          id: `${orderId}-1`,
          product_id: 'vac-3000',
          sku: overrides.sku ?? 'VAC-3000',
          title: overrides.title ?? 'Cyclone 3000 vacuum cleaner',
          quantity: 1,
          price: '249.00',
          currency: 'EUR',
          product_type: overrides.productType ?? 'Vacuum cleaner',
          tags: overrides.tags ?? ['vacuum'],
        },
      ],
      currency: 'EUR',
      total: '249.00',
      created_at: overrides.createdAt ?? new Date().toISOString(),
    },
  };
}
