import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProfile } from '../../functions/shared/store/customers.ts';
import { verifyToken } from '../../functions/shared/tokens.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import {
  emailsTo,
  header,
  postWebhook,
  startTestCloud,
  tableItems,
  waitFor,
  waitForDecision,
} from '../support/local.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../../shared/fixtures/shopify/orders-create.2025-01.json', import.meta.url), 'utf8'),
);

describe('links after a customers/redact', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 2_592_000 });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it("an old unsubscribe link no longer acts: it cannot write the forgotten customer's profile again", async () => {
    // Prepare
    const email = 'forgotten-links@example.com';
    const now = new Date(cloud.clock.now()).toISOString();
    const order = {
      ...fixture,
      id: 5_560_001,
      email,
      contact_email: email,
      created_at: now,
      processed_at: now,
      cancelled_at: null,
      financial_status: 'paid',
      customer: { ...fixture.customer, id: 7_760_001, email },
    };
    expect((await postWebhook(cloud, 'shopify', JSON.stringify(order), { topic: 'orders/create' })).status).toBe(200);
    await waitForDecision('shopify:5560001', 'follow-up#thanks', 'sent');
    const [thanks] = await emailsTo(cloud, email);
    const unsubscribeUrl = /<([^>]+)>/.exec(header(thanks ?? ({} as never), 'List-Unsubscribe') ?? '')?.[1] ?? '';
    const link = await verifyToken(
      new URL(unsubscribeUrl).pathname.split('/')[2] ?? '',
      'unsubscribe',
      cloud.clock.now(),
    );
    const redact = {
      shop_id: 1,
      shop_domain: 'demo.myshopify.com',
      customer: { id: 7_760_001, email },
      orders_to_redact: [5_560_001],
    };
    expect((await postWebhook(cloud, 'shopify', JSON.stringify(redact), { topic: 'customers/redact' })).status).toBe(
      200,
    );
    await waitFor('the tombstone', async () =>
      (await tableItems()).some((item) => item.PK === 'PURCHASE#demo#shopify:5560001' && item.status === 'redacted'),
    );

    // Act
    const page = await fetch(unsubscribeUrl);
    const oneClick = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });

    // Assess
    expect(page.status).toBe(404);
    expect(oneClick.status).toBe(404);
    expect(await getProfile(link.s, link.c)).toBeUndefined();
  });
});
