import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import type { Category } from '../domain/plan.ts';
import { keys } from './keys.ts';
import { getItem, isConditionFailure, tableName, toItem } from './table.ts';

/** A customer's choices and send history within one store (keyed by the hash of their address). */
export interface CustomerProfile {
  storeId: string;
  customerKey: string;
  unsubscribedAll?: boolean;
  unsubscribed?: Category[];
  lastSentAt?: number;
  lastSentKey?: string;
  updatedAt?: string;
}

export function getProfile(storeId: string, customerKey: string): Promise<CustomerProfile | undefined> {
  return getItem<CustomerProfile>(keys.customer(storeId, customerKey));
}

export async function setPreferences(
  storeId: string,
  customerKey: string,
  preferences: { unsubscribedAll: boolean; unsubscribed: Category[] },
  now: string,
): Promise<void> {
  await dynamoClient().send(
    new UpdateItemCommand({
      TableName: tableName(),
      Key: toItem(keys.customer(storeId, customerKey)),
      UpdateExpression:
        'SET storeId = :store, customerKey = :customer, GSI2PK = :storeIndex, GSI2SK = :customerIndex, unsubscribedAll = :all, unsubscribed = :categories, updatedAt = :now',
      ExpressionAttributeValues: toItem({
        ':store': storeId,
        ':customer': customerKey,
        ':all': preferences.unsubscribedAll,
        ':categories': preferences.unsubscribed,
        ':now': now,
        ...storeIndex(storeId, customerKey),
      }),
    }),
  );
}

/**
 * The frequency cap, atomically: reserves the customer's next send slot unless another email went out less than
 * `capMs` ago. A retry of the same send (same key) gets its slot back. Returns the time the slot frees up when taken.
 */
export async function reserveSendSlot(
  storeId: string,
  customerKey: string,
  sendKey: string,
  now: number,
  capMs: number,
): Promise<{ reserved: true } | { reserved: false; freeAt: number }> {
  if (capMs <= 0) return { reserved: true };
  try {
    await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: toItem(keys.customer(storeId, customerKey)),
        UpdateExpression:
          'SET storeId = :store, customerKey = :customer, GSI2PK = :storeIndex, GSI2SK = :customerIndex, lastSentAt = :now, lastSentKey = :key',
        ConditionExpression: 'attribute_not_exists(lastSentAt) OR lastSentAt <= :cutoff OR lastSentKey = :key',
        ExpressionAttributeValues: toItem({
          ':store': storeId,
          ':customer': customerKey,
          ':now': now,
          ':key': sendKey,
          ':cutoff': now - capMs,
          ...storeIndex(storeId, customerKey),
        }),
      }),
    );
    return { reserved: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const profile = await getProfile(storeId, customerKey);
    return { reserved: false, freeAt: (profile?.lastSentAt ?? now) + capMs };
  }
}

/** Gives the slot back when the send it was reserved for did not happen. */
export async function releaseSendSlot(
  storeId: string,
  customerKey: string,
  sendKey: string,
  previous?: number,
): Promise<void> {
  await dynamoClient()
    .send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: toItem(keys.customer(storeId, customerKey)),
        UpdateExpression:
          previous === undefined ? 'REMOVE lastSentAt, lastSentKey' : 'SET lastSentAt = :previous REMOVE lastSentKey',
        ConditionExpression: 'lastSentKey = :key',
        ExpressionAttributeValues: toItem({
          ':key': sendKey,
          ...(previous === undefined ? {} : { ':previous': previous }),
        }),
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function deleteProfile(storeId: string, customerKey: string): Promise<void> {
  await dynamoClient().send(
    new DeleteItemCommand({ TableName: tableName(), Key: toItem(keys.customer(storeId, customerKey)) }),
  );
}

export async function suppress(email: string, reason: 'bounce' | 'complaint', now: string): Promise<void> {
  // Stored by hash only: the suppression list holds no address.
  await dynamoClient().send(
    new PutItemCommand({ TableName: tableName(), Item: toItem({ ...keys.suppressed(email), reason, at: now }) }),
  );
}

export async function isSuppressed(email: string): Promise<boolean> {
  return (await getItem(keys.suppressed(email))) !== undefined;
}

/** Profiles are listed under their store (GSI2) so a shop redact can find them without a scan. */
function storeIndex(storeId: string, customerKey: string) {
  return { ':storeIndex': keys.storeIndex(storeId), ':customerIndex': `CUSTOMER#${customerKey}` };
}
