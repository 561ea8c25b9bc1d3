import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { postWebhook, startTestCloud, tableItems, waitFor } from '../support/local.ts';

// BatchWriteItem may answer 200 with some writes back as UnprocessedItems; callers must retry them with backoff:
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html

const fixture = JSON.parse(
  readFileSync(new URL('../../../shared/fixtures/shopify/orders-create.2025-01.json', import.meta.url), 'utf8'),
);

/** A Shopify order of a customer who will ask to be forgotten. */
async function orderOf(cloud: LocalCloud, orderId: number, email: string, customerId: number): Promise<void> {
  const now = new Date(cloud.clock.now()).toISOString();
  const order = {
    ...fixture,
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    email,
    contact_email: email,
    created_at: now,
    processed_at: now,
    updated_at: now,
    cancelled_at: null,
    customer: { ...fixture.customer, id: customerId, email },
  };
  expect((await postWebhook(cloud, 'shopify', JSON.stringify(order), { topic: 'orders/create' })).status).toBe(200);
  await waitFor('the purchase', async () =>
    (await tableItems()).some((item) => item.PK === `PURCHASE#demo#shopify:${orderId}` && item.SK === 'PURCHASE'),
  );
}

async function redact(cloud: LocalCloud, orderId: number, email: string, customerId: number): Promise<void> {
  const request = {
    shop_id: 1,
    shop_domain: 'demo.myshopify.com',
    customer: { id: customerId, email },
    orders_to_redact: [orderId],
  };
  const response = await postWebhook(cloud, 'shopify', JSON.stringify(request), { topic: 'customers/redact' });
  expect(response.status).toBe(200);
}

describe('BatchWriteItem answering UnprocessedItems', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('still completes a customer redaction when DynamoDB leaves part of some batches unprocessed', async () => {
    // Prepare
    await orderOf(cloud, 5_560_001, 'half-done@example.com', 7_760_001);
    cloud.dynamodb.injectUnprocessedItems(3, 'PURCHASE#demo#shopify:5560001');
    // Act
    await redact(cloud, 5_560_001, 'half-done@example.com', 7_760_001);
    await cloud.dynamodb.drained(30_000);
    // Assess
    expect(cloud.dynamodb.faultsLeft()).toBe(0);
    expect(JSON.stringify(await tableItems())).not.toContain('half-done@example.com');
    expect(cloud.dynamodb.onFailureQueue).toEqual([]);
  });

  it('never passes a partial redaction as done: the request stays in the table, marked, and is parked after the retries', async () => {
    // Prepare: the last write of every batch for this order stays unprocessed, however often it is sent.
    await orderOf(cloud, 5_560_002, 'never-done@example.com', 7_760_002);
    cloud.dynamodb.injectUnprocessedItems(10_000, 'PURCHASE#demo#shopify:5560002');
    // Act
    await redact(cloud, 5_560_002, 'never-done@example.com', 7_760_002);
    await cloud.dynamodb.drained(60_000);
    // Assess
    const request = (await tableItems()).find(
      (item) => (item.event as { kind?: string } | undefined)?.kind === 'customer-redact',
    );
    expect(request).toMatchObject({ applyError: 'UnprocessedWritesError' });
    expect(cloud.dynamodb.onFailureQueue.map((parked) => parked.requestContext.condition)).toEqual([
      'RetryAttemptsExhausted',
    ]);
  }, 120_000);
});
