import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { purchaseSchema } from '#shared/domain/purchase.ts';
import type { Platform } from '#shared/domain/vocabulary.ts';
import { shown } from '#shared/sources/fields.ts';
import { PayloadError, SignatureError, type SourceRequest, sources } from '#shared/sources/index.ts';
import {
  genericRequest,
  purchaseOf,
  receive,
  request,
  SECRET,
  STANDARD_SECRET,
  STRIPE_SECRET,
  shopifyRequest,
  stripeRequest,
  wooRequest,
} from './signed-requests.ts';

const RUNS = { numRuns: 250 };

/** JSON text in which bigint values are written as bare numbers, the way Shopify writes 64-bit ids. */
function jsonWithBigInts(value: unknown): Buffer {
  const text = JSON.stringify(value, (_key, field) => (typeof field === 'bigint' ? `__big:${field}__` : field));
  return Buffer.from(text.replace(/"__big:(\d+)__"/g, '$1'));
}

const bigId = fc.bigInt({ min: 1n, max: 2n ** 70n });
const anyId = fc.oneof(bigId, fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/));
const title = fc.string({ unit: 'binary', minLength: 1, maxLength: 60 });
const price = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }).map((cents) => ({ sent: cents / 100, expected: String(cents / 100) })),
  fc.stringMatching(/^\d{1,7}\.\d{2}$/).map((text) => ({ sent: text, expected: text })),
);
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z]{1,10}$/))
  .map(([local, domain]) => `${local}@${domain}.example`);
const instant = fc
  .tuple(fc.integer({ min: 946_684_800, max: 4_102_444_800 }), fc.integer({ min: -12 * 60, max: 14 * 60 }))
  .map(([seconds, offsetMinutes]) => {
    const local = new Date((seconds + offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
    const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
    return { sent: `${local}${sign}${hours}:${minutes}`, expected: new Date(seconds * 1000).toISOString() };
  });
const line = fc.record({
  id: bigId,
  title,
  quantity: fc.nat(1000),
  price,
  sku: fc.option(fc.stringMatching(/^[A-Z0-9]{1,12}$/), { nil: undefined }),
});
const customer = fc.option(
  fc.record({
    id: bigId,
    email: fc.option(email, { nil: undefined }),
    first_name: fc.option(title, { nil: undefined }),
  }),
  { nil: undefined },
);
const order = fc.record({
  id: anyId,
  lines: fc.array(line, { minLength: 1, maxLength: 5 }),
  customer,
  created: instant,
  currency: fc.constantFrom('EUR', 'usd', 'JPY'),
});

const idText = (id: bigint | string) => String(id);

describe('sources under generated payloads', () => {
  it('maps Shopify-like orders to canonical purchases with ids, prices and titles preserved', () => {
    fc.assert(
      fc.property(order, (generated) => {
        // Prepare
        const body = jsonWithBigInts({
          id: generated.id,
          customer: generated.customer ?? null,
          line_items: generated.lines.map((item) => ({ ...item, price: item.price.sent })),
          currency: generated.currency,
          created_at: generated.created.sent,
        });

        // Act
        const purchase = purchaseOf(receive('shopify', shopifyRequest(body, 'orders/create'), [SECRET]));

        // Assess
        expect(purchaseSchema.parse(purchase)).toEqual(purchase);
        expect(purchase.orderId).toBe(idText(generated.id));
        expect(purchase.customer.id).toBe(generated.customer && idText(generated.customer.id));
        expect(purchase.customer.email).toBe(generated.customer?.email);
        expect(purchase.purchasedAt).toBe(generated.created.expected);
        expect(purchase.lineItems.map((item) => [item.lineId, item.price, item.quantity, item.title])).toEqual(
          generated.lines.map((item) => [
            idText(item.id),
            item.price.expected,
            item.quantity,
            shown(item.title, 500) ?? shown(item.sku, 500) ?? 'Item',
          ]),
        );
      }),
      RUNS,
    );
  });

  it('maps generic orders to canonical purchases with ids, prices and titles preserved', () => {
    const visibleTitle = title.filter((text) => shown(text, 500) !== undefined);
    fc.assert(
      fc.property(order, fc.array(visibleTitle, { minLength: 5, maxLength: 5 }), (generated, titles) => {
        // Prepare
        const body = jsonWithBigInts({
          type: 'order.paid',
          data: {
            id: generated.id,
            customer: generated.customer,
            line_items: generated.lines.map((item, index) => ({
              ...item,
              title: titles[index],
              price: item.price.sent,
            })),
            currency: generated.currency,
            created_at: generated.created.sent,
          },
        });

        // Act
        const purchase = purchaseOf(receive('generic', genericRequest(body), [STANDARD_SECRET]));

        // Assess
        expect(purchaseSchema.parse(purchase)).toEqual(purchase);
        expect(purchase.orderId).toBe(idText(generated.id));
        expect(purchase.customer.email).toBe(generated.customer?.email);
        expect(purchase.currency).toBe(generated.currency.toUpperCase());
        expect(purchase.lineItems.map((item) => [item.lineId, item.price, item.title])).toEqual(
          generated.lines.map((item, index) => [idText(item.id), item.price.expected, shown(titles[index], 500)]),
        );
      }),
      RUNS,
    );
  });

  const fieldNames = [
    'id',
    'order_id',
    'line_items',
    'price',
    'quantity',
    'title',
    'currency',
    'customer',
    'email',
    'created_at',
    'updated_at',
    'fulfillments',
    'refunds',
    'refund_line_items',
    'line_item_id',
    'status',
    'type',
    'data',
    'object',
    'amount_total',
    'payment_intent',
    'metadata',
    'locale',
    'billing',
    'date_created_gmt',
  ];
  const shapedJson = fc.object({
    key: fc.constantFrom(...fieldNames),
    maxDepth: 4,
    values: [fc.jsonValue(), bigId.map(String)],
  });
  const topics: Record<Platform, string[]> = {
    shopify: [
      'orders/create',
      'orders/updated',
      'orders/fulfilled',
      'fulfillments/create',
      'orders/cancelled',
      'refunds/create',
      'customers/redact',
      'customers/data_request',
      'shop/redact',
      'x/y',
    ],
    woocommerce: ['order.created', 'order.updated', 'order.deleted', 'product.created'],
    stripe: [
      'checkout.session.completed',
      'payment_intent.succeeded',
      'charge.refunded',
      'charge.refund.updated',
      'invoice.paid',
    ],
    generic: [
      'order.created',
      'order.paid',
      'order.fulfilled',
      'order.delivered',
      'order.cancelled',
      'order.refunded',
      'other',
    ],
  };
  const signed: Record<Platform, (body: unknown, topic: string) => SourceRequest> = {
    shopify: (body, topic) => shopifyRequest(Buffer.from(JSON.stringify(body)), topic),
    woocommerce: (body, topic) => wooRequest(Buffer.from(JSON.stringify(body)), topic),
    stripe: (object, type) =>
      stripeRequest(Buffer.from(JSON.stringify({ id: 'evt_1', type, created: 1_700_000_000, data: { object } }))),
    generic: (data, type) => genericRequest(Buffer.from(JSON.stringify({ type, data }))),
  };
  const secrets: Record<Platform, string[]> = {
    shopify: [SECRET],
    woocommerce: [SECRET],
    stripe: [STRIPE_SECRET],
    generic: [STANDARD_SECRET],
  };

  /** Either a valid event (purchases valid as canonical purchases) or one of the two refusals; never a crash. */
  function handledCleanly(platform: Platform, attempt: SourceRequest): boolean {
    try {
      const verification = sources[platform].verify(attempt, secrets[platform]);
      if (verification.ping) return true;
      const event = sources[platform].parse(attempt, verification.delivery);
      if (event.kind === 'purchase') purchaseSchema.parse(event.purchase);
      return true;
    } catch (error) {
      if (error instanceof SignatureError || error instanceof PayloadError) return true;
      throw error;
    }
  }

  it('answers signed payloads of any shape with an event or a PayloadError, nothing else', () => {
    const platform = fc.constantFrom<Platform>('shopify', 'woocommerce', 'stripe', 'generic');
    const attempt = platform.chain((name) =>
      fc.tuple(fc.constant(name), fc.oneof(shapedJson, fc.jsonValue()), fc.constantFrom(...topics[name])),
    );
    fc.assert(
      fc.property(attempt, ([name, body, topic]) => handledCleanly(name, signed[name](body, topic))),
      { numRuns: 1000 },
    );
  });

  it('answers garbage bodies and headers with a SignatureError or PayloadError, nothing else', () => {
    const headerNames = [
      'x-shopify-hmac-sha256',
      'x-shopify-topic',
      'x-shopify-webhook-id',
      'x-wc-webhook-signature',
      'x-wc-webhook-topic',
      'stripe-signature',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'content-type',
    ];
    const headers = fc.dictionary(
      fc.constantFrom(...headerNames),
      fc.oneof(fc.string(), fc.constant('t=1,v1=00'), fc.constant('v1,AAAA')),
    );
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.string().map((text) => Buffer.from(text)),
      fc.constant(Buffer.from('webhook_id=1')),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<Platform>('shopify', 'woocommerce', 'stripe', 'generic'),
        body,
        headers,
        (name, rawBody, sent) => handledCleanly(name, request(rawBody, sent)),
      ),
      RUNS,
    );
  });
});
