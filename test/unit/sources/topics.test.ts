import { describe, expect, it } from 'vitest';
import { PayloadError, SignatureError, type SourceRequest } from '#shared/sources/index.ts';
import { fixture, jsonBody, receive, SECRET, shopifyRequest, wooRequest } from './signed-requests.ts';

/**
 * Shopify and WooCommerce sign the body only; the topic header is not signed
 * (https://shopify.dev/docs/apps/build/webhooks/verify-webhooks-hmac, WooCommerce WC_Webhook::generate_signature).
 * So a captured body must not mean something else under another topic.
 */
const openOrder = () => ({
  ...JSON.parse(fixture('shopify/orders-create.2025-01.json').toString()),
  cancelled_at: null,
});
const refund = () => JSON.parse(fixture('shopify/refunds-create.2025-01.json').toString());
const shopRedact = { shop_id: 954889, shop_domain: 'coffee.myshopify.com' };
const customerRedact = {
  ...shopRedact,
  customer: { id: 191167, email: 'john@example.com', phone: '555-625-1199' },
  orders_to_redact: [299938],
};
const SHOPIFY_TOPICS = [
  'orders/create',
  'orders/paid',
  'orders/updated',
  'orders/fulfilled',
  'orders/cancelled',
  'fulfillments/create',
  'fulfillments/update',
  'refunds/create',
  'customers/redact',
  'customers/data_request',
  'shop/redact',
];

const outcome = (signed: SourceRequest, platform: 'shopify' | 'woocommerce' = 'shopify') => {
  try {
    return receive(platform, signed, [SECRET]).kind;
  } catch (error) {
    if (error instanceof PayloadError || error instanceof SignatureError) return error.statusCode;
    throw error;
  }
};

describe('a Shopify or WooCommerce body must fit the topic it arrives under', () => {
  it('refuses a captured open orders/create body replayed under any topic that would cancel, ship, refund or redact', () => {
    // Prepare
    const body = jsonBody(openOrder());

    // Act
    const outcomes = Object.fromEntries(SHOPIFY_TOPICS.map((topic) => [topic, outcome(shopifyRequest(body, topic))]));

    // Assess
    expect(outcomes).toEqual({
      'orders/create': 'purchase',
      'orders/paid': 'purchase',
      'orders/updated': 'purchase',
      'orders/fulfilled': 400,
      'orders/cancelled': 400,
      'fulfillments/create': 400,
      'fulfillments/update': 400,
      'refunds/create': 400,
      'customers/redact': 400,
      'customers/data_request': 400,
      'shop/redact': 400,
    });
  });

  it('refuses refund and privacy bodies under each other topic, and privacy bodies with anything extra', () => {
    // Prepare
    const bodies = { refund: refund(), shopRedact, customerRedact, padded: { ...shopRedact, orders_to_redact: [1] } };

    // Act
    const accepted = Object.entries(bodies).map(([name, body]) => [
      name,
      SHOPIFY_TOPICS.filter((topic) => typeof outcome(shopifyRequest(jsonBody(body), topic)) === 'string'),
    ]);

    // Assess: each body means exactly its own topic
    expect(Object.fromEntries(accepted)).toEqual({
      refund: ['refunds/create'],
      shopRedact: ['shop/redact'],
      customerRedact: ['customers/redact'],
      padded: [],
    });
  });

  it('names the field that does not fit, never a value', () => {
    // Prepare
    const signed = shopifyRequest(jsonBody(openOrder()), 'shop/redact');

    // Act
    const refusal = () => receive('shopify', signed, [SECRET]);

    // Assess
    expect(refusal).toThrow(PayloadError);
    expect(refusal).toThrow(/shop_domain|shop_id|unrecognized/i);
    expect(refusal).not.toThrow(/john@example\.com/);
  });

  it("refuses deliveries for another shop: a header or a signed shop_domain that is not the store's", () => {
    // Prepare: one app secret signs for every shop that installed the app
    const ours = { shopDomain: 'coffee.myshopify.com' };
    const redact = shopifyRequest(jsonBody(shopRedact), 'shop/redact');
    const theirs = { ...redact.headers, 'x-shopify-shop-domain': 'other.myshopify.com' };
    const otherBody = jsonBody({ ...shopRedact, shop_domain: 'other.myshopify.com' });
    const signedOther = shopifyRequest(otherBody, 'shop/redact');

    // Act
    const outcomes = [
      outcome({ ...redact, ...ours, headers: { ...redact.headers, 'x-shopify-shop-domain': 'coffee.myshopify.com' } }),
      outcome({ ...redact, ...ours, headers: theirs }),
      outcome({ ...redact, ...ours }), // no header at all
      outcome({
        ...signedOther,
        ...ours,
        headers: { ...signedOther.headers, 'x-shopify-shop-domain': 'coffee.myshopify.com' },
      }),
      outcome({ ...signedOther, headers: { ...signedOther.headers, 'x-shopify-shop-domain': 'coffee.myshopify.com' } }),
    ];

    // Assess
    expect(outcomes).toEqual(['shop-redact', 401, 401, 401, 401]);
  });

  it('refuses a WooCommerce order body replayed as order.deleted, and a deletion body as an order', () => {
    // Prepare
    const order = fixture('woocommerce/order-created.wc-5.8.json');
    const deletion = jsonBody({ id: 1001 });

    // Act
    const outcomes = [
      outcome(wooRequest(order, 'order.deleted'), 'woocommerce'),
      outcome(wooRequest(deletion, 'order.created'), 'woocommerce'),
      outcome(wooRequest(deletion, 'order.deleted'), 'woocommerce'),
    ];

    // Assess
    expect(outcomes).toEqual([400, 400, 'cancelled']);
  });

  it('treats topics named like object internals ("constructor", "__proto__") as unknown topics, not as a crash', () => {
    // Prepare
    const body = jsonBody(openOrder());

    // Act
    const outcomes = ['constructor', '__proto__', 'toString'].map((topic) => outcome(shopifyRequest(body, topic)));

    // Assess
    expect(outcomes).toEqual(['ignored', 'ignored', 'ignored']);
  });
});
