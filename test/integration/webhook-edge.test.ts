import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStore } from '../../functions/shared/config/load.ts';
import { secretEnvName } from '../../functions/shared/secrets.ts';
import { sources } from '../../functions/shared/sources/index.ts';
import { MAX_RECORD_BYTES, storedSizes } from '../../functions/webhook/fits.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { postWebhook, startTestCloud, tableItems, waitFor } from '../support/local.ts';

/** Hostile and odd input at the webhook edge (issue 14), through the local cloud's HTTP API and DynamoDB. */
const fixture = (path: string) => readFileSync(new URL(`../../../shared/fixtures/${path}`, import.meta.url));
const SECRETS = {
  shopify: 'shpss_acme-shopify-app-secret-1',
  woocommerce: 'wc-acme-webhook-secret-0001',
  generic: `whsec_${Buffer.from('acme-generic-signing-key-bytes').toString('base64')}`,
  storeWide: `whsec_${Buffer.from('the-acme-shopify-store-key').toString('base64')}`,
};
const purchaseItem = async (storeId: string, orderId: string) =>
  (await tableItems()).find((item) => item.PK === `PURCHASE#${storeId}#${orderId}` && item.SK === 'PURCHASE') as
    | { status: string; purchase?: { platform: string }; sequences?: Record<string, unknown> }
    | undefined;
const eventCount = async () => (await tableItems()).filter((item) => String(item.SK).startsWith('EVENT#')).length;

function writeConfig(dir: string): string {
  const config = JSON.parse(readFileSync(new URL('../../infra/aftercare.config.json', import.meta.url), 'utf8'));
  const demo = config.stores[0];
  config.stores.push(
    { ...demo, id: 'acme', platforms: ['shopify', 'woocommerce', 'generic'], shopifyDomain: 'acme.myshopify.com' },
    { ...demo, id: 'acme-shopify', platforms: ['generic'], shopifyDomain: undefined },
    { ...demo, id: 'unkeyed', platforms: ['generic'] },
  );
  const file = join(dir, 'aftercare.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('the webhook edge under hostile and odd input', () => {
  let cloud: LocalCloud;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aftercare-webhook-edge-'));
    process.env[secretEnvName('acme', 'shopify')] = SECRETS.shopify;
    process.env[secretEnvName('acme', 'woocommerce')] = SECRETS.woocommerce;
    process.env[secretEnvName('acme', 'generic')] = SECRETS.generic;
    process.env[secretEnvName('acme-shopify')] = SECRETS.storeWide;
    cloud = await startTestCloud({ configFile: writeConfig(dir), timeScale: 2_592_000 });
  });
  afterAll(async () => {
    await cloud?.stop();
    for (const name of [
      secretEnvName('acme', 'shopify'),
      secretEnvName('acme', 'woocommerce'),
      secretEnvName('acme', 'generic'),
      secretEnvName('acme-shopify'),
      secretEnvName('unkeyed'),
    ])
      delete process.env[name];
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every refusal as JSON with X-Content-Type-Options: nosniff and the reason', async () => {
    // Prepare
    const body = JSON.stringify(samplePurchase());

    // Act
    const responses = [
      await fetch(`${cloud.apiUrl}/webhooks/magento/demo`, { method: 'POST', body }),
      await postWebhook(cloud, 'generic', body, { storeId: 'nope' }),
      await postWebhook(cloud, 'generic', '{"type": "order.created", "data": {'),
      await fetch(`${cloud.apiUrl}/webhooks/generic/demo`, { method: 'POST', body }),
    ];

    // Assess
    expect(responses.map((response) => response.status)).toEqual([404, 404, 400, 401]);
    const bodies: unknown[] = [];
    for (const response of responses) {
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      bodies.push(await response.json());
    }
    // One shape for every refusal: message for people, code for programs, field when one is named.
    expect(bodies).toEqual([
      { message: expect.stringMatching(/^Unknown platform "magento"/), code: 'not-found' },
      { message: 'Unknown store for generic webhooks', code: 'not-found' },
      { message: 'body: not valid JSON', code: 'invalid-request', field: 'body' },
      { message: 'missing webhook-id header', code: 'invalid-signature' },
    ]);
  });

  it('answers 401, not 500, for a store with no usable secret, and writes nothing', async () => {
    // Prepare
    const before = await eventCount();
    const body = JSON.stringify(samplePurchase());

    // Act
    const missing = await postWebhook(cloud, 'generic', body, { storeId: 'unkeyed', secret: SECRETS.generic });
    process.env[secretEnvName('unkeyed')] = 'whsec_'; // decodes to a zero-byte key: anyone could sign
    const empty = await postWebhook(cloud, 'generic', body, { storeId: 'unkeyed', secret: 'whsec_' });

    // Assess
    expect([missing.status, empty.status]).toEqual([401, 401]);
    expect(await eventCount()).toBe(before);
  });

  it("keeps store acme-shopify's secret apart from store acme's Shopify secret", async () => {
    // Prepare
    const order = JSON.stringify(samplePurchase());
    const shopifyOrder = fixture('shopify/orders-create.2025-01.json');
    const acmeShop = { 'x-shopify-shop-domain': 'acme.myshopify.com' };

    // Act
    const statuses = [
      (await postWebhook(cloud, 'generic', order, { storeId: 'acme-shopify', secret: SECRETS.storeWide })).status,
      (
        await postWebhook(cloud, 'shopify', shopifyOrder, {
          storeId: 'acme',
          secret: SECRETS.shopify,
          headers: acmeShop,
        })
      ).status,
      (
        await postWebhook(cloud, 'shopify', shopifyOrder, {
          storeId: 'acme',
          secret: SECRETS.storeWide,
          headers: acmeShop,
        })
      ).status,
    ];

    // Assess
    expect(statuses).toEqual([200, 200, 401]);
  });

  it('keeps WooCommerce 1001 and generic 1001 apart, and the generic secret cannot cancel the WooCommerce order', async () => {
    // Prepare
    const woo = JSON.parse(fixture('woocommerce/order-created.wc-5.8.json').toString());
    const wooBody = JSON.stringify({ ...woo, id: 1001 });
    const generic = JSON.stringify(samplePurchase({ orderId: '1001', email: 'generic-1001@example.com' }));
    const post = (platform: 'woocommerce' | 'generic', body: string, topic?: string) =>
      postWebhook(cloud, platform, body, { storeId: 'acme', secret: SECRETS[platform], ...(topic ? { topic } : {}) });

    // Act
    const statuses = [
      (await post('woocommerce', wooBody, 'order.created')).status,
      (await post('generic', generic)).status,
    ];
    await waitFor(
      'both purchases',
      async () =>
        (await purchaseItem('acme', 'woocommerce:1001'))?.purchase && (await purchaseItem('acme', '1001'))?.purchase,
    );
    const cancel = await post('generic', JSON.stringify({ type: 'order.cancelled', data: { id: '1001' } }));
    const reach = await post('generic', JSON.stringify({ type: 'order.cancelled', data: { id: 'woocommerce:1001' } }));
    await waitFor('the generic cancellation', async () => (await purchaseItem('acme', '1001'))?.status === 'cancelled');
    await cloud.dynamodb.drained(10_000);

    // Assess
    expect([...statuses, cancel.status, reach.status]).toEqual([200, 200, 200, 400]);
    expect(await reach.text()).toContain('data.id');
    const wooRecord = await purchaseItem('acme', 'woocommerce:1001');
    expect([wooRecord?.status, wooRecord?.purchase?.platform]).toEqual(['open', 'woocommerce']);
  });

  it('refuses a captured orders/create replayed as shop/redact with a fresh id, and the store keeps its purchases', async () => {
    // Prepare
    const order = fixture('shopify/orders-create.2025-01.json');
    const options = {
      storeId: 'acme',
      secret: SECRETS.shopify,
      headers: { 'x-shopify-shop-domain': 'acme.myshopify.com' },
    };
    await postWebhook(cloud, 'shopify', order, { ...options, topic: 'orders/create' });
    await waitFor(
      'the Shopify purchase',
      async () => (await purchaseItem('acme', 'shopify:820982911946154500'))?.purchase,
    );
    const before = await eventCount();

    // Act
    const replays = [];
    for (const topic of ['shop/redact', 'customers/redact', 'customers/data_request', 'refunds/create'])
      replays.push((await postWebhook(cloud, 'shopify', order, { ...options, topic })).status);
    const otherShop = await postWebhook(
      cloud,
      'shopify',
      JSON.stringify({ shop_id: 1, shop_domain: 'other.myshopify.com' }),
      {
        ...options,
        topic: 'shop/redact',
      },
    );
    await cloud.dynamodb.drained(10_000);

    // Assess
    expect([...replays, otherShop.status]).toEqual([400, 400, 400, 400, 401]);
    expect(await eventCount()).toBe(before);
    expect((await purchaseItem('acme', 'shopify:820982911946154500'))?.purchase).toBeDefined();
  });

  it('stores a delivery whose unsigned webhook id is 5,000 characters, once, under a bounded key', async () => {
    // Prepare: a sort key holds 1,024 bytes (dynalite refuses more, as DynamoDB does):
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-partition-sort-keys
    const body = JSON.stringify(samplePurchase({ email: 'long-id@example.com' }));
    const eventId = `msg_${'x'.repeat(4_996)}`;

    // Act
    const first = await postWebhook(cloud, 'generic', body, { eventId });
    const again = await postWebhook(cloud, 'generic', body, { eventId });

    // Assess
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await again.json()).toMatchObject({ duplicate: true });
    const keysOf = (await tableItems()).filter((item) => String(item.SK).startsWith('EVENT#generic#~'));
    expect(keysOf.length).toBe(1);
    expect(Buffer.byteLength(String(keysOf[0]?.SK))).toBeLessThan(1_024);
  });

  it('names JSON nested too deep instead of calling it invalid', async () => {
    // Prepare
    const deep = `{"type":"order.created","data":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;

    // Act
    const response = await postWebhook(cloud, 'generic', deep);

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'body: JSON nested deeper than 100 levels',
      code: 'invalid-request',
      field: 'body',
    });
  });

  it('stores the largest order that fits with its plans, and refuses one line more with 413 and the reason', {
    timeout: 120_000,
  }, async () => {
    // Prepare: DynamoDB items hold 400 KB and Step Functions inputs 256 KiB; Aftercare keeps 300 KB per purchase.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items
    // https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
    const store = getStore('demo');
    if (!store) throw new Error('demo store missing');
    const orderWith = (lines: number) => {
      const order = samplePurchase({
        email: 'big-order@example.com',
        createdAt: new Date(cloud.clock.now()).toISOString(),
      });
      const line = order.data.line_items[0] as Record<string, unknown>;
      order.data.line_items = Array.from({ length: lines }, (_, index) => ({
        ...line,
        id: `${order.data.id}-line-${index}`,
        title: `Spare part ${index} ${'·'.repeat(200)}`,
      })) as typeof order.data.line_items;
      return order;
    };
    const sizeOf = (lines: number) => {
      const order = orderWith(lines);
      const purchase = { kind: 'purchase' as const, purchase: toPurchase(order) };
      return storedSizes(purchase, store, cloud.clock.now()).record;
    };
    let fits = 1;
    while (sizeOf(fits * 2) <= MAX_RECORD_BYTES) fits *= 2;
    for (let step = fits / 2; step >= 1; step /= 2) if (sizeOf(fits + step) <= MAX_RECORD_BYTES) fits += step;
    const largest = orderWith(fits);
    const tooLarge = orderWith(fits + 1);
    const before = await eventCount();

    // Act
    const refused = await postWebhook(cloud, 'generic', JSON.stringify(tooLarge));
    const afterRefusal = await eventCount();
    const stored = await postWebhook(cloud, 'generic', JSON.stringify(largest));
    const record = await waitFor(
      'the largest order planned',
      async () => {
        const item = await purchaseItem('demo', largest.data.id);
        return item?.sequences ? item : undefined;
      },
      90_000,
    );

    // Assess
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /order too large to store: \d+ KB with its plans, above the 300 KB/,
    );
    expect(afterRefusal).toBe(before);
    expect(stored.status).toBe(200);
    for (const run of Object.values(record.sequences ?? {}))
      expect(Buffer.byteLength(JSON.stringify(run))).toBeLessThanOrEqual(256 * 1024);
  });

  it("erases the store's Shopify purchases on shop/redact, and keeps its WooCommerce and generic ones", async () => {
    // Prepare: the earlier tests left shopify:820982911946154500, woocommerce:1001 and 1001 in store acme
    await waitFor('the three purchases', async () =>
      Promise.all(
        ['shopify:820982911946154500', 'woocommerce:1001', '1001'].map((id) => purchaseItem('acme', id)),
      ).then((records) => records.every((record) => record?.purchase)),
    );
    const redact = JSON.stringify({ shop_id: 1, shop_domain: 'acme.myshopify.com' });

    // Act
    const response = await postWebhook(cloud, 'shopify', redact, {
      storeId: 'acme',
      secret: SECRETS.shopify,
      topic: 'shop/redact',
      headers: { 'x-shopify-shop-domain': 'acme.myshopify.com' },
    });
    await waitFor(
      'the Shopify tombstone',
      async () => (await purchaseItem('acme', 'shopify:820982911946154500'))?.status === 'redacted',
    );
    await cloud.dynamodb.drained(10_000);

    // Assess
    expect(response.status).toBe(200);
    expect((await purchaseItem('acme', 'woocommerce:1001'))?.purchase).toBeDefined();
    expect((await purchaseItem('acme', '1001'))?.purchase).toBeDefined();
  });
});

/** The canonical purchase the generic source makes of a sample order (as the webhook does, for sizing). */
function toPurchase(order: ReturnType<typeof samplePurchase>) {
  const body = Buffer.from(JSON.stringify(order));
  const event = sources.generic.parse(
    { headers: {}, rawBody: body, storeId: 'demo', now: Date.now() },
    { eventId: 'size', topic: order.type, occurredAt: new Date().toISOString() },
  );
  if (event.kind !== 'purchase') throw new Error('expected a purchase');
  return event.purchase;
}
