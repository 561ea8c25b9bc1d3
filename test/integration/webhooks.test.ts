import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { countBySequenceStep, emailsTo, postWebhook, startTestCloud, tableItems, waitFor } from '../support/local.ts';

const fixture = (path: string) => readFileSync(new URL(`../../../shared/fixtures/${path}`, import.meta.url));
const purchaseItem = async (orderId: string) =>
  (await tableItems()).find((item) => item.PK === `PURCHASE#demo#${orderId}` && item.SK === 'PURCHASE') as
    | {
        status: string;
        purchase?: {
          customer: { email?: string; firstName?: string };
          lineItems: { title: string; quantity: number; price: string }[];
          purchasedAt: string;
        };
        sequences?: object;
      }
    | undefined;
const eventItems = async () => (await tableItems()).filter((item) => String(item.SK).startsWith('EVENT#'));

describe('purchase webhooks through the HTTP API', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 2_592_000 }); // a month per second
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('accepts the real Shopify, WooCommerce and Stripe payloads and stores the canonical purchase', async () => {
    const shopify = await postWebhook(cloud, 'shopify', fixture('shopify/orders-create.2025-01.json'), {
      topic: 'orders/create',
    });
    const woo = await postWebhook(cloud, 'woocommerce', fixture('woocommerce/order-created.wc-5.8.json'), {
      topic: 'order.created',
    });
    const stripe = await postWebhook(cloud, 'stripe', fixture('stripe/payment_intent.succeeded.2025-04-30.json'));
    expect([shopify.status, woo.status, stripe.status]).toEqual([200, 200, 200]);

    const shopifyOrder = await waitFor('the Shopify purchase', () => purchaseItem('shopify:820982911946154500'));
    expect(shopifyOrder.purchase?.lineItems.length).toBeGreaterThan(0);
    expect(shopifyOrder.purchase?.customer.email).toBe('jon@example.com'); // the order's address, not the account's
    expect(shopifyOrder.purchase?.purchasedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const wooOrderId = String(JSON.parse(fixture('woocommerce/order-created.wc-5.8.json').toString()).id);
    const wooOrder = await waitFor('the WooCommerce purchase', () => purchaseItem(`woocommerce:${wooOrderId}`));
    expect(wooOrder.purchase?.lineItems[0]?.quantity).toBeGreaterThan(0);
  });

  it('rejects a payload with any byte changed with 401 and writes nothing', async () => {
    const before = (await eventItems()).length;
    const body = fixture('shopify/orders-create.2025-01.json');
    const signed = await import('../../local-cloud/sign.ts').then((m) =>
      m.signedHeaders('shopify', body, process.env.AFTERCARE_DEMO_SECRET ?? '', { topic: 'orders/create' }),
    );
    for (const position of [0, 100, Math.floor(body.length / 2), body.length - 2]) {
      const tampered = Buffer.from(body);
      tampered[position] = (tampered[position] ?? 0) ^ 0x01;
      const response = await fetch(`${cloud.apiUrl}/webhooks/shopify/demo`, {
        method: 'POST',
        headers: signed,
        body: tampered,
      });
      expect(response.status).toBe(401);
    }
    expect((await eventItems()).length).toBe(before);
  });

  it('answers bad input with the right 4xx and a message, never 5xx', async () => {
    const body = JSON.stringify(samplePurchase());
    expect((await postWebhook(cloud, 'generic', body, { storeId: 'nope' })).status).toBe(404);
    expect((await fetch(`${cloud.apiUrl}/webhooks/magento/demo`, { method: 'POST', body })).status).toBe(404);
    expect((await postWebhook(cloud, 'generic', '{"type": "order.created", "data": {')).status).toBe(400);
    const missingPrice = samplePurchase();
    delete (missingPrice.data.line_items[0] as { price?: string }).price;
    const invalid = await postWebhook(cloud, 'generic', JSON.stringify(missingPrice));
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('line_items.0.price');
    const unsigned = await fetch(`${cloud.apiUrl}/webhooks/generic/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const huge = JSON.stringify({ ...samplePurchase(), padding: 'x'.repeat(1024 * 1024) });
    expect((await postWebhook(cloud, 'generic', huge)).status).toBe(413);
  });

  it('keeps ids beyond 2^53 exactly as sent', async () => {
    const order = samplePurchase({ email: 'bigid@example.com' });
    const body = JSON.stringify(order).replace(`"id":"${order.data.id}"`, '"id":18446744073709551615');
    expect((await postWebhook(cloud, 'generic', body)).status).toBe(200);
    const stored = await waitFor('the big-id purchase', () => purchaseItem('18446744073709551615'));
    expect(stored).toBeDefined();
  });

  it('delivers each email once when the same webhook arrives 20 times, 10 of them at once', async () => {
    const body = JSON.stringify(
      samplePurchase({ email: 'twenty@example.com', createdAt: new Date(cloud.clock.now()).toISOString() }),
    );
    const eventId = 'msg_duplicate_delivery';
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () => postWebhook(cloud, 'generic', body, { eventId })),
    );
    const sequential: Response[] = [];
    for (let i = 0; i < 5; i += 1) sequential.push(await postWebhook(cloud, 'generic', body, { eventId }));
    // The platform may also send the same order under other event ids (orders/create and orders/paid).
    for (let i = 0; i < 5; i += 1)
      sequential.push(await postWebhook(cloud, 'generic', body, { eventId: `msg_other_${i}` }));
    expect([...concurrent, ...sequential].every((response) => response.status === 200)).toBe(true);
    const orderId = JSON.parse(body).data.id as string;
    await waitFor('the survey reminder decision', async () =>
      (await tableItems()).some(
        (i) =>
          i.PK === `PURCHASE#demo#${orderId}` && i.SK === 'STEP#satisfaction-survey#reminder' && i.status === 'sent',
      ),
    );
    // On to the warranty reminder, two years later, wait by wait: a jump would wake every step at once, months late.
    await cloud.fastForward(cloud.clock.now() + 800 * 86_400_000);
    await cloud.settle(60_000);
    const counts = countBySequenceStep(await emailsTo(cloud, 'twenty@example.com'));
    expect(counts['follow-up/thanks']).toBe(1);
    expect(counts['follow-up/check-in']).toBe(1);
    expect(counts['satisfaction-survey/ask']).toBe(1);
    expect(counts['warranty-reminder/warranty-24m']).toBe(1);
    expect(Math.max(...Object.values(counts))).toBe(1);
  });

  it('never rolls a purchase back to an older retry, and starts nothing for an order already cancelled', async () => {
    const newer = samplePurchase({ email: 'stale@example.com', title: 'Cyclone 4000' });
    const older = {
      ...newer,
      data: { ...newer.data, line_items: [{ ...newer.data.line_items[0], title: 'Cyclone 3000' }] },
    };
    await postWebhook(cloud, 'generic', JSON.stringify({ ...newer, timestamp: '2026-11-20T10:00:00Z' }));
    await postWebhook(cloud, 'generic', JSON.stringify({ ...older, timestamp: '2026-11-19T10:00:00Z' }));
    await waitFor(
      'both events applied',
      async () => (await eventItems()).filter((e) => e.orderId === newer.data.id).length === 2,
    );
    await cloud.dynamodb.drained(10_000);
    expect((await purchaseItem(newer.data.id))?.purchase?.lineItems[0]?.title).toBe('Cyclone 4000');

    const late = samplePurchase({ email: 'cancelled-first@example.com' });
    await postWebhook(cloud, 'generic', JSON.stringify({ type: 'order.cancelled', data: { id: late.data.id } }));
    await postWebhook(cloud, 'generic', JSON.stringify(late));
    await waitFor('the late order applied', async () => (await purchaseItem(late.data.id))?.purchase);
    await cloud.dynamodb.drained(10_000);
    const record = await purchaseItem(late.data.id);
    expect(record?.status).toBe('cancelled');
    expect(record?.sequences).toBeUndefined();
  });
});
