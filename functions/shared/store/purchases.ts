import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import type { SequenceRun } from '../domain/plan.ts';
import type { Purchase } from '../domain/purchase.ts';
import type { SequenceName } from '../domain/vocabulary.ts';
import { emailHash, keys } from './keys.ts';
import { getItem, isConditionFailure, tableName, toItem } from './table.ts';

export type PurchaseStatus = 'open' | 'cancelled' | 'refunded' | 'redacted';

/** The purchase as Aftercare knows it: the latest payload plus what later events said. */
export interface PurchaseRecord {
  storeId: string;
  orderId: string;
  /** Absent on a stub (an event arrived before its order) and after a redact request. */
  purchase?: Purchase;
  status: PurchaseStatus;
  refundedLineIds: string[];
  deliveredAt?: string;
  /** occurredAt of the newest order payload applied: older retries never roll it back. */
  lastEventAt?: string;
  customerKey?: string;
  /** The plans the sequences were started with (each run keeps its plan). */
  sequences?: Partial<Record<SequenceName, SequenceRun>>;
  /** Per run (execution base name): the generation that took over after a postponement; older ones stand down. */
  runGenerations?: Record<string, number>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const RANK: Record<PurchaseStatus, number> = { open: 0, refunded: 1, cancelled: 1, redacted: 2 };

/** Status only moves forward: open → cancelled/refunded → redacted. */
export function laterStatus(current: PurchaseStatus, incoming: PurchaseStatus): PurchaseStatus {
  return RANK[incoming] > RANK[current] ? incoming : current;
}

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

export function customerKeyOf(purchase: Purchase): string | undefined {
  return purchase.customer.email ? emailHash(purchase.customer.email) : undefined;
}

export function newRecord(storeId: string, orderId: string, now: string): PurchaseRecord {
  return { storeId, orderId, status: 'open', refundedLineIds: [], version: 0, createdAt: now, updatedAt: now };
}
