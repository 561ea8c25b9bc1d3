import { DeleteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../shared/clients.ts';
import { getStore } from '../shared/config/load.ts';
import { emailHash } from '../shared/domain/customer-key.ts';
import { newRecord, type PurchaseRecord } from '../shared/domain/purchase-record.ts';
import type { Platform } from '../shared/domain/vocabulary.ts';
import { logger } from '../shared/logger.ts';
import { sendEmail } from '../shared/mailer.ts';
import { stopSequences } from '../shared/sequences.ts';
import { batchWrite } from '../shared/store/batch-write.ts';
import { deleteProfile, getProfile } from '../shared/store/customers.ts';
import { listDecisions } from '../shared/store/decisions.ts';
import { keys } from '../shared/store/keys.ts';
import { getPurchase, updatePurchase } from '../shared/store/purchases.ts';
import { getSurveyAnswer } from '../shared/store/surveys.ts';
import { fromItem, type Key, tableName, toItem } from '../shared/store/table.ts';

type CustomerRef = { customerId?: string; email?: string; orderIds: string[] };

async function queryKeys(input: {
  IndexName?: string;
  KeyConditionExpression: string;
  values: Record<string, string>;
}): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await dynamoClient().send(
      new QueryCommand({
        TableName: tableName(),
        ...(input.IndexName ? { IndexName: input.IndexName } : {}),
        KeyConditionExpression: input.KeyConditionExpression,
        ExpressionAttributeValues: toItem(input.values),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) items.push(fromItem<Record<string, unknown>>(item) ?? {});
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Deletes every item; throws if DynamoDB leaves some unprocessed (a redaction is never silently partial). */
async function deleteKeys(itemKeys: Key[]): Promise<void> {
  await batchWrite(itemKeys.map((key) => ({ DeleteRequest: { Key: toItem(key) } })));
}

/** The orders of a customer: those named, plus every purchase found under their address. */
async function ordersOf(storeId: string, ref: CustomerRef): Promise<string[]> {
  const orders = new Set(ref.orderIds);
  if (ref.email) {
    const purchases = await queryKeys({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :customer',
      values: { ':customer': keys.customerIndex(storeId, emailHash(ref.email)) },
    });
    for (const purchase of purchases) orders.add(String(purchase.orderId));
  }
  return [...orders];
}

/** Deletes everything stored under an order and leaves a tombstone without personal data (so retries stay dead). */
async function redactOrder(storeId: string, orderId: string, at: string): Promise<void> {
  const record = await getPurchase(storeId, orderId);
  if (record) await stopSequences(record);
  const items = await queryKeys({
    KeyConditionExpression: 'PK = :pk',
    values: { ':pk': keys.purchase(storeId, orderId).PK },
  });
  await deleteKeys(
    items.filter((item) => item.SK !== 'PURCHASE').map((item) => ({ PK: String(item.PK), SK: String(item.SK) })),
  );
  await updatePurchase(storeId, orderId, at, (current) => {
    const base = current ?? newRecord(storeId, orderId, at);
    const tombstone: PurchaseRecord = {
      ...newRecord(storeId, orderId, base.createdAt),
      status: 'redacted',
      version: base.version,
    };
    return tombstone;
  });
}

/** Shopify customers/redact: remove the customer's personal data everywhere. */
export async function redactCustomer(storeId: string, ref: CustomerRef, at: string): Promise<void> {
  const orders = await ordersOf(storeId, ref);
  for (const orderId of orders) await redactOrder(storeId, orderId, at);
  if (ref.email) await deleteProfile(storeId, emailHash(ref.email));
  logger.info('customer redacted', { storeId, orders: orders.length });
}

/**
 * Shopify shop/redact: remove everything Aftercare holds for the store from Shopify. A store that also sells through
 * other platforms keeps those purchases and the customers' preferences (an unsubscribe must outlive the Shopify shop).
 */
export async function redactShop(storeId: string, at: string, platform: Platform = 'shopify'): Promise<void> {
  const shared = getStore(storeId)?.platforms.some((other) => other !== platform) ?? false;
  const indexed = await queryKeys({
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :store',
    values: { ':store': keys.storeIndex(storeId) },
  });
  for (const item of indexed) {
    if (item.SK === 'PURCHASE') {
      const orderId = String(item.orderId);
      if (!shared || orderId.startsWith(`${platform}:`)) await redactOrder(storeId, orderId, at);
    } else if (!shared)
      await dynamoClient().send(
        new DeleteItemCommand({ TableName: tableName(), Key: toItem({ PK: String(item.PK), SK: String(item.SK) }) }),
      );
  }
  logger.info('shop redacted', { storeId, items: indexed.length });
}

/** Shopify customers/data_request: send the store what Aftercare holds about the customer. */
export async function exportCustomerData(storeId: string, ref: CustomerRef, at: string): Promise<void> {
  const store = getStore(storeId);
  if (!store) return;
  const orders = await ordersOf(storeId, ref);
  const purchases = [];
  for (const orderId of orders) {
    const record = await getPurchase(storeId, orderId);
    if (!record) continue;
    purchases.push({
      purchase: record.purchase,
      status: record.status,
      decisions: await listDecisions(storeId, orderId),
      survey: await getSurveyAnswer(storeId, orderId),
    });
  }
  const profile = ref.email ? await getProfile(storeId, emailHash(ref.email)) : undefined;
  const document = JSON.stringify(
    { requestedAt: at, customerId: ref.customerId, email: ref.email, preferences: profile, purchases },
    null,
    2,
  );
  await sendEmail({
    from: store.fromAddress,
    to: store.supportEmail,
    subject: `Aftercare: data request for customer ${ref.customerId ?? ''}`.trim(),
    html: `<p>Aftercare holds the following data for this customer (JSON).</p><pre>${document.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</pre>`,
    text: `Aftercare holds the following data for this customer (JSON).\n\n${document}`,
    headers: [
      { name: 'X-Aftercare-Sequence', value: 'privacy' },
      { name: 'X-Aftercare-Step', value: 'data-request' },
    ],
    tags: { store: storeId, sequence: 'privacy', step: 'data-request' },
  });
  logger.info('customer data exported to the store', { storeId, orders: orders.length });
}
