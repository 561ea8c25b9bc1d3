import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** A Shopify order for a customer with unmistakable personal data, placed "now" on the virtual clock. */
function shopifyOrder(cloud: LocalCloud, orderId: number, email: string, customerId: number, firstName: string) {
  const now = new Date(cloud.clock.now()).toISOString();
  return {
    ...fixture,
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    email,
    contact_email: email,
    created_at: now,
    processed_at: now,
    updated_at: now,
    cancelled_at: null,
    financial_status: 'paid',
    customer: { ...fixture.customer, id: customerId, email, first_name: firstName, last_name: 'Privatestein' },
    billing_address: {
      ...fixture.billing_address,
      first_name: firstName,
      last_name: 'Privatestein',
      address1: '1 Secret Lane',
    },
    shipping_address: {
      ...fixture.shipping_address,
      first_name: firstName,
      last_name: 'Privatestein',
      address1: '1 Secret Lane',
    },
  };
}

describe('Shopify privacy webhooks', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 2_592_000 });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('customers/data_request sends the store what Aftercare holds about the customer', async () => {
    const order = shopifyOrder(cloud, 5_550_001, 'asks@example.com', 7_700_001, 'Askia');
    expect((await postWebhook(cloud, 'shopify', JSON.stringify(order), { topic: 'orders/create' })).status).toBe(200);
    await waitForDecision('shopify:5550001', 'follow-up#thanks', 'sent');
    const request = {
      shop_id: 1,
      shop_domain: 'demo.myshopify.com',
      customer: { id: 7_700_001, email: 'asks@example.com' },
      orders_requested: [5_550_001],
      data_request: { id: 1 },
    };
    expect(
      (await postWebhook(cloud, 'shopify', JSON.stringify(request), { topic: 'customers/data_request' })).status,
    ).toBe(200);
    const exported = await waitFor('the data export', async () =>
      (await emailsTo(cloud, 'support@demo-appliances.example')).find(
        (e) => header(e, 'X-Aftercare-Step') === 'data-request',
      ),
    );
    expect(exported.body.text).toContain('5550001');
    expect(exported.body.text).toContain('"sent"');
  });

  it('customers/redact leaves no personal data of that customer in the table, and nothing restarts', async () => {
    const order = shopifyOrder(cloud, 5_550_002, 'forget-me@example.com', 7_700_002, 'Redactia');
    expect((await postWebhook(cloud, 'shopify', JSON.stringify(order), { topic: 'orders/create' })).status).toBe(200);
    await waitForDecision('shopify:5550002', 'follow-up#thanks', 'sent');
    const before = JSON.stringify(await tableItems());
    expect(before).toContain('forget-me@example.com');
    const redact = {
      shop_id: 1,
      shop_domain: 'demo.myshopify.com',
      customer: { id: 7_700_002, email: 'forget-me@example.com', phone: '555-0100' },
      orders_to_redact: [5_550_002],
    };
    expect((await postWebhook(cloud, 'shopify', JSON.stringify(redact), { topic: 'customers/redact' })).status).toBe(
      200,
    );
    await waitFor('the tombstone', async () =>
      (await tableItems()).some(
        (item) => item.PK === 'PURCHASE#demo#shopify:5550002' && item.SK === 'PURCHASE' && item.status === 'redacted',
      ),
    );
    // A stale retry of the original order must not bring the data back.
    await postWebhook(cloud, 'shopify', JSON.stringify(order), { topic: 'orders/updated' });
    await cloud.dynamodb.drained(10_000);
    const after = JSON.stringify(await tableItems());
    expect(after).toContain('Askia'); // the other customer's data stays
    for (const personal of ['forget-me@example.com', 'Redactia', 'Secret Lane', '555-0100']) {
      expect(after, personal).not.toContain(personal);
    }
    // Forty virtual days later (check-in, survey, reminder due): not one more email to the forgotten customer.
    await cloud.fastForward(cloud.clock.now() + 40 * 86_400_000);
    expect((await emailsTo(cloud, 'forget-me@example.com')).map((e) => header(e, 'X-Aftercare-Step'))).toEqual([
      'thanks',
    ]);
  });
});
