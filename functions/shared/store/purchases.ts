import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import type { PurchaseRecord } from '../domain/purchase-record.ts';
import { keys } from './keys.ts';
import { getItem, isConditionFailure, tableName, toItem } from './table.ts';

export function getPurchase(storeId: string, orderId: string): Promise<PurchaseRecord | undefined> {
  return getItem<PurchaseRecord>(keys.purchase(storeId, orderId));
}

/**
 * Read-modify-write with optimistic locking on `version`: concurrent events on one order never lose an update.
 * `change` returns the new record, or undefined to leave it as it is.
 */
export async function updatePurchase(
  storeId: string,
  orderId: string,
  now: string,
  change: (current: PurchaseRecord | undefined) => PurchaseRecord | undefined,
): Promise<PurchaseRecord | undefined> {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const current = await getPurchase(storeId, orderId);
    const next = change(current ? structuredClone(current) : undefined);
    if (!next) return current;
    const record: PurchaseRecord = { ...next, version: (current?.version ?? 0) + 1, updatedAt: now };
    try {
      await dynamoClient().send(
        new PutItemCommand({
          TableName: tableName(),
          Item: toItem({ ...keys.purchase(storeId, orderId), ...indexAttributes(record), ...record }),
          ConditionExpression: current ? '#version = :version' : 'attribute_not_exists(PK)',
          ...(current
            ? {
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: toItem({ ':version': current.version }),
              }
            : {}),
        }),
      );
      return record;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new Error('purchase kept changing concurrently; the stream will retry');
}

function indexAttributes(record: PurchaseRecord) {
  const sortKey = `${record.purchase?.purchasedAt ?? record.createdAt}#${record.orderId}`;
  return {
    GSI2PK: keys.storeIndex(record.storeId),
    GSI2SK: sortKey,
    ...(record.customerKey ? { GSI1PK: keys.customerIndex(record.storeId, record.customerKey), GSI1SK: sortKey } : {}),
  };
}
