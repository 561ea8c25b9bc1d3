import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../functions/shared/domain/vocabulary.ts';
import { LOCAL_DEFAULTS, type LocalCloud } from '../../local-cloud/cloud.ts';
import { samplePurchase, signedHeaders } from '../../local-cloud/sign.ts';
import { startTestCloud } from '../support/local.ts';

const REQUESTS = 10_000;

/** One generated request: any platform (or none), any body, signed right, wrong, stale or not at all. */
const requestArbitrary = fc.record({
  platform: fc.constantFrom(...PLATFORMS, ...PLATFORMS, 'magento', 'SHOPIFY', '%2e%2e'),
  store: fc.constantFrom('demo', 'demo', 'demo', 'unknown-store'),
  body: fc.oneof(
    { weight: 3, arbitrary: fc.json().map((text) => Buffer.from(text)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((text) => Buffer.from(text)) },
    {
      weight: 4,
      // A real purchase with one field removed or replaced by something of another type.
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'id',
            'line_items',
            'customer',
            'currency',
            'created_at',
            'price',
            'quantity',
            'email',
            'type',
          ),
          fc.jsonValue(),
        )
        .map(([field, value]) => {
          const order = samplePurchase() as {
            type: string;
            data: Record<string, unknown> & {
              line_items: Record<string, unknown>[];
              customer: Record<string, unknown>;
            };
          };
          if (field === 'type') order.type = typeof value === 'string' ? value : JSON.stringify(value);
          else if (field === 'price' || field === 'quantity')
            (order.data.line_items[0] as Record<string, unknown>)[field] = value;
          else if (field === 'email') order.data.customer.email = value;
          else (order.data as Record<string, unknown>)[field] = value;
          return Buffer.from(JSON.stringify(order) ?? 'null');
        }),
    },
    { weight: 1, arbitrary: fc.constant(null).map(() => Buffer.from(JSON.stringify(samplePurchase()))) },
    { weight: 1, arbitrary: fc.nat(99999).map((n) => Buffer.from(`webhook_id=${n}`)) },
  ),
  signing: fc.constantFrom('valid', 'valid', 'valid', 'none', 'garbage', 'wrong-secret', 'stale'),
  topic: fc.oneof(
    fc.constantFrom('orders/create', 'orders/paid', 'order.created', 'refunds/create', 'customers/data_request'),
    fc.string({ maxLength: 30 }),
  ),
  junkHeader: fc.string({ maxLength: 40 }),
});

function headersFor(
  request: fc.Arbitrary<unknown> extends never ? never : ReturnType<typeof sampleRequests>[number],
): Record<string, string> {
  const platform = (PLATFORMS as readonly string[]).includes(request.platform)
    ? (request.platform as (typeof PLATFORMS)[number])
    : 'generic';
  const secret = request.signing === 'wrong-secret' ? 'whsec_d3Jvbmctc2VjcmV0' : LOCAL_DEFAULTS.demoSecret;
  const now = request.signing === 'stale' ? Date.now() - 3_600_000 : Date.now();
  const signed = signedHeaders(platform, request.body, secret, { now, topic: request.topic });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-junk': request.junkHeader.replace(/[^\x20-\x7e]/g, ''),
  };
  if (request.signing === 'none') return headers;
  for (const [name, value] of Object.entries(signed))
    headers[name] = request.signing === 'garbage' && /sig|hmac/.test(name) ? 'garbage==' : value;
  return headers;
}

function sampleRequests() {
  return fc.sample(requestArbitrary, { numRuns: REQUESTS, seed: 20261125 });
}

describe('fuzzing the webhook endpoint', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
    // Only the edge is under test: the stream consumer is paused so every write counted is the webhook's own.
    cloud.dynamodb.subscribe(
      () => false,
      async () => undefined,
    );
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it(`answers ${REQUESTS} generated requests without a 5xx, and writes only for those it accepts`, {
    timeout: 600_000,
  }, async () => {
    const requests = sampleRequests();
    const tally: Tally = { statuses: {}, stored: 0, duplicates: 0 };
    const writesBefore = (cloud.dynamodb.requestCounts.PutItem ?? 0) + (cloud.dynamodb.requestCounts.UpdateItem ?? 0);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++];
        if (!request) break;
        const response = await fetch(`${cloud.apiUrl}/webhooks/${request.platform}/${request.store}`, {
          method: 'POST',
          headers: headersFor(request),
          body: request.body,
        });
        const text = await response.text();
        countAnswer(tally, response.status, text);
        if (response.status >= 500)
          throw new Error(`5xx for ${request.platform}/${request.store} (${request.signing}): ${text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const { statuses, stored, duplicates } = tally;
    const writes =
      (cloud.dynamodb.requestCounts.PutItem ?? 0) + (cloud.dynamodb.requestCounts.UpdateItem ?? 0) - writesBefore;
    expect(
      Object.keys(statuses)
        .map(Number)
        .every((status) => [200, 400, 401, 404, 413].includes(status)),
    ).toBe(true);
    expect(statuses[401]).toBeGreaterThan(1000);
    expect(statuses[400]).toBeGreaterThan(100);
    expect(stored).toBeGreaterThan(50);
    // One conditional PutItem per accepted delivery (a duplicate's fails its condition); nothing for rejected ones.
    expect(writes).toBe(stored + duplicates);
  });
});

interface Tally {
  statuses: Record<number, number>;
  stored: number;
  duplicates: number;
}

/** Counts one answer by status and, for a 200, as stored or duplicate (ignored topics and pings are neither). */
function countAnswer(tally: Tally, status: number, text: string): void {
  tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
  if (status !== 200) return;
  const answer = JSON.parse(text) as { duplicate?: boolean; ignored?: boolean; ping?: boolean };
  if (answer.duplicate) tally.duplicates += 1;
  else if (!answer.ignored && !answer.ping) tally.stored += 1;
}

const fixtureJson = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../shared/fixtures/${path}`, import.meta.url), 'utf8'));

/**
 * Every platform's real bodies under every topic of that platform, each with a fresh event id. Shopify and
 * WooCommerce sign the body only (the topic header is not signed), so `fits` lists the only topics a body may mean;
 * Stripe and generic name the type inside the signed body, so a body's object is sent under each other type.
 */
function topicSwaps() {
  const shopifyOrder = { ...fixtureJson('shopify/orders-create.2025-01.json'), cancelled_at: null };
  const shopifyTopics = [
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
  const orderTopics = ['orders/create', 'orders/paid', 'orders/updated'];
  const shop = { shop_id: 954889, shop_domain: 'demo.myshopify.com' };
  const customer = { id: 191167, email: 'john@example.com', phone: '555-625-1199' };
  const shopify = [
    { body: shopifyOrder, fits: orderTopics },
    { body: { ...shopifyOrder, cancelled_at: '2025-01-02T10:00:00Z' }, fits: [...orderTopics, 'orders/cancelled'] },
    { body: { ...shopifyOrder, fulfillment_status: 'fulfilled' }, fits: [...orderTopics, 'orders/fulfilled'] },
    {
      body: {
        id: 255858046,
        order_id: 450789469,
        status: 'success',
        shipment_status: 'delivered',
        admin_graphql_api_id: 'gid://shopify/Fulfillment/255858046',
        created_at: '2025-01-02T10:00:00Z',
        updated_at: '2025-01-05T08:00:00Z',
      },
      fits: ['fulfillments/create', 'fulfillments/update'],
    },
    { body: fixtureJson('shopify/refunds-create.2025-01.json'), fits: ['refunds/create'] },
    { body: shop, fits: ['shop/redact'] },
    { body: { ...shop, customer, orders_to_redact: [299938] }, fits: ['customers/redact'] },
    {
      body: { ...shop, customer, orders_requested: [299938], data_request: { id: 9999 } },
      fits: ['customers/data_request'],
    },
  ].flatMap(({ body, fits }) =>
    shopifyTopics.map((topic) => ({ platform: 'shopify' as const, body, topic, fits: fits.includes(topic) })),
  );
  const wooOrder = fixtureJson('woocommerce/order-created.wc-5.8.json');
  const woocommerce = [
    { body: wooOrder, fits: ['order.created', 'order.updated'] },
    { body: { id: wooOrder.id }, fits: ['order.deleted'] },
  ].flatMap(({ body, fits }) =>
    ['order.created', 'order.updated', 'order.deleted'].map((topic) => ({
      platform: 'woocommerce' as const,
      body,
      topic,
      fits: fits.includes(topic),
    })),
  );
  const order = samplePurchase().data;
  const genericTypes = ['order.created', 'order.paid', 'order.fulfilled', 'order.delivered', 'order.cancelled'];
  const generic = [
    { data: order, fits: genericTypes },
    { data: { id: order.id }, fits: ['order.fulfilled', 'order.delivered', 'order.cancelled'] },
  ].flatMap(({ data, fits }) =>
    genericTypes.map((type) => ({
      platform: 'generic' as const,
      body: { type, data },
      topic: type,
      fits: fits.includes(type),
    })),
  );
  const stripeObjects = [
    fixtureJson('stripe/checkout.session.completed.data-object.json').object,
    fixtureJson('stripe/payment_intent.succeeded.2025-04-30.json').data.object,
    fixtureJson('stripe/charge.refund.updated.2025-04-30.json').data.object,
  ];
  const stripeTypes = [
    'checkout.session.completed',
    'payment_intent.succeeded',
    'charge.refunded',
    'charge.refund.updated',
  ];
  // Stripe's fit per type is the Stripe source's own (its lifecycle is tested there): here only "no fit, no write".
  const stripe = stripeObjects.flatMap((object, index) =>
    stripeTypes.map((type) => ({
      platform: 'stripe' as const,
      body: {
        id: `evt_swap_${index}_${type}`,
        object: 'event',
        created: Math.floor(Date.now() / 1000),
        type,
        data: { object },
      },
      topic: type,
      fits: undefined,
    })),
  );
  return [...shopify, ...woocommerce, ...generic, ...stripe];
}

type Swap = ReturnType<typeof topicSwaps>[number];

describe('every platform body under every topic of its platform', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
    // Only the edge is under test: the stream consumer is paused so every write counted is the webhook's own.
    cloud.dynamodb.subscribe(
      () => false,
      async () => undefined,
    );
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('accepts a body only under a topic it fits; any other topic gets a 4xx and writes nothing', async () => {
    // Prepare
    const swaps = topicSwaps();
    const writes = () => (cloud.dynamodb.requestCounts.PutItem ?? 0) + (cloud.dynamodb.requestCounts.UpdateItem ?? 0);

    // Act
    const outcomes: (Swap & { status: number; accepted: boolean; wrote: number })[] = [];
    for (const swap of swaps) {
      const before = writes();
      const body = JSON.stringify(swap.body);
      const response = await fetch(`${cloud.apiUrl}/webhooks/${swap.platform}/demo`, {
        method: 'POST',
        headers: signedHeaders(swap.platform, body, LOCAL_DEFAULTS.demoSecret, { topic: swap.topic }),
        body,
      });
      const answer = (await response.json()) as { ignored?: boolean };
      const accepted = response.status === 200 && !answer.ignored;
      outcomes.push({ ...swap, status: response.status, accepted, wrote: writes() - before });
    }

    // Assess
    const label = (o: (typeof outcomes)[number]) =>
      `${o.platform} ${JSON.stringify(o.body).slice(0, 40)} as ${o.topic}`;
    const misjudged = outcomes.filter((o) => o.fits !== undefined && o.accepted !== o.fits).map(label);
    expect(misjudged).toEqual([]);
    expect(outcomes.filter((o) => o.status >= 500).map(label)).toEqual([]);
    expect(outcomes.filter((o) => !o.accepted && o.wrote > 0).map(label)).toEqual([]);
    expect(outcomes.filter((o) => o.accepted && o.wrote !== 1).map(label)).toEqual([]);
    expect(outcomes.filter((o) => o.fits === false).every((o) => o.status >= 400 && o.status < 500)).toBe(true);
  });
});
